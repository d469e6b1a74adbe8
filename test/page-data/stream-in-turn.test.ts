/**
 * streamMartsInTurn (src/page-data/mart-export.ts): several queries' rows, one query after
 * another, with the next started on a second connection while the current one is read. Each
 * query's chunks must come whole and in its own order, then its end, then the next query's: on
 * a table, and on a view over it (the pupil timeline may be either), alone (a connection of its
 * own) and inside an export session (the session's connection and a second one).
 */
import { describe, expect, it } from 'vitest';
import { appendColumn, type Plain } from '../../src/page-data/duckdb-columns.ts';
import { exportSession, streamMartsInTurn } from '../../src/page-data/mart-export.ts';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';
import { SCHOOLS, usePartsWarehouse } from '../helpers/parts-warehouse.ts';


describe('streaming several marts in turn', () => {
  const warehouse = usePartsWarehouse('pastoral-in-turn-');

  /** Every event in the order it came: a chunk's rows (query index, then its rows' school and key) or a query's end. */
  async function events(relation: string): Promise<{ rows: Map<number, Plain[][]>; order: string[]; chunks: number }> {
    const rows = new Map<number, Plain[][]>();
    const order: string[] = [];
    let chunks = 0;
    await streamMartsInTurn(
      SCHOOLS.map((s) => `SELECT school_id, k, v FROM ${relation} WHERE school_id = '${s}' ORDER BY k, v`),
      (index, chunk) => {
        chunks++;
        const columns: Plain[][] = [[], [], []];
        for (let c = 0; c < 3; c++) appendColumn(chunk, c, columns[c]);
        const got = rows.get(index) ?? [];
        for (let r = 0; r < chunk.rowCount; r++) got.push([columns[0][r], columns[1][r], columns[2][r]]);
        rows.set(index, got);
        if (order.at(-1) !== `rows ${index}`) order.push(`rows ${index}`);
      },
      (index) => {
        order.push(`end ${index}`);
      },
    );
    return { rows, order, chunks };
  }

  async function expected(): Promise<Plain[][][]> {
    return withWarehouse(warehouse(), async (c) => {
      const all: Plain[][][] = [];
      for (const s of SCHOOLS) {
        const reader = await c.runAndReadAll(`SELECT school_id, k, v FROM t WHERE school_id = '${s}' ORDER BY k, v`);
        all.push(reader.getRowsJS().map((r) => r.map((v) => (v === null ? null : typeof v === 'number' ? v : String(v)))));
      }
      return all;
    });
  }

  for (const relation of ['t', 't_view']) {
    it(`gives each query's rows whole and in order, then its end, one query after another (${relation}, alone)`, async () => {
      const want = await expected();
      const { rows, order, chunks } = await events(relation);
      expect(chunks).toBeGreaterThan(8);
      expect(order).toEqual(['rows 0', 'end 0', 'rows 1', 'end 1', 'rows 2', 'end 2', 'rows 3', 'end 3', 'end 4']);
      for (let i = 0; i < 4; i++) {
        expect(rows.get(i)!.length, SCHOOLS[i]).toBe(6000);
        expect(rows.get(i), SCHOOLS[i]).toEqual(want[i]);
      }
      expect(rows.has(4)).toBe(false);
    });

    it(`gives the same inside an export session, on its connection and a second one (${relation})`, async () => {
      const alone = await events(relation);
      const inSession = await exportSession(warehouse(), () => events(relation));
      expect(inSession.order).toEqual(alone.order);
      expect(inSession.rows).toEqual(alone.rows);
    });
  }

  it('runs the queries a claim gives, in its order, and no others; refuses a claim out of range', async () => {
    const queries = SCHOOLS.map((s) => `SELECT k FROM t WHERE school_id = '${s}' ORDER BY k`);
    const claims = [3, 1];
    const seen: string[] = [];
    await streamMartsInTurn(
      queries,
      (index, chunk) => void seen.push(`rows ${index} ${chunk.rowCount}`),
      (index) => void seen.push(`end ${index}`),
      () => claims.shift() ?? null,
    );
    expect(seen.filter((e) => e.startsWith('end'))).toEqual(['end 3', 'end 1']);
    expect(seen.filter((e) => e.startsWith('rows 3')).reduce((n, e) => n + Number(e.split(' ')[2]), 0)).toBe(6000);
    await expect(streamMartsInTurn(queries, () => {}, () => {}, () => 9)).rejects.toThrow(`claimed query 9 of ${queries.length}`);
  });

  it('stops at a query that fails, with its error, and leaves the connections usable', async () => {
    await exportSession(warehouse(), async () => {
      const queries = ["SELECT k FROM t WHERE school_id = 'A' ORDER BY k", 'SELECT * FROM no_such_mart', "SELECT k FROM t WHERE school_id = 'B' ORDER BY k"];
      const seen: number[] = [];
      await expect(streamMartsInTurn(queries, (index) => void seen.push(index))).rejects.toThrow(/no_such_mart/);
      expect(new Set(seen)).toEqual(new Set([0]));
      // A loader that throws part way stops the rest, and the next loader can still query.
      await expect(
        streamMartsInTurn([queries[0], queries[2]], () => {
          throw new Error('the loader failed');
        }),
      ).rejects.toThrow('the loader failed');
      const after: number[] = [];
      await streamMartsInTurn([queries[2], queries[0]], (index, chunk) => void after.push(index, chunk.rowCount));
      expect(after.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0)).toBe(12000);
    });
  });
});
