// The SQL runs one way: staging reads raw.* and seeds, intermediates read staging and each
// other, marts read anything below them. An intermediate that read a mart (issue 8:
// int_pupil_week_indexed read mart_pupil_week, int_watchlist_signals read mart_bsc_referrals)
// would tie a reusable join to a page's table; the shared logic belongs in an intermediate.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerViolations, modelDependencies } from '../../src/models/dependencies.ts';
import { readModels } from '../../src/models/model-files.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

describe('SQL layers', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
  });
  afterAll(() => warehouse?.close());

  it('no intermediate reads a mart, and no staging model reads either (the repository sql/)', async () => {
    const models = readModels();
    const deps = await modelDependencies(warehouse.connection, models);
    expect(models.filter((m) => m.layer === 'intermediate').length).toBeGreaterThan(5);
    expect(layerViolations(models, deps)).toEqual([]);
  });

  it('names each read that goes up a layer', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-sql-'));
    const files: Record<string, string> = {
      'staging/stg_a.sql': 'select 1 as k',
      'staging/stg_b.sql': 'select * from stg_a join int_c using (k)',
      'intermediate/int_c.sql': 'select * from stg_a',
      'intermediate/int_d.sql': 'with m as (select * from mart_e) select * from m join int_c using (k)',
      'marts/mart_e.sql': 'select * from int_c join stg_a using (k)',
    };
    for (const [file, sql] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), sql);
    }
    const models = readModels(dir);
    expect(layerViolations(models, await modelDependencies(warehouse.connection, models))).toEqual([
      'sql/intermediate/int_d.sql (intermediate) reads mart_e (marts)',
      'sql/staging/stg_b.sql (staging) reads int_c (intermediate)',
    ]);
  });
});
