import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { modelDependencies, topologicalOrder } from './dependencies.ts';
import { readDataTests, readMacros, readModels, SQL_DIR, type SqlFile } from './model-files.ts';
import { DEFAULT_SETTINGS, writeSettings, type ModelSettings } from './settings.ts';
import { ident, literal, queryRows } from '../warehouse/warehouse.ts';

export interface DataTestFailure {
  test: string;
  file: string;
  failingRows: number;
  sample: Record<string, unknown>[];
}

export interface ModelRunReport {
  order: string[];
  rowCounts: Record<string, number>;
  /** Seconds each model took to build (elapsed, including its row count). */
  seconds: Record<string, number>;
  /**
   * CPU seconds of this process (all DuckDB threads) while each model built: on a machine
   * shared with other work, steadier than elapsed time.
   */
  cpuSeconds: Record<string, number>;
  testsRun: number;
  failures: DataTestFailure[];
}

export interface ModelTiming {
  name: string;
  rows: number;
  seconds: number;
  cpuSeconds: number;
}

export interface RunModelsOptions {
  sqlDir?: string;
  settings?: Partial<ModelSettings>;
  onModel?: (model: ModelTiming) => void;
  /**
   * Write DuckDB's EXPLAIN ANALYZE of each model to `<dir>/<model>.txt` (the model is built by
   * that same statement, so the plan shown is the one that ran, with its timings).
   */
  profileDir?: string;
}

/**
 * Drops `name` in `main` when it exists as the other kind of relation (a model that became a
 * view was a table in the last run, or the reverse): CREATE OR REPLACE cannot change the kind.
 */
async function dropIfOtherKind(connection: DuckDBConnection, name: string, materialised: 'table' | 'view'): Promise<void> {
  const [existing] = await queryRows<{ table_type: string }>(
    connection,
    `SELECT table_type FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = ${literal(name)}`,
  );
  if (!existing) return;
  const isView = existing.table_type === 'VIEW';
  if (isView && materialised === 'table') await connection.run(`DROP VIEW ${ident(name)}`);
  if (!isView && materialised === 'view') await connection.run(`DROP TABLE ${ident(name)}`);
}

/** The text of an EXPLAIN ANALYZE result: DuckDB returns the plan as (explain_key, explain_value) rows. */
async function explainAnalyze(connection: DuckDBConnection, sql: string): Promise<string> {
  const rows = await queryRows<{ explain_key: string; explain_value: string }>(connection, `EXPLAIN ANALYZE ${sql}`);
  return rows.map((r) => r.explain_value).join('\n');
}

/**
 * Builds every model in dependency order inside one transaction (a failing model leaves the
 * previous marts as they were), each as a table, or as a view where its file says
 * `-- materialised: view`, then runs the data tests: queries that return failing rows.
 * It reads raw.*, which the loaders own and create (ingest, or `ensureRawSchema` first).
 */
export async function runModels(connection: DuckDBConnection, options: RunModelsOptions = {}): Promise<ModelRunReport> {
  const sqlDir = options.sqlDir ?? SQL_DIR;
  const models = readModels(sqlDir);
  const byName = new Map(models.map((m) => [m.name, m]));
  await connection.run('BEGIN TRANSACTION');
  const rowCounts: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  const cpuSeconds: Record<string, number> = {};
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  let order: string[];
  try {
    await writeSettings(connection, { ...DEFAULT_SETTINGS, ...options.settings });
    for (const macro of readMacros(sqlDir)) await connection.run(macro.sql);
    order = topologicalOrder(await modelDependencies(connection, models));
    for (const name of order) {
      const model = byName.get(name) as SqlFile;
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const statement = `CREATE OR REPLACE ${model.materialised === 'view' ? 'VIEW' : 'TABLE'} ${ident(name)} AS\n${model.sql}`;
      try {
        await dropIfOtherKind(connection, name, model.materialised);
        // A view's plan is part of each model that reads it: there is nothing to profile on its own.
        if (options.profileDir && model.materialised === 'table') {
          const plan = await explainAnalyze(connection, statement);
          writeFileSync(path.join(options.profileDir, `${name}.txt`), `-- ${model.file}\n${plan}\n`);
        } else {
          await connection.run(statement);
        }
      } catch (error) {
        throw new Error(`model ${name} (${model.file}) failed: ${(error as Error).message}`);
      }
      const [{ n }] = await queryRows<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM ${ident(name)}`);
      rowCounts[name] = n;
      seconds[name] = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      cpuSeconds[name] = (cpu.user + cpu.system) / 1e6;
      options.onModel?.({ name, rows: n, seconds: seconds[name], cpuSeconds: cpuSeconds[name] });
    }
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
  const tests = readDataTests(sqlDir);
  const failures: DataTestFailure[] = [];
  for (const test of tests) {
    const [{ n }] = await queryRows<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM (${test.sql})`);
    if (n > 0) {
      const sample = await queryRows(connection, `SELECT * FROM (${test.sql}) LIMIT 10`);
      failures.push({ test: test.name, file: test.file, failingRows: n, sample });
    }
  }
  return { order, rowCounts, seconds, cpuSeconds, testsRun: tests.length, failures };
}
