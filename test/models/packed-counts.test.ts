import { describe, expect, it } from 'vitest';
import { readMacros } from '../../src/models/model-files.ts';
import { IN_MEMORY, queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';

/*
 * pack_counts / packed_count (sql/macros/packed_counts.sql): three counts summed over a window
 * frame as one number. One pupil, school weeks 1, 2, 3, 6 and 7 (off roll in 4 and 5), counts
 * (a, b, c) per week; the frame is the last 4 school weeks (range 3 preceding), so week 6 sees
 * weeks 3 and 6 only, and week 7 weeks 6 and 7:
 *   week 1: (3, 10, 0)               → (3, 10, 0)
 *   week 2: (1, 8, 2)                → (4, 18, 2)
 *   week 3: (0, 10, 1)               → (4, 28, 3)
 *   week 6: (5, 6, 0)                → (5, 16, 1)
 *   week 7: (2, 10, 2047, the most) → (7, 16, 2047)
 */
const weeks = `(VALUES (1, 3, 10, 0), (2, 1, 8, 2), (3, 0, 10, 1), (6, 5, 6, 0), (7, 2, 10, 2047)) AS w(week_index, a, b, c)`;

async function withMacros<T>(work: (run: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  return withWarehouse(IN_MEMORY, async (connection) => {
    for (const macro of readMacros()) await connection.run(macro.sql);
    return work((sql) => queryRows(connection, sql));
  });
}

describe('packed counts', () => {
  it('sums each of three counts over a frame exactly, as HUGEINT like sum()', async () => {
    const rows = await withMacros((run) =>
      run(`WITH framed AS (
             SELECT week_index, sum(pack_counts(a, b, c)) OVER (ORDER BY week_index RANGE BETWEEN 3 PRECEDING AND CURRENT ROW) AS packed
             FROM ${weeks})
           SELECT week_index, packed_count(packed, 0)::INTEGER AS a, packed_count(packed, 1)::INTEGER AS b, packed_count(packed, 2)::INTEGER AS c,
             typeof(packed_count(packed, 0)) AS type
           FROM framed ORDER BY week_index`),
    );
    expect(rows).toEqual([
      { week_index: 1, a: 3, b: 10, c: 0, type: 'HUGEINT' },
      { week_index: 2, a: 4, b: 18, c: 2, type: 'HUGEINT' },
      { week_index: 3, a: 4, b: 28, c: 3, type: 'HUGEINT' },
      { week_index: 6, a: 5, b: 16, c: 1, type: 'HUGEINT' },
      { week_index: 7, a: 7, b: 16, c: 2047, type: 'HUGEINT' },
    ]);
  });

  it('sums a frame of 64 rows of the most each count may be exactly, with no carry from one count into the next', async () => {
    // 64 × 2047 = 131,008 in each count: the most a frame can add (a pupil-year has at most 53
    // weeks), just under 2^17; the sum as a whole just under 2^51, exact as a DOUBLE.
    const rows = await withMacros((run) =>
      run(`WITH framed AS (
             SELECT i, sum(pack_counts(2047, 2047, 2047)) OVER (ORDER BY i ROWS BETWEEN 63 PRECEDING AND CURRENT ROW) AS packed,
               sum(pack_counts(2047, 0, 2047)) OVER (ORDER BY i ROWS BETWEEN 63 PRECEDING AND CURRENT ROW) AS gap
             FROM range(64) t(i))
           SELECT packed_count(packed, 0)::INTEGER AS a, packed_count(packed, 1)::INTEGER AS b, packed_count(packed, 2)::INTEGER AS c,
             packed_count(gap, 0)::INTEGER AS gap_a, packed_count(gap, 1)::INTEGER AS gap_b, packed_count(gap, 2)::INTEGER AS gap_c
           FROM framed WHERE i = 63`),
    );
    expect(rows).toEqual([{ a: 131008, b: 131008, c: 131008, gap_a: 131008, gap_b: 0, gap_c: 131008 }]);
  });

  it('stops with an error on a count it cannot pack exactly (over 2047, negative or null)', async () => {
    await withMacros(async (run) => {
      for (const bad of ['2048, 0, 0', '0, -1, 0', '0, 0, NULL']) {
        await expect(run(`SELECT pack_counts(${bad}) AS p`)).rejects.toThrow(/pack_counts: a count outside 0–2047/);
      }
    });
  });

  it('packs a week with its count so a top N of numbers is the last N weeks, and unpacks both; stops on a count it cannot pack', async () => {
    await withMacros(async (run) => {
      const rows = await run(`SELECT list_transform(max(pack_week_count(week_index, b), 3), x -> [packed_week_index(x), packed_week_count(x)]) AS last_3 FROM ${weeks}`);
      expect(rows).toEqual([{ last_3: [[7, 10], [6, 6], [3, 10]] }]);
      expect(await run('SELECT packed_week_count(pack_week_count(52, 1048575)) AS n, packed_week_index(pack_week_count(52, 1048575)) AS w')).toEqual([{ n: 1048575, w: 52 }]);
      for (const n of ['1048576', '-1', 'NULL']) await expect(run(`SELECT pack_week_count(1, ${n})`)).rejects.toThrow(/pack_week_count: a count outside 0–1048575/);
    });
  });
});
