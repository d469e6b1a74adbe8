/**
 * directoryChanges (src/page-data/timeline-directory-changes.ts): where the pupil directory changed
 * what the pupil timelines show since the previous build, judged by the pupils and detail files
 * alone, on a warehouse whose `mart_pupil_timeline` (a table here; a view in the warehouse) holds
 * hand-made rows. The dates are worked out by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSession } from '../../src/page-data/mart-export.ts';
import { directoryChanges } from '../../src/page-data/timeline-directory-changes.ts';
import type { PreviousDirectory } from '../../src/page-data/timeline-previous-members.ts';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';

const pupil = (school_id: string, student_id: string, detail_file: string) => ({ school_id, student_id, detail_file });
const directoryOf = (rows: Record<string, Record<string, { detail_file: string; years: string[] }>>): PreviousDirectory =>
  new Map(Object.entries(rows).map(([school, pupils]) => [school, new Map(Object.entries(pupils))]));
const plain = (extent: Map<string, Map<string, string | null>>) => Object.fromEntries([...extent].map(([school, years]) => [school, Object.fromEntries(years)]));

describe('where the pupil directory changed the timelines (directoryChanges)', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-directory-'));
    db = path.join(dir, 'w.duckdb');
    await withWarehouse(db, (c) =>
      c.run(`CREATE TABLE mart_pupil_timeline AS SELECT * FROM (VALUES
        ('S1', 'P1', '2024/25', DATE '2024-10-07'),
        ('S1', 'P4', '2024/25', DATE '2025-02-03'), ('S1', 'P4', '2024/25', DATE '2024-11-12'),
        ('S1', 'P4', '2025/26', DATE '2026-03-09'),
        ('S1', 'P5', '2025/26', NULL), ('S1', 'P5', '2025/26', DATE '2026-05-11'),
        ('S2', 'P4', '2023/24', DATE '2023-09-11'),
        ('S2', 'P6', '2025/26', DATE '2026-07-06')
      ) t(school_id, student_id, academic_year, "date")`),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the same pupils in the same files: no year changed', async () => {
    const previous = directoryOf({ S1: { P1: { detail_file: 'b01', years: ['2024/25'] }, P4: { detail_file: 'b04', years: ['2024/25', '2025/26'] } } });
    const current = [pupil('S1', 'P4', 'b04'), pupil('S1', 'P1', 'b01')];
    expect(plain(await exportSession(db, () => directoryChanges(current, previous)))).toEqual({});
  });

  it('pupils added, gone or moved to another file; a school the previous build did not list left out', async () => {
    const previous = directoryOf({
      S1: {
        P1: { detail_file: 'b01', years: ['2024/25'] },
        // Gone from the directory: every year they had rows in, whole.
        P2: { detail_file: 'b02', years: ['2023/24', '2025/26'] },
        // Another detail file now (its rows move between files): its years whole, and as added.
        P3: { detail_file: 'b03', years: ['2024/25'] },
        // Gone, with no rows: nothing.
        P7: { detail_file: 'b07', years: [] },
      },
      S2: { P6: { detail_file: 'b06', years: ['2025/26'] } },
    });
    const current = [
      pupil('S1', 'P1', 'b01'),
      pupil('S1', 'P3', 'b33'),
      // New: rows in two years, each from its first row's date (not the year's first).
      pupil('S1', 'P4', 'b04'),
      // New, with a row with no date: its year whole.
      pupil('S1', 'P5', 'b05'),
      pupil('S2', 'P6', 'b06'),
      // A new school: left out (P4 of S2 has rows, which are not S1's P4's).
      pupil('S3', 'P4', 'b04'),
    ];
    const extent = await exportSession(db, () => directoryChanges(current, previous));
    expect(plain(extent)).toEqual({
      S1: { '2023/24': null, '2025/26': null, '2024/25': null },
    });
    // Without the pupils gone and moved: the added pupils' first dates.
    const kept = directoryOf({ S1: { P1: { detail_file: 'b01', years: ['2024/25'] } }, S2: { P6: { detail_file: 'b06', years: ['2025/26'] } } });
    const added = await exportSession(db, () => directoryChanges(current.filter((p) => p.student_id !== 'P3'), kept));
    expect(plain(added)).toEqual({ S1: { '2024/25': '2024-11-12', '2025/26': null } });
    const one = await exportSession(db, () => directoryChanges([pupil('S1', 'P1', 'b01'), pupil('S1', 'P4', 'b04')], kept));
    expect(plain(one)).toEqual({ S1: { '2024/25': '2024-11-12', '2025/26': '2026-03-09' } });
  });
});
