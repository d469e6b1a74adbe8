// The pupil profile finds a pupil's parts of a year's timelines by detail file and id range
// (reports/components/timeline-part.js): one for a year cut whole, one a term for the school's
// latest year (cut by term), comparing ids as DuckDB orders them when it cuts the pieces
// (src/page-data/timeline-parts.ts): by code point, which is UTF-8's byte order.
import { describe, expect, it } from 'vitest';
// @ts-expect-error browser component, plain JavaScript without types
import { compareIds, timelinePartFiles } from '../../reports/components/timeline-part.js';
import { openTempWarehouse } from '../helpers/warehouse.ts';

describe("the pupil's part of a year's timelines", () => {
  const index = [
    { detail_part: 'b01', detail_file: 'b01', first_pupil: 'A', last_pupil: 'C', file: 'b01.aaa.arrow' },
    { detail_part: 'b01-1', detail_file: 'b01', first_pupil: 'D', last_pupil: 'F', file: 'b01-1.bbb.arrow' },
    { detail_part: 'b02', detail_file: 'b02', first_pupil: 'B', last_pupil: 'E', file: 'b02.ccc.arrow' },
  ];

  it('is the part of their detail file whose first and last pupil hold their id', () => {
    expect(timelinePartFiles(index, { student_id: 'A', detail_file: 'b01' })).toEqual(['b01.aaa.arrow']);
    expect(timelinePartFiles(index, { student_id: 'C', detail_file: 'b01' })).toEqual(['b01.aaa.arrow']);
    expect(timelinePartFiles(index, { student_id: 'E', detail_file: 'b01' })).toEqual(['b01-1.bbb.arrow']);
    // The same id in another detail file's range is not theirs.
    expect(timelinePartFiles(index, { student_id: 'E', detail_file: 'b02' })).toEqual(['b02.ccc.arrow']);
    // No part holds them (no rows that year): none.
    expect(timelinePartFiles(index, { student_id: 'G', detail_file: 'b01' })).toEqual([]);
    expect(timelinePartFiles(index, { student_id: 'A', detail_file: 'b03' })).toEqual([]);
  });

  it("in the school's latest year, cut by term: the part of each term whose range holds their id", () => {
    // Each term's pieces are cut afresh (a term's own rows), so their ranges differ from term to term.
    const latest = [
      { detail_part: 't1_b01', detail_file: 'b01', first_pupil: 'A', last_pupil: 'F', file: 't1_b01.aaa.arrow' },
      { detail_part: 't2_b01', detail_file: 'b01', first_pupil: 'A', last_pupil: 'C', file: 't2_b01.bbb.arrow' },
      { detail_part: 't2_b01-1', detail_file: 'b01', first_pupil: 'D', last_pupil: 'F', file: 't2_b01-1.ccc.arrow' },
      { detail_part: 't3_b01', detail_file: 'b01', first_pupil: 'B', last_pupil: 'E', file: 't3_b01.ddd.arrow' },
      { detail_part: 't3_b02', detail_file: 'b02', first_pupil: 'A', last_pupil: 'F', file: 't3_b02.eee.arrow' },
    ];
    expect(timelinePartFiles(latest, { student_id: 'D', detail_file: 'b01' })).toEqual(['t1_b01.aaa.arrow', 't2_b01-1.ccc.arrow', 't3_b01.ddd.arrow']);
    // A in no third-term range (no rows since April): the first two terms' parts.
    expect(timelinePartFiles(latest, { student_id: 'A', detail_file: 'b01' })).toEqual(['t1_b01.aaa.arrow', 't2_b01.bbb.arrow']);
    expect(timelinePartFiles(latest, { student_id: 'A', detail_file: 'b02' })).toEqual(['t3_b02.eee.arrow']);
    // The latest month's parts ("all") are cut from every pupil of the school: the one whose range
    // holds the id, whatever the pupil's detail file.
    const month = [
      ...latest,
      { detail_part: 't4_all', detail_file: 'all', first_pupil: 'A', last_pupil: 'C', file: 't4_all.fff.arrow' },
      { detail_part: 't4_all-1', detail_file: 'all', first_pupil: 'D', last_pupil: 'F', file: 't4_all-1.ggg.arrow' },
    ];
    expect(timelinePartFiles(month, { student_id: 'D', detail_file: 'b01' })).toEqual(['t1_b01.aaa.arrow', 't2_b01-1.ccc.arrow', 't3_b01.ddd.arrow', 't4_all-1.ggg.arrow']);
    expect(timelinePartFiles(month, { student_id: 'A', detail_file: 'b02' })).toEqual(['t3_b02.eee.arrow', 't4_all.fff.arrow']);
  });

  it('orders ids as DuckDB does, past U+FFFF too', async () => {
    // U+FF5E (fullwidth tilde) and U+1F600 (an emoji): JavaScript's < puts the emoji first (its
    // surrogate 0xD83D < 0xFF5E); by code point, and in DuckDB, it comes after.
    const ids = ['S\u{1F600}', 'S\uFF5E', 'S1', 'S10', 'S2', 'T', 's'];
    const warehouse = await openTempWarehouse();
    try {
      const rows = await warehouse.connection.runAndReadAll(`SELECT id FROM (VALUES ${ids.map((id) => `('${id}')`).join(', ')}) t(id) ORDER BY id`);
      const duckdbOrder = rows.getRowObjectsJS().map((r) => String(r.id));
      expect([...ids].sort(compareIds)).toEqual(duckdbOrder);
      expect([...ids].sort()).not.toEqual(duckdbOrder);
    } finally {
      warehouse.close();
    }
    expect(compareIds('S1', 'S1')).toBe(0);
    expect(compareIds('S1', 'S10')).toBe(-1);
    expect(compareIds('S10', 'S1')).toBe(1);
  });
});
