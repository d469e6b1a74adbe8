import { describe, expect, it } from 'vitest';
import { extentFilter, partitionFilter, yearCondition } from '../../src/models/incremental.ts';
import { readMacros } from '../../src/models/model-files.ts';
import { IN_MEMORY, queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';

/*
 * The runner's year filter on a model partitioned `by academic_year_of(COL)` is written as a
 * range of COL's dates, so DuckDB can skip other years' row groups. It must pick exactly the rows
 * the macro's year string picks: checked here in DuckDB on the dates either side of each
 * 1 September, a NULL date, a timestamp late on 31 August, and years asked for alone, with the
 * year before, and with the year after.
 */
const dates = [
  null,
  '2023-08-31',
  '2023-09-01',
  '2024-08-31',
  '2024-09-01',
  '2025-01-15',
  '2025-08-31',
  '2025-09-01',
  '2026-02-28',
  '2026-08-31',
  '2026-09-01',
  '2027-09-01',
];

async function idsWhere(condition: string, type: 'DATE' | 'TIMESTAMP' = 'DATE'): Promise<number[]> {
  return withWarehouse(IN_MEMORY, async (connection) => {
    for (const macro of readMacros()) await connection.run(macro.sql);
    const values = dates.map((d, i) => `(${i}, ${d === null ? 'NULL' : `'${d}${type === 'TIMESTAMP' ? ' 23:59:59' : ''}'`}::${type})`).join(', ');
    await connection.run(`CREATE TABLE marks AS SELECT * FROM (VALUES ${values}) AS t(id, date)`);
    const rows = await queryRows<{ id: number }>(connection, `SELECT id FROM marks WHERE ${condition} ORDER BY id`);
    return rows.map((r) => Number(r.id));
  });
}

describe('the year filter as a date range', () => {
  it('writes academic_year_of(COL) as a range of COL, other year expressions as the year string', () => {
    expect(yearCondition('academic_year_of(date)', ['2025/26'])).toBe("(date >= DATE '2025-09-01' AND date < DATE '2026-09-01')");
    expect(yearCondition(' academic_year_of( list_date ) ', ['2025/26', '2024/25'])).toBe(
      "(list_date >= DATE '2024-09-01' AND list_date < DATE '2026-09-01')",
    );
    expect(yearCondition('academic_year', ['2025/26'])).toBe("(academic_year) = '2025/26'");
    expect(yearCondition('academic_year_of(d.date)', ['2025/26'])).toBe("(academic_year_of(d.date)) = '2025/26'");
    expect(yearCondition('academic_year_of(date)', [])).toBe('false');
    // Years with a gap are not one range: the strings, as before.
    expect(yearCondition('academic_year_of(date)', ['2023/24', '2025/26'])).toBe("(academic_year_of(date)) IN ('2023/24', '2025/26')");
  });

  for (const type of ['DATE', 'TIMESTAMP'] as const) {
    it(`picks the same ${type} rows as the year string, for a year, with the year before and the year after`, async () => {
      const asked = [['2024/25'], ['2024/25', '2025/26'], ['2023/24', '2024/25', '2025/26'], ['2026/27']];
      for (const years of asked) {
        const byString = await idsWhere(`academic_year_of(date) IN (${years.map((y) => `'${y}'`).join(', ')})`, type);
        expect(byString.length).toBeGreaterThan(0);
        expect(await idsWhere(yearCondition('academic_year_of(date)', years), type)).toEqual(byString);
      }
    });
  }

  it('is what the partition and extent filters write for a model partitioned by a date', async () => {
    const touched = new Map([['A', ['2025/26']]]);
    expect(partitionFilter(touched, 'academic_year_of(date)', true)).toBe(
      "(((date >= DATE '2024-09-01' AND date < DATE '2025-09-01') AND school_id = 'A') OR ((date >= DATE '2025-09-01' AND date < DATE '2026-09-01') AND school_id = 'A'))",
    );
    const extent = new Map([['A', new Map<string, string | null>([['2025/26', '2026-06-01']])]]);
    expect(extentFilter(extent, { yearSql: 'academic_year_of(date)', withPrevious: true, weekSql: 'date' })).toBe(
      "((school_id = 'A' AND (date >= DATE '2024-09-01' AND date < DATE '2026-09-01') AND (date) >= DATE '2026-06-01'))",
    );
  });
});
