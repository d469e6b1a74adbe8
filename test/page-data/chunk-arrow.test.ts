/**
 * Arrow files straight from DuckDB's vectors (src/page-data/chunk-arrow.ts) must be the bytes the
 * values give (appendColumn, then arrowFileOfColumns): the same types, the same dictionaries in
 * the same order, the same validity, for every type a mart has, for ranges of rows that start and
 * end inside chunks and run over several; and for columns whose every value is null, short and
 * long text repeated from chunk to chunk, dates repeated row after row or every other row, text
 * cast to an ENUM (encoded as the text: its values in order of first appearance), and runs of
 * nulls longer than a validity word (taken 32 rows at once) starting anywhere in the range.
 */
import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import type { DuckDBDataChunk } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { arrowFileOfColumns } from '../../src/page-data/arrow-file.ts';
import { arrowFileOfChunkRanges, type ChunkRange } from '../../src/page-data/chunk-arrow.ts';
import { appendColumn, streamChunks, type Plain } from '../../src/page-data/duckdb-columns.ts';
import { IN_MEMORY, withWarehouse } from '../../src/warehouse/warehouse.ts';

const TABLE = `
  SELECT 'part' AS part, i,
    CASE i % 7 WHEN 0 THEN NULL WHEN 1 THEN 'Y7' WHEN 2 THEN 'Zoë' WHEN 3 THEN 'exactly12chr'
      WHEN 4 THEN 'a comment longer than twelve bytes ' || (i % 5) WHEN 5 THEN 'Łukasz Wiśniewski-Brown' ELSE '' END AS text,
    CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 200 - 100)::TINYINT END AS tiny,
    (i * 7 % 60000 - 30000)::SMALLINT AS small,
    CASE WHEN i < 4000 THEN i % 128 ELSE i % 200 END::INTEGER AS byte_edge,
    CASE WHEN i % 3 = 0 THEN NULL ELSE i * 1000 END::INTEGER AS int,
    (i * 100000)::BIGINT AS big,
    CASE WHEN i % 4 = 0 THEN NULL ELSE i / 7 END::DOUBLE AS dbl,
    CASE WHEN i % 4 = 0 THEN NULL ELSE i % 9 END::DOUBLE AS whole_dbl,
    (i / 3)::FLOAT AS flt,
    (i / 8)::DECIMAL(6, 1) AS dec,
    CASE WHEN i % 6 = 0 THEN NULL ELSE i % 2 = 0 END AS bool,
    CASE WHEN i % 9 = 0 THEN NULL ELSE DATE '2024-09-02' + (i // 5 % 400)::INTEGER END AS day,
    CASE WHEN i % 2 = 0 THEN DATE '2025-01-06' END AS day_half,
    TIMESTAMP '2025-01-06 00:00:00' + INTERVAL (i % 3 * 90) MINUTE AS ts,
    TIME '08:45:00' AS t,
    (i % 3)::UTINYINT AS u8,
    NULL::VARCHAR AS no_text,
    NULL::INTEGER AS no_number,
    CASE WHEN i < 3000 THEN 'DEMO1-00017' WHEN i < 4000 THEN 'seed1-pupils2000-years5-schools1' ELSE 'Zoë Brontë' END AS repeated,
    CAST(CASE WHEN i % 11 = 0 THEN NULL WHEN i < 1500 THEN 'attendance_week' WHEN i % 3 = 0 THEN 'behaviour' ELSE 'attendance_week' END
      AS ENUM('behaviour', 'attendance_week', 'never used', 'Zoë')) AS kind,
    CAST(NULL AS ENUM('a', 'b')) AS no_kind,
    CASE WHEN i % 1000 < 300 THEN NULL ELSE i % 50 END::INTEGER AS gappy_int,
    CASE WHEN i % 1000 >= 700 THEN NULL ELSE 'g' || (i % 4) END AS gappy_text,
    CASE WHEN (i // 100) % 3 = 0 THEN NULL ELSE i % 2 = 1 END AS gappy_bool,
    CASE WHEN (i // 77) % 2 = 0 THEN NULL ELSE DATE '2025-01-06' + (i % 10)::INTEGER END AS gappy_day,
    CAST(CASE WHEN (i // 64) % 2 = 1 THEN NULL ELSE 'behaviour' END AS ENUM('behaviour', 'x')) AS gappy_kind
  FROM range(5000) r(i) ORDER BY i`;

describe('Arrow files from DuckDB vectors', () => {
  it('gives the bytes the values give, for ranges within and across chunks', async () => {
    await withWarehouse(IN_MEMORY, async (connection) => {
      const chunks: DuckDBDataChunk[] = [];
      const names = await streamChunks(connection, TABLE, [], (chunk) => void chunks.push(chunk));
      expect(chunks.length).toBeGreaterThan(2);
      const columns = names.slice(1);
      // Row offsets in the whole result where each chunk starts.
      const starts = chunks.map((_, k) => chunks.slice(0, k).reduce((n, c) => n + c.rowCount, 0));
      const rangesOf = (from: number, to: number): ChunkRange[] =>
        chunks.flatMap((chunk, k) => {
          const a = Math.max(from, starts[k]);
          const b = Math.min(to, starts[k] + chunk.rowCount);
          return a < b ? [{ chunk, from: a - starts[k], to: b - starts[k] }] : [];
        });
      // One row; rows inside a chunk; across one and two chunk boundaries; all of them; near the end.
      const spans: [number, number][] = [[0, 1], [5, 700], [1500, 2600], [100, 4500], [0, 5000], [4090, 4110], [4101, 4200]];
      for (const [from, to] of spans) {
        const ranges = rangesOf(from, to);
        const values = columns.map((_, c) => {
          const out: Plain[] = [];
          for (const r of ranges) appendColumn(r.chunk, c + 1, out, r.from, r.to);
          return out;
        });
        const expected = arrowFileOfColumns(columns, values);
        const got = arrowFileOfChunkRanges(columns, ranges, 1);
        expect(Buffer.from(got).equals(Buffer.from(expected)), `rows ${from}–${to}`).toBe(true);
      }
      // And the file reads back as the rows (spot checks of what the bytes hold).
      const table = tableFromIPC(arrowFileOfChunkRanges(columns, rangesOf(0, 5000), 1));
      expect(table.numRows).toBe(5000);
      expect(table.getChild('text')!.get(2)).toBe('Zoë');
      expect(table.getChild('text')!.get(4)).toBe('a comment longer than twelve bytes 4');
      expect(table.getChild('day')!.get(5)).toBe('2024-09-03');
      expect(table.getChild('no_text')!.get(7)).toBeNull();
      expect(table.getChild('repeated')!.get(3500)).toBe('seed1-pupils2000-years5-schools1');
      expect(String(table.getChild('whole_dbl')!.type)).toBe('Int8');
      expect(String(table.getChild('dbl')!.type)).toBe('Float64');
      // An enum is encoded as its text: a dictionary in order of first appearance.
      expect(String(table.getChild('kind')!.type)).toBe('Dictionary<Int8, Utf8>');
      expect([1, 1600, 1599].map((i) => table.getChild('kind')!.get(i))).toEqual(['attendance_week', 'attendance_week', 'behaviour']);
      expect(table.getChild('kind')!.get(0)).toBeNull();
    });
  });
});
