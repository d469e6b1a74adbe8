import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import { describe, expect, it } from 'vitest';
import type { PageMember } from '../../src/page-data/mart-export.ts';
import { partitionedMembers, PartsWriter, pathSegment, yearGroupKey } from '../../src/page-data/page-parts.ts';

/** A member's bytes: these tests' members are all encoded here, none a file taken from a previous build. */
const bytesOf = (m: PageMember): Uint8Array => {
  if (!m.data) throw new Error(`${m.name} is a file, not bytes`);
  return m.data;
};
const rowsOf = (data: Uint8Array) => JSON.parse(JSON.stringify(tableFromIPC(data).toArray().map((r) => r.toJSON())));

const ROWS = [
  { school_id: 'A', academic_year: '2025/26', year_group: 7, n: 1 },
  { school_id: 'A', academic_year: '2025/26', year_group: 8, n: 2 },
  { school_id: 'A', academic_year: '2025/26', year_group: 7, n: 3 },
  { school_id: 'B', academic_year: '2025/26', year_group: 7, n: 1 },
];

describe('partitionedMembers', () => {
  it('writes an index of the parts (key values, file, rows, bytes) and one Arrow file per key, named by its last key and content hash', () => {
    const members = partitionedMembers(ROWS, ['school_id', 'year_group', 'n'], ['school_id', 'academic_year', yearGroupKey]);
    expect(members[0].name).toBe('index.arrow');
    expect(members[0].part).toBeUndefined();
    const index = rowsOf(bytesOf(members[0]));
    expect(index.map((d: Record<string, unknown>) => [d.school_id, d.academic_year, d.year_group, d.rows])).toEqual([
      ['A', '2025/26', 7, 2],
      ['A', '2025/26', 8, 1],
      ['B', '2025/26', 7, 1],
    ]);
    const parts = new Map(members.slice(1).map((m) => [m.name, m]));
    for (const entry of index) {
      expect(entry.file).toMatch(/^y[78]\.[0-9a-f]{12}\.arrow$/);
      const part = parts.get(entry.file)!;
      expect(part.part).toBe(true);
      expect(bytesOf(part).length).toBe(entry.bytes);
      expect(rowsOf(bytesOf(part))).toEqual(
        ROWS.filter((r) => r.school_id === entry.school_id && r.year_group === entry.year_group).map(({ school_id, year_group, n }) => ({ school_id, year_group, n })),
      );
    }
  });

  it('lets two parts with the same bytes share one file, and two with different bytes never', () => {
    const same = [{ school_id: 'A', y: 7, n: 1 }, { school_id: 'B', y: 7, n: 1 }];
    const members = partitionedMembers(same, ['n'], ['school_id', { column: 'y', name: (v) => `y${v}` }]);
    const index = rowsOf(bytesOf(members[0]));
    expect(index[0].file).toBe(index[1].file);
    expect(members).toHaveLength(2);
    const different = partitionedMembers([{ school_id: 'A', y: 7, n: 1 }, { school_id: 'B', y: 7, n: 2 }], ['n'], ['school_id', 'y']);
    const files = rowsOf(bytesOf(different[0])).map((d: Record<string, unknown>) => d.file);
    expect(new Set(files).size).toBe(2);
  });

  it('writes batches (one school at a time) as one index, and refuses a key split over two batches', () => {
    const writer = new PartsWriter(['n'], ['school_id']);
    writer.add(ROWS.filter((r) => r.school_id === 'A')).add(ROWS.filter((r) => r.school_id === 'B'));
    expect(rowsOf(bytesOf(writer.members()[0])).map((d: Record<string, unknown>) => [d.school_id, d.rows])).toEqual([['A', 3], ['B', 1]]);
    expect(() => new PartsWriter(['n'], ['school_id']).add(ROWS.slice(0, 1)).add(ROWS.slice(1, 2))).toThrow(/came in two batches/);
  });

  it('with `place`, writes each part where it goes as it is added, and lists it as that file once written', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-place-'));
    try {
      const placed: string[] = [];
      const writer = new PartsWriter(['n'], ['school_id', 'y'], (name, data) => {
        placed.push(name);
        const file = path.join(dir, name);
        return { path: file, written: writeFile(file, data) };
      });
      const plain = new PartsWriter(['n'], ['school_id', 'y']);
      for (const w of [writer, plain]) {
        // Two parts with the same bytes (one file) and a third.
        w.addEncodedPart({ school_id: 'A', y: 7 }, bytesOf(partitionedMembers([{ n: 1 }], ['n'], ['n'])[1]), 1);
        w.addEncodedPart({ school_id: 'B', y: 7 }, bytesOf(partitionedMembers([{ n: 1 }], ['n'], ['n'])[1]), 1);
        w.addEncodedPart({ school_id: 'B', y: 8 }, bytesOf(partitionedMembers([{ n: 2 }], ['n'], ['n'])[1]), 1);
      }
      expect(() => writer.members()).toThrow(/await settled\(\)/);
      expect(() => writer.stamps()).toThrow(/await settled\(\)/);
      await writer.settled();
      const members = writer.members();
      const expected = plain.members();
      // Each written file stamped as written (its size and time), for the next build to take it by;
      // a part kept in memory has none.
      expect(writer.stamps()).toEqual(Object.fromEntries(expected.slice(1).map((m) => [m.name, `${statSync(path.join(dir, m.name)).size}:${statSync(path.join(dir, m.name), { bigint: true }).mtimeNs}`])));
      expect(plain.stamps()).toEqual({});
      expect(placed).toEqual(expected.slice(1).map((m) => m.name));
      expect(bytesOf(members[0])).toEqual(bytesOf(expected[0])); // the same index
      for (const [i, m] of members.slice(1).entries()) {
        expect(m.data).toBeUndefined();
        expect(m.file?.path).toBe(path.join(dir, m.name));
        expect(new Uint8Array(readFileSync(path.join(dir, m.name)))).toEqual(bytesOf(expected[i + 1]));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes any key value a safe file name', () => {
    expect(pathSegment('2025/26')).toBe('2025-26');
    expect(pathSegment('../etc')).toBe('etc');
    expect(pathSegment(null)).toBe('none');
    expect(pathSegment('École Saint-Jean')).toBe('cole-Saint-Jean');
  });
});
