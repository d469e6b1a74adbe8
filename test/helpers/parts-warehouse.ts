// A throwaway warehouse for the page-data streaming tests: table t (schools A–D × 6,000 rows,
// 3 parts each, a null in every 11th v; school E has none), stored in no useful order, and
// t_view, a view over it (the pupil timeline may be a table or a view). PASTORAL_DB names it
// while the tests run.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';

export const SCHOOLS = ['A', 'B', 'C', 'D', 'E'];

/** Registers the set-up and clean-up; call inside a describe. Returns the warehouse's path. */
export function usePartsWarehouse(prefix: string): () => string {
  let dir: string;
  let db: string;
  let savedDb: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    db = path.join(dir, 'w.duckdb');
    await withWarehouse(db, async (c) => {
      // k = i × 104729 mod 30011 (both prime): a different k for every row.
      await c.run(`CREATE TABLE t AS
        SELECT chr(65 + (i * 7919 % 4)::INTEGER) AS school_id, 'p' || (i % 3) AS part, (i * 104729 % 30011)::INTEGER AS k,
          CASE WHEN i % 11 = 0 THEN NULL ELSE 'value ' || i END AS v
        FROM range(24000) r(i)`);
      await c.run(`CREATE VIEW t_view AS SELECT * FROM t WHERE k >= 0 UNION ALL SELECT * FROM t WHERE k < 0`);
    });
    savedDb = process.env.PASTORAL_DB;
    process.env.PASTORAL_DB = db;
  });
  afterAll(() => {
    if (savedDb === undefined) delete process.env.PASTORAL_DB;
    else process.env.PASTORAL_DB = savedDb;
    rmSync(dir, { recursive: true, force: true });
  });
  return () => db;
}
