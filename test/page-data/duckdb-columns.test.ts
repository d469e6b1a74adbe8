/**
 * Page data read from DuckDB's vectors (src/page-data/duckdb-columns.ts) must be exactly what the
 * node API's own conversion gave (getRowObjectsJS, then `plain`), for every type a mart has,
 * with nulls, text inline (≤ 12 bytes) and not, non-ASCII text, and over several chunks.
 */
import { describe, expect, it } from 'vitest';
import { appendColumn, columnRuns, plain, readColumns, streamChunks } from '../../src/page-data/duckdb-columns.ts';
import { IN_MEMORY, withWarehouse } from '../../src/warehouse/warehouse.ts';

const TABLE = `
  SELECT i,
    CASE i % 7 WHEN 0 THEN NULL WHEN 1 THEN 'Y7' WHEN 2 THEN 'Zoë' WHEN 3 THEN 'exactly12chr'
      WHEN 4 THEN 'a comment longer than twelve bytes ' || i WHEN 5 THEN 'Łukasz Wiśniewski-Brown' ELSE '' END AS text,
    CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 200 - 100)::TINYINT END AS tiny,
    (i * 7 % 60000 - 30000)::SMALLINT AS small,
    CASE WHEN i % 3 = 0 THEN NULL ELSE i * 1000 END::INTEGER AS int,
    (i * 100000)::BIGINT AS big,
    CASE WHEN i % 4 = 0 THEN NULL ELSE i / 7 END::DOUBLE AS dbl,
    (i / 3)::FLOAT AS flt,
    (i / 8)::DECIMAL(6, 1) AS dec,
    CASE WHEN i % 6 = 0 THEN NULL ELSE i % 2 = 0 END AS bool,
    CASE WHEN i % 9 = 0 THEN NULL ELSE DATE '2024-09-02' + (i % 400)::INTEGER END AS day,
    TIMESTAMP '2025-01-06 00:00:00' + INTERVAL (i % 3 * 90) MINUTE AS ts,
    TIME '08:45:00' AS t,
    (i % 3)::UTINYINT AS u8,
    CASE WHEN i < 3000 THEN 'DEMO1-00017' WHEN i < 4000 THEN 'DEMO1-00018' ELSE 'Zoë Brontë' END AS repeated
  FROM range(5000) r(i)`;

describe('reading page data from DuckDB vectors', () => {
  it("gives every value as the node API's own conversion did, over several chunks", async () => {
    await withWarehouse(IN_MEMORY, async (connection) => {
      const expected = (await connection.runAndReadAll(TABLE)).getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
      const { names, values, rows } = await readColumns(connection, TABLE);
      expect(rows).toBe(5000);
      const got = Array.from({ length: rows }, (_, r) => Object.fromEntries(names.map((n, c) => [n, values[c][r]])));
      expect(got).toEqual(expected);
      // Spot checks of the conversions themselves.
      expect(got[2].text).toBe('Zoë');
      expect(got[5].text).toBe('Łukasz Wiśniewski-Brown');
      expect(got[1].day).toBe('2024-09-03');
      expect(got[0].ts).toBe('2025-01-06');
      expect(got[1].ts).toBe('2025-01-06T01:30');
      expect(got[0].text).toBeNull();
      expect(got[1].big).toBe(100000);
      expect(got.map((r) => r.repeated)).toEqual([...Array(3000).fill('DEMO1-00017'), ...Array(1000).fill('DEMO1-00018'), ...Array(1000).fill('Zoë Brontë')]);
    });
  });

  it('streams a chunk at a time, each read in pieces, with the same values', async () => {
    await withWarehouse(IN_MEMORY, async (connection) => {
      const whole = await readColumns(connection, TABLE);
      const chunks: number[] = [];
      const columns = whole.names.map(() => [] as unknown[]);
      await streamChunks(connection, TABLE, [], (chunk) => {
        chunks.push(chunk.rowCount);
        // In three pieces, as a loader splitting a chunk between parts reads it.
        const cuts = [0, 5, Math.floor(chunk.rowCount / 2), chunk.rowCount];
        for (let c = 0; c < columns.length; c++) for (let k = 0; k < 3; k++) appendColumn(chunk, c, columns[c] as never, cuts[k], cuts[k + 1]);
      });
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.reduce((a, b) => a + b, 0)).toBe(5000);
      expect(columns).toEqual(whole.values);
    });
  });

  it('gives a chunk\'s column as runs of equal values, those of its values one by one', async () => {
    await withWarehouse(IN_MEMORY, async (connection) => {
      // Ordered, so that values repeat row after row (text inline and not, nulls among them).
      const ordered = `SELECT * FROM (${TABLE}) ORDER BY repeated, text, i`;
      let chunks = 0;
      const names = await streamChunks(connection, ordered, [], (chunk) => {
        chunks++;
        for (let c = 0; c < chunk.columnCount; c++) {
          const values: unknown[] = [];
          appendColumn(chunk, c, values as never);
          const expected: { values: unknown[]; ends: number[] } = { values: [], ends: [] };
          values.forEach((v, j) => {
            if (j > 0 && v === values[j - 1]) expected.ends[expected.ends.length - 1] = j + 1;
            else expected.values.push(v), expected.ends.push(j + 1);
          });
          expect(columnRuns(chunk, c)).toEqual(expected);
        }
      });
      expect(chunks).toBeGreaterThan(1);
      expect(names).toContain('repeated');
    });
  });
});
