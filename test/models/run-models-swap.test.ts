// The model runner builds the models it rebuilds whole ahead of its transaction, each committed
// on its own under a `__next__` name, and renames them into place in the transaction's last step
// (src/models/run-models.ts, runModels). Until then `main` must read as the last run left it:
// after a model fails, and after the process is killed part-way.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { SQL_DIR } from '../../src/models/model-files.ts';
import { runModels } from '../../src/models/run-models.ts';
import { openWarehouse, queryRows } from '../../src/warehouse/warehouse.ts';
import { sqlDir } from '../helpers/sql-dir.ts';
import { tempDbPath } from '../helpers/warehouse.ts';

const RUN_MODELS = fileURLToPath(new URL('../../src/models/run-models.ts', import.meta.url));
const WAREHOUSE = fileURLToPath(new URL('../../src/warehouse/warehouse.ts', import.meta.url));

/** Three models (a table, a table reading it, a view reading that) and a macro the first calls. */
function models(bump: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'macros/bump.sql': `CREATE OR REPLACE MACRO bump(x) AS x + ${bump};`,
    'staging/a.sql': 'select bump(1) as v, small_count_threshold as s from settings',
    'intermediate/b.sql': 'select v * 10 as w from a',
    'marts/c.sql': '-- materialised: view\nselect w + 1 as u from b',
    ...extra,
  };
}

/** What `main` holds: each model's rows, the macro's value and the setting, as a reader sees them. */
async function mainState(c: DuckDBConnection) {
  const one = async (sql: string) => (await queryRows<{ x: number }>(c, `select (${sql})::INTEGER AS x`))[0].x;
  return {
    a: await one('select v from a'),
    s: await one('select s from a'),
    b: await one('select w from b'),
    c: await one('select u from c'),
    bump: await one('select bump(1)'),
    setting: await one('select small_count_threshold from settings'),
  };
}

/** Relations with the `__next__` prefix (a run's, or a killed run's), and temporary views or tables left in the connection. */
async function leftovers(c: DuckDBConnection) {
  const staged = await queryRows<{ name: string }>(c, "SELECT table_name AS name FROM information_schema.tables WHERE table_name LIKE '\\_\\_next\\_\\_%' ESCAPE '\\' ORDER BY 1");
  const temporary = await queryRows<{ name: string }>(c, "SELECT table_name AS name FROM information_schema.tables WHERE table_catalog = 'temp' ORDER BY 1");
  const macros = await queryRows<{ name: string }>(c, "SELECT DISTINCT function_name AS name FROM duckdb_functions() WHERE database_name = 'temp' AND function_type = 'macro'");
  // current_raw_partitions is the fingerprints' own scratch table (replaced by the next run's), not the swap's.
  return { staged: staged.map((r) => r.name), temporary: temporary.map((r) => r.name).filter((n) => n !== 'current_raw_partitions'), macros: macros.map((r) => r.name) };
}

const NONE = { staged: [], temporary: [], macros: [] };

/** Runs the models over `db` in a child process that SIGKILLs itself once `killAfter` is built. */
function runAndKill(db: string, dir: string, killAfter: string): Promise<NodeJS.Signals | null> {
  const script = path.join(dir, 'run-and-kill.mjs');
  writeFileSync(
    script,
    `const { runModels } = await import(${JSON.stringify(RUN_MODELS)});
const { openWarehouse } = await import(${JSON.stringify(WAREHOUSE)});
const w = await openWarehouse(${JSON.stringify(db)});
await runModels(w.connection, { sqlDir: ${JSON.stringify(dir)}, settings: { smallCountThreshold: 7 }, onModel: (m) => { if (m.name === ${JSON.stringify(killAfter)}) process.kill(process.pid, 'SIGKILL'); } });
`,
  );
  return new Promise((resolve, reject) => {
    // `--import tsx` (resolved from the repository, the working folder) loads the TypeScript sources.
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'ignore', 'inherit'], cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve(signal));
  });
}

