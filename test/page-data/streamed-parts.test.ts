/**
 * streamedPartitionMembers (src/page-data/page-parts.ts): a partition read a chunk at a time from
 * DuckDB must give the parts partitionedMembers gives for the same rows read as row objects,
 * byte for byte, with an index of the same rows (in key order); a query not ordered by its key
 * columns is refused, not published as two parts with one key.
 */
import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import { describe, expect, it } from 'vitest';
import { queryMart } from '../../src/page-data/mart-export.ts';
import { partitionedMembers, streamedPartitionMembers, yearGroupKey } from '../../src/page-data/page-parts.ts';
import { usePartsWarehouse } from '../helpers/parts-warehouse.ts';

const COLUMNS = ['school_id', 'part', 'year_group', 'k', 'v'];
// Table t (src: test/helpers/parts-warehouse.ts): 24,000 rows, schools A–D, parts p0–p2; a year
// group from k (numbers, so the index keeps them as numbers), with nulls.
const ROWS = `SELECT school_id, part, CASE WHEN k % 7 = 0 THEN NULL ELSE 7 + k % 5 END AS year_group, k, v FROM t`;

describe('streamedPartitionMembers', () => {
  usePartsWarehouse('pastoral-streamed-parts-');
  const keys = ['school_id', 'part', yearGroupKey];

  it('gives partitionedMembers\' parts byte for byte, and an index of the same rows in key order', async () => {
    const rows = await queryMart(`${ROWS} ORDER BY school_id, k`);
    const expected = partitionedMembers(rows.map((r) => ({ ...r })), COLUMNS, keys);
    const streamed = await streamedPartitionMembers(
      `SELECT school_id AS k1, part AS k2, year_group AS k3, ${COLUMNS.join(', ')} FROM (${ROWS}) ORDER BY school_id, part, year_group, k`,
      COLUMNS,
      keys,
    );
    const byName = (ms: typeof expected) => new Map(ms.filter((m) => m.part).map((m) => [m.name, m.data ? Buffer.from(m.data).toString('hex') : `file ${m.file.path}`]));
    expect(byName(streamed)).toEqual(byName(expected));
    expect(byName(streamed).size).toBe(4 * 3 * 6); // schools × parts × (five year groups and none)
    const index = (ms: typeof expected) => tableFromIPC(ms.find((m) => m.name === 'index.arrow')!.data).toArray().map((r) => r.toJSON());
    const streamedIndex = index(streamed);
    expect([...streamedIndex].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [...index(expected)].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(streamedIndex.slice(0, 3).map((r) => `${r.school_id} ${r.part} ${r.year_group}`)).toEqual(['A p0 7', 'A p0 8', 'A p0 9']);
    expect(typeof streamedIndex[0].year_group).toBe('number');
  });

  it('refuses a query whose rows are not ordered by the key, or that lacks a key column', async () => {
    await expect(
      streamedPartitionMembers(`SELECT school_id AS k1, part AS k2, year_group AS k3, ${COLUMNS.join(', ')} FROM (${ROWS}) ORDER BY k`, COLUMNS, keys),
    ).rejects.toThrow(/two batches/);
    await expect(streamedPartitionMembers(`SELECT school_id AS k1, part AS k2, ${COLUMNS.join(', ')} FROM (${ROWS}) ORDER BY 1, 2`, COLUMNS, keys)).rejects.toThrow(
      /2 key columns/,
    );
  });
});
