/**
 * How models are built: tables or views (`-- materialised: view`), per-model timings, the
 * --profile plans, and the row-for-row comparison used to prove a faster model gives the
 * same marts. No timing is asserted: only that timings are reported.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { materialisationOf, readModels, SQL_DIR } from '../../src/models/model-files.ts';
import { runModels } from '../../src/models/run-models.ts';
import { openWarehouse, queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse, tempDbPath } from '../helpers/warehouse.ts';
import { sqlDir } from '../helpers/sql-dir.ts';

async function kindOf(warehouse: Warehouse, name: string): Promise<string | undefined> {
  const rows = await queryRows<{ table_type: string }>(warehouse.connection, `SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = '${name}'`);
  return rows[0]?.table_type;
}

describe('materialisation', () => {
  it('reads `-- materialised: view` from the file; anything else is a table', () => {
    expect(materialisationOf('-- materialised: view (read once)\nselect 1')).toBe('view');
    expect(materialisationOf('-- Header.\n-- Materialised: VIEW\nselect 1')).toBe('view');
    expect(materialisationOf('-- materialised: table\nselect 1')).toBe('table');
    expect(materialisationOf('select 1 -- a view would do')).toBe('table');
  });

  it('builds a view where the model says so, and switches kind between runs', async () => {
    const warehouse = await openTempWarehouse();
    try {
      const asView = sqlDir({ 'staging/stg_x.sql': '-- materialised: view\nselect range AS k from range(3)', 'marts/m.sql': 'select count(*)::INTEGER AS n from stg_x' });
      const report = await runModels(warehouse.connection, { sqlDir: asView });
      expect(await kindOf(warehouse, 'stg_x')).toBe('VIEW');
      expect(await kindOf(warehouse, 'm')).toBe('BASE TABLE');
      // The view is not counted (counting would compute it); its reader has its 3 rows.
      expect(report.rowCounts).toEqual({ m: 1 });
      expect(await queryRows(warehouse.connection, 'select n from m')).toEqual([{ n: 3 }]);
      const asTable = sqlDir({ 'staging/stg_x.sql': 'select range AS k from range(4)', 'marts/m.sql': 'select count(*)::INTEGER AS n from stg_x' });
      await runModels(warehouse.connection, { sqlDir: asTable });
      expect(await kindOf(warehouse, 'stg_x')).toBe('BASE TABLE');
      expect(await queryRows(warehouse.connection, 'select n from m')).toEqual([{ n: 4 }]);
      await runModels(warehouse.connection, { sqlDir: asView });
      expect(await kindOf(warehouse, 'stg_x')).toBe('VIEW');
      expect(await queryRows(warehouse.connection, 'select n from m')).toEqual([{ n: 3 }]);
    } finally {
      warehouse.close();
    }
  });

  it('the models declared as views in sql/ are the big staging copies, the behaviour events\' dates, the classified marks, the pupils on roll each week, the impact resamples with their ids, the pupil-week copy and the pupil timeline with its records', () => {
    const views = readModels().filter((m) => m.materialised === 'view').map((m) => m.name).sort();
    expect(views).toEqual(['int_attendance_classified', 'int_impact_resamples', 'int_pupil_records', 'int_pupil_weeks', 'mart_pupil_timeline', 'mart_pupil_week', 'stg_attendance', 'stg_behaviour', 'stg_behaviour_dates', 'stg_calendar', 'stg_students']);
    // Two marts are views: the pupil timeline, read once per school by the pupil profile's export
    // (a read-only connection reads a view over tables as it reads a table), and a pass-through of
    // int_pupil_week_indexed for analysts, which no page reads. Every other mart is a table:
    // pages and analysts read them many times.
    const martViews = readModels().filter((m) => m.layer === 'marts' && m.materialised === 'view').map((m) => m.name);
    expect(martViews).toEqual(['mart_pupil_timeline', 'mart_pupil_week']);
    const pageCode = ['reports/data', 'src/page-data', 'src/pdf'].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf-8' }).filter((f) => /\.(ts|js)$/.test(f)).map((f) => ({ file: path.join(dir, f), text: readFileSync(path.join(dir, f), 'utf-8') })));
    expect(pageCode.length).toBeGreaterThan(10);
    expect(pageCode.filter((c) => /\bmart_pupil_week\b/.test(c.text)).map((c) => c.file)).toEqual([]);
  });
});

describe('timings and plans', () => {
  it('reports elapsed and CPU seconds for every model, and the onModel callback sees each', async () => {
    const warehouse = await openTempWarehouse();
    try {
      const seen: string[] = [];
      const dir = sqlDir({ 'staging/a.sql': 'select 1 AS v', 'marts/b.sql': 'select v + 1 AS w from a' });
      const report = await runModels(warehouse.connection, { sqlDir: dir, onModel: (m) => seen.push(`${m.name}:${m.rows}`) });
      expect(seen).toEqual(['a:1', 'b:1']);
      expect(Object.keys(report.seconds)).toEqual(['a', 'b']);
      expect(Object.keys(report.cpuSeconds)).toEqual(['a', 'b']);
      for (const s of [...Object.values(report.seconds), ...Object.values(report.cpuSeconds)]) expect(s).toBeGreaterThanOrEqual(0);
    } finally {
      warehouse.close();
    }
  });

  it('counts the rows of tables, not of views: onModel has null for a view, and no count step is run for it', async () => {
    const warehouse = await openTempWarehouse();
    try {
      const seen: string[] = [];
      const counted: string[] = [];
      const dir = sqlDir({ 'staging/v.sql': '-- materialised: view\nselect range AS k from range(5)', 'marts/t.sql': 'select k from v where k < 2' });
      const report = await runModels(warehouse.connection, {
        sqlDir: dir,
        onModel: (m) => seen.push(`${m.name}:${m.rows}`),
        onStep: (s) => {
          if (s.step === 'count') counted.push(s.model as string);
        },
      });
      expect(seen).toEqual(['v:null', 't:2']);
      expect(counted).toEqual(['t']);
      expect(report.rowCounts).toEqual({ t: 2 });
    } finally {
      warehouse.close();
    }
  });

  it('--profile writes the EXPLAIN ANALYZE of each table model, and still builds it', async () => {
    const warehouse = await openTempWarehouse();
    try {
      const profileDir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-profile-'));
      const dir = sqlDir({
        'staging/stg_v.sql': '-- materialised: view\nselect range AS k from range(10)',
        'marts/mart_sum.sql': 'select sum(k)::INTEGER AS total from stg_v',
      });
      await runModels(warehouse.connection, { sqlDir: dir, profileDir });
      expect(readdirSync(profileDir)).toEqual(['mart_sum.txt']);
      const plan = readFileSync(path.join(profileDir, 'mart_sum.txt'), 'utf-8');
      expect(plan).toContain('mart_sum.sql');
      expect(plan).toMatch(/Total Time/);
      expect(plan).toMatch(/UNGROUPED_AGGREGATE|HASH_GROUP_BY|PERFECT_HASH_GROUP_BY/);
      expect(await queryRows(warehouse.connection, 'select total from mart_sum')).toEqual([{ total: 45 }]);
    } finally {
      warehouse.close();
    }
  });
});

describe('compareWarehouses', () => {
  async function warehouseWith(sql: string): Promise<string> {
    const db = tempDbPath();
    const w = await openWarehouse(db);
    try {
      await w.connection.run(sql);
    } finally {
      w.close();
    }
    return db;
  }

  it('finds identical relations identical, and names each kind of difference', async () => {
    const base = await warehouseWith(`
      create table same as select * from (values (1, 0.1::DOUBLE, 'a'), (1, 0.1::DOUBLE, 'a'), (2, NULL, NULL)) t(k, x, s);
      create table changed as select * from (values (1, 'a'), (2, 'b')) t(k, s);
      create table duplicated as select * from (values (1), (2)) t(k);
      create table retyped as select 1::INTEGER AS k;
      create table only_here as select 1 AS k;`);
    const other = await warehouseWith(`
      create table same as select * from (values (2, NULL, NULL), (1, 0.1::DOUBLE + 1e-12, 'a'), (1, 0.1::DOUBLE, 'a')) t(k, x, s);
      create table changed as select * from (values (1, 'a'), (2, 'B')) t(k, s);
      create table duplicated as select * from (values (1), (2), (2)) t(k);
      create table retyped as select 1::BIGINT AS k;`);
    const w = await openWarehouse(base, { readOnly: true });
    try {
      const result = await compareWarehouses(w.connection, other);
      expect(result.compared).toEqual(['changed', 'duplicated', 'only_here', 'retyped', 'same']);
      const byName = Object.fromEntries(result.differences.map((d) => [d.name, d]));
      expect(Object.keys(byName).sort()).toEqual(['changed', 'duplicated', 'only_here', 'retyped']);
      expect(byName.changed).toMatchObject({ onlyInBase: 1, onlyInOther: 1 });
      expect(byName.duplicated).toMatchObject({ onlyInBase: 0, onlyInOther: 1 });
      expect(byName.retyped.reason).toMatch(/columns differ/);
      expect(byName.only_here.reason).toMatch(/only in the first/);
      // Floating-point noise below the 9th decimal place is not a difference; anything coarser is.
      const strict = await compareWarehouses(w.connection, other, { names: ['same'], floatDecimals: 15 });
      expect(strict.differences.map((d) => d.name)).toEqual(['same']);
    } finally {
      w.close();
    }
  });
});

describe('views or tables, the marts are the same', () => {
  let exportsDir: string;
  beforeAll(async () => {
    exportsDir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-demo-'));
    await generateDemo({ outDir: exportsDir, pupils: 50, years: 2, schools: 2, seed: 7 });
  });

  it('gives identical models row for row when every model is a table', async () => {
    // sql/ as it is, and a copy with every `-- materialised: view` line taken out.
    const allTables = mkdtempSync(path.join(os.tmpdir(), 'pastoral-sql-tables-'));
    cpSync(SQL_DIR, allTables, { recursive: true });
    let rewritten = 0;
    for (const layer of ['staging', 'intermediate', 'marts']) {
      for (const f of readdirSync(path.join(allTables, layer))) {
        const file = path.join(allTables, layer, f);
        const sql = readFileSync(file, 'utf-8');
        const stripped = sql.replace(/^--\s*materialised:.*$/gim, '--');
        if (stripped !== sql) rewritten++;
        writeFileSync(file, stripped);
      }
    }
    expect(rewritten).toBe(11);
    const dbs: string[] = [];
    for (const dir of [undefined, allTables]) {
      const db = tempDbPath();
      const w = await openWarehouse(db);
      try {
        await ingest(w.connection, [exportsDir]);
        const report = await runModels(w.connection, { sqlDir: dir });
        expect(report.failures).toEqual([]);
      } finally {
        w.close();
      }
      dbs.push(db);
    }
    const w = await openWarehouse(dbs[0], { readOnly: true });
    try {
      const names = readModels().map((m) => m.name);
      const result = await compareWarehouses(w.connection, dbs[1], { names });
      expect(result.differences).toEqual([]);
      expect(result.compared.length).toBe(names.length);
      const [{ n }] = await queryRows<{ n: number }>(w.connection, 'select count(*)::INTEGER AS n from mart_pupil_timeline');
      expect(n).toBeGreaterThan(1000);
    } finally {
      w.close();
    }
  }, 600_000);
});