describe('models built ahead of the run’s transaction and swapped in at its end', () => {
  it('a model that fails leaves main, its settings and macros as they were, and nothing of the run behind', async () => {
    const w = await openWarehouse(tempDbPath());
    try {
      await runModels(w.connection, { sqlDir: sqlDir(models(1)) });
      const before = await mainState(w.connection);
      expect(before).toEqual({ a: 2, s: 5, b: 20, c: 21, bump: 2, setting: 5 });

      // A new macro and setting; a, b and c are built (a and b ahead of the transaction) before zbad fails.
      const failing = sqlDir(models(100, { 'marts/zbad.sql': 'select * from b where nonexistent = 1' }));
      await expect(runModels(w.connection, { sqlDir: failing, settings: { smallCountThreshold: 7 } })).rejects.toThrow(/model zbad .* failed/);
      expect(await mainState(w.connection)).toEqual(before);
      expect(await leftovers(w.connection)).toEqual(NONE);

      // Fixed: the new macro and setting reach every model, the view reads the new table.
      const report = await runModels(w.connection, { sqlDir: sqlDir(models(100)), settings: { smallCountThreshold: 7 } });
      expect(report.modes).toEqual({ a: 'full', b: 'full', c: 'view' });
      expect(await mainState(w.connection)).toEqual({ a: 101, s: 7, b: 1010, c: 1011, bump: 101, setting: 7 });
      expect(await leftovers(w.connection)).toEqual(NONE);
    } finally {
      w.close();
    }
  });

  it('a run killed after building tables ahead leaves main as the last run left it; the next run drops its leftovers', async () => {
    const db = tempDbPath();
    const first = await openWarehouse(db);
    await runModels(first.connection, { sqlDir: sqlDir(models(1)) });
    const before = await mainState(first.connection);
    first.close();

    const changed = sqlDir(models(100));
    expect(await runAndKill(db, changed, 'b')).toBe('SIGKILL');

    const reopened = await openWarehouse(db);
    try {
      // b was built and committed under its __next__ name before the kill: main still reads the old models.
      expect((await leftovers(reopened.connection)).staged).toEqual(['__next__a', '__next__b']);
      expect(await mainState(reopened.connection)).toEqual(before);
      await runModels(reopened.connection, { sqlDir: changed, settings: { smallCountThreshold: 7 } });
      expect(await mainState(reopened.connection)).toEqual({ a: 101, s: 7, b: 1010, c: 1011, bump: 101, setting: 7 });
      expect(await leftovers(reopened.connection)).toEqual(NONE);
    } finally {
      reopened.close();
    }
  });

  it('a model updated by partition is updated in the transaction, and what reads it and a model built ahead reads both as built this run', async () => {
    const w = await openWarehouse(tempDbPath());
    try {
      await w.connection.run("CREATE SCHEMA raw; CREATE TABLE raw.marks (school_id VARCHAR, date DATE, n INTEGER); INSERT INTO raw.marks VALUES ('S1', '2025-09-08', 1), ('S1', '2025-09-15', 2)");
      const files = (k: number) => ({
        // The runner names a year as the calendar macros do ("2025/26").
        'macros/calendar.sql': readFileSync(path.join(SQL_DIR, 'macros', 'calendar.sql'), 'utf-8'),
        // Rebuilt whole when its SQL changes: built ahead of the transaction.
        'staging/weights.sql': `select ${k} as k`,
        // Updated by partition when raw.marks changes: in the transaction.
        'intermediate/marks.sql': '-- incremental: school_year\nselect school_id, academic_year_of(date) as academic_year, date, n from raw.marks',
        // Reads both: in the transaction (it reads a model updated there), built whole (weights changed).
        'marts/total.sql': 'select sum(n) * max(k) as total from marks, weights',
      });
      await runModels(w.connection, { sqlDir: sqlDir(files(3)) });
      expect(await queryRows(w.connection, 'SELECT total::INTEGER AS total FROM total')).toEqual([{ total: 9 }]);
      await w.connection.run("INSERT INTO raw.marks VALUES ('S1', '2025-09-22', 4)");
      const steps: string[] = [];
      const report = await runModels(w.connection, { sqlDir: sqlDir(files(5)), onStep: (s) => steps.push(`${s.model ?? ''}:${s.step}`) });
      expect(report.modes).toEqual({ weights: 'full', marks: 'partitions', total: 'full' });
      expect(await queryRows(w.connection, 'SELECT total::INTEGER AS total FROM total')).toEqual([{ total: 35 }]);
      expect(await queryRows(w.connection, 'SELECT k FROM weights')).toEqual([{ k: 5 }]);
      // weights built (ahead) before the transaction's models, marks and total, and the swap after them.
      const at = (step: string) => steps.indexOf(step);
      expect(at('weights:build')).toBeLessThan(at('marks:insert'));
      expect(at('marks:insert')).toBeLessThan(at('total:build'));
      expect(at('total:build')).toBeLessThan(at(':swap'));
      expect(await leftovers(w.connection)).toEqual(NONE);
    } finally {
      w.close();
    }
  });
});
