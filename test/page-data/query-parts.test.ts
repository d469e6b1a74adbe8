/**
 * encodeQueryPartsInThreads (src/page-data/query-parts.ts): parts of page data from queries whose
 * rows come ordered by part, shared between this thread and a worker thread. The parts must be
 * those one thread gives (the same bytes: each part is one query's rows of one value of its
 * first column), on a table and on a view over it, alone and inside an export session; a query
 * that fails in either thread rejects. With a piece limit, a part's rows are cut into pieces of
 * whole units (pupils), each at most the limit unless one unit alone is larger.
 */
import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import { describe, expect, it } from 'vitest';
import { exportSession } from '../../src/page-data/mart-export.ts';
import { claimInTurn, encodeQueryParts, encodeQueryPartsInThreads, type EncodedPart } from '../../src/page-data/query-parts.ts';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';
import { SCHOOLS, usePartsWarehouse } from '../helpers/parts-warehouse.ts';

const COLUMNS = ['school_id', 'k', 'v'];

describe('page-data parts encoded in two threads', () => {
  const warehouse = usePartsWarehouse('pastoral-query-parts-');

  const queries = (relation: string) => SCHOOLS.map((s) => `SELECT part, ${COLUMNS.join(', ')} FROM ${relation} WHERE school_id = '${s}' ORDER BY part, k, v`);

  /** The parts as "query/part" → bytes (hex), and rows. */
  async function collect(run: (onPart: (p: EncodedPart) => void) => Promise<void>): Promise<Map<string, { hex: string; rows: number }>> {
    const parts = new Map<string, { hex: string; rows: number }>();
    await run((p) => {
      const id = `${p.query}/${p.part}`;
      expect(parts.has(id), id).toBe(false);
      parts.set(id, { hex: Buffer.from(p.data).toString('hex'), rows: p.rows });
    });
    return parts;
  }

  for (const relation of ['t', 't_view']) {
    it(`gives the parts one thread gives, byte for byte (${relation})`, async () => {
      const one = await collect((onPart) => encodeQueryParts(queries(relation), COLUMNS, onPart));
      expect([...one.keys()].sort()).toEqual(['0/p0', '0/p1', '0/p2', '1/p0', '1/p1', '1/p2', '2/p0', '2/p1', '2/p2', '3/p0', '3/p1', '3/p2']);
      // Each part holds its query's rows of its part, in the query's order.
      const a1 = tableFromIPC(Buffer.from(one.get('1/p2')!.hex, 'hex')).toArray().map((r) => r.toJSON());
      expect(a1).toHaveLength(2000);
      expect(one.get('1/p2')!.rows).toBe(2000);
      expect(a1.every((r) => r.school_id === 'B')).toBe(true);
      expect(a1.map((r) => r.k)).toEqual([...a1.map((r) => r.k as number)].sort((x, y) => x - y));
      const two = await collect((onPart) => encodeQueryPartsInThreads(queries(relation), COLUMNS, onPart, 2));
      expect(two).toEqual(one);
      const inSession = await exportSession(warehouse(), () => collect((onPart) => encodeQueryPartsInThreads(queries(relation), COLUMNS, onPart, 2)));
      expect(inSession).toEqual(one);
    });
  }

  it('names a part by several key columns, joined by |: the parts one joined column gives', async () => {
    // Key columns: every column before COLUMNS. Two (text, number) against the same key joined in SQL.
    const joined = SCHOOLS.map((s) => `SELECT part || '|' || (k % 3) AS key, ${COLUMNS.join(', ')} FROM t WHERE school_id = '${s}' ORDER BY part, k % 3, k, v`);
    const split = SCHOOLS.map((s) => `SELECT part, k % 3 AS third, ${COLUMNS.join(', ')} FROM t WHERE school_id = '${s}' ORDER BY part, third, k, v`);
    const one = await collect((onPart) => encodeQueryParts(joined, COLUMNS, onPart));
    expect(one.size).toBe(4 * 9); // schools A–D, 3 parts × 3; E has no rows
    expect(one.has('1/p2|0')).toBe(true);
    for (const threads of [1, 2]) expect(await collect((onPart) => encodeQueryPartsInThreads(split, COLUMNS, onPart, threads))).toEqual(one);
    // A query with no key column is refused, not read as a part named by its first column.
    await expect(encodeQueryParts([`SELECT ${COLUMNS.join(', ')} FROM t`], COLUMNS, () => {})).rejects.toThrow(/names its part/);
  });

  it("gives each part's row-hash sum and xor as a GROUP BY of the same rows does, the parts' bytes unchanged", async () => {
    const hashed = SCHOOLS.map((s) => `SELECT hash(school_id, k, v) AS h, part, ${COLUMNS.join(', ')} FROM t WHERE school_id = '${s}' ORDER BY part, k, v`);
    const plain = await collect((onPart) => encodeQueryParts(queries('t'), COLUMNS, onPart));
    const totals = new Map<string, EncodedPart['rowHash']>();
    for (const threads of [1, 2]) {
      const got = await collect((onPart) =>
        encodeQueryPartsInThreads(hashed, COLUMNS, (p) => {
          totals.set(`${p.query}/${p.part}`, p.rowHash);
          onPart(p);
        }, threads, { rowHash: true }),
      );
      expect(got).toEqual(plain);
    }
    const want = await withWarehouse(warehouse(), async (c) => {
      const reader = await c.runAndReadAll(`SELECT school_id, part, CAST(sum(hash(school_id, k, v)) AS VARCHAR) AS s, CAST(bit_xor(hash(school_id, k, v)) AS VARCHAR) AS x FROM t GROUP BY ALL`);
      return new Map(reader.getRowObjectsJS().map((r) => [`${SCHOOLS.indexOf(String(r.school_id))}/${String(r.part)}`, { sum: String(r.s), xor: String(r.x) }]));
    });
    expect(totals.size).toBe(12);
    expect(Object.fromEntries(totals)).toEqual(Object.fromEntries(want));
    // Sums past 2^64 (2,000 hashes a part) are exact, not wrapped.
    expect([...totals.values()].every((t) => BigInt(t!.sum) > 2n ** 64n)).toBe(true);
    // A first column that is not a UBIGINT hash is refused.
    await expect(encodeQueryParts([`SELECT 1 AS h, ${queries('t')[0].slice('SELECT '.length)}`], COLUMNS, () => {}, { rowHash: true })).rejects.toThrow(/UBIGINT/);
  });

  it('shares the queries: two claimers of one counter take each query once, whoever asks first', () => {
    const next = new Int32Array(new SharedArrayBuffer(4));
    const a = claimInTurn(next, 5);
    const b = claimInTurn(next, 5);
    expect([a(), a(), b(), a(), b(), b(), a()]).toEqual([0, 1, 2, 3, 4, null, null]);
  });

  it('rejects when a query fails in the worker thread, or in this one', async () => {
    const qs = queries('t');
    await expect(encodeQueryPartsInThreads([qs[0], 'SELECT * FROM no_such_mart', qs[2]], COLUMNS, () => {}, 2)).rejects.toThrow(/no_such_mart/);
    await expect(encodeQueryPartsInThreads(['SELECT * FROM no_such_mart', qs[1], qs[2]], COLUMNS, () => {}, 2)).rejects.toThrow(/no_such_mart/);
    // A part refused by the caller (the loader's check) rejects too, whichever thread made it.
    await expect(
      encodeQueryPartsInThreads(qs, COLUMNS, (p) => {
        if (p.query === 3) throw new Error('part refused');
      }, 2),
    ).rejects.toThrow('part refused');
  });
  describe('with a piece limit', () => {
    const PIECE_COLUMNS = ['school_id', 'u', 'k', 'v'];
    // u = k div 97: units of about 8 rows in each school's part, ordered by part, unit, k.
    const pieceQueries = SCHOOLS.slice(0, 2).map((s) => `SELECT part, school_id, k // 97 AS u, k, v FROM t WHERE school_id = '${s}' ORDER BY part, u, k`);
    const decode = (p: EncodedPart) => tableFromIPC(p.data).toArray().map((r) => r.toJSON() as { u: number; k: number; v: string | null });

    async function pieces(limit: { rows: number; unit: string }, threads = 1): Promise<EncodedPart[]> {
      const out: EncodedPart[] = [];
      const collectPart = (p: EncodedPart) => void out.push(p);
      if (threads === 1) await encodeQueryParts(pieceQueries, PIECE_COLUMNS, collectPart, { limit });
      else await encodeQueryPartsInThreads(pieceQueries, PIECE_COLUMNS, collectPart, threads, { limit });
      return out.sort((a, b) => a.query - b.query || a.part.localeCompare(b.part) || a.piece - b.piece);
    }

    it('cuts each part into pieces of whole units, at most the limit, holding the part\'s rows in order', async () => {
      const whole: EncodedPart[] = [];
      await encodeQueryParts(pieceQueries, PIECE_COLUMNS, (p) => void whole.push(p));
      const cut = await pieces({ rows: 50, unit: 'u' });
      expect(cut.length).toBeGreaterThan(whole.length * 10);
      for (const w of whole) {
        expect(w.piece).toBe(0);
        expect(w.units).toBeUndefined();
        const mine = cut.filter((p) => p.query === w.query && p.part === w.part);
        expect(mine.map((p) => p.piece)).toEqual(mine.map((_, i) => i));
        // The pieces, one after another, are the part's rows in the part's order.
        expect(mine.flatMap(decode)).toEqual(decode(w));
        expect(mine.reduce((n, p) => n + p.rows, 0)).toBe(w.rows);
        const seen = new Set<string>();
        mine.forEach((p, i) => {
          const rows = decode(p);
          expect(rows).toHaveLength(p.rows);
          expect(p.rows).toBeLessThanOrEqual(50);
          // Each piece lists its units, and no unit is in two pieces.
          expect(p.units).toEqual([...new Set(rows.map((r) => String(r.u)))]);
          for (const u of p.units!) {
            expect(seen.has(u), `${w.part} unit ${u}`).toBe(false);
            seen.add(u);
          }
          // A piece ends only where the next unit would have taken it past the limit.
          const next = mine[i + 1];
          if (next) expect(p.rows + decode(next).filter((r) => String(r.u) === next.units![0]).length).toBeGreaterThan(50);
        });
      }
    });

    it('makes a unit with more rows than the limit a piece of its own, and gives the same pieces in two threads', async () => {
      const single = await pieces({ rows: 3, unit: 'u' });
      expect(single.every((p) => p.units!.length === 1)).toBe(true);
      expect(single.some((p) => p.rows > 3)).toBe(true);
      const one = await pieces({ rows: 50, unit: 'u' });
      expect(await pieces({ rows: 50, unit: 'u' }, 2)).toEqual(one);
      await expect(pieces({ rows: 50, unit: 'no_such_column' })).rejects.toThrow(/no_such_column/);
    });
  });
});
