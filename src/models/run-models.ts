import type { DuckDBConnection } from '@duckdb/node-api';
import { modelDependencies, topologicalOrder } from './dependencies.ts';
import { readDataTests, readMacros, readModels, SQL_DIR, type SqlFile } from './model-files.ts';
import { DEFAULT_SETTINGS, writeSettings, type ModelSettings } from './settings.ts';
import { ident, queryRows } from '../warehouse/warehouse.ts';

export interface DataTestFailure {
  test: string;
  file: string;
  failingRows: number;
  sample: Record<string, unknown>[];
}

export interface ModelRunReport {
  order: string[];
  rowCounts: Record<string, number>;
  testsRun: number;
  failures: DataTestFailure[];
}

export interface RunModelsOptions {
  sqlDir?: string;
  settings?: Partial<ModelSettings>;
  onModel?: (name: string, rows: number) => void;
}

/**
 * Builds every model in dependency order inside one transaction (a failing model leaves the
 * previous marts as they were), then runs the data tests: queries that return failing rows.
 * It reads raw.*, which the loaders own and create (ingest, or `ensureRawSchema` first).
 */
export async function runModels(connection: DuckDBConnection, options: RunModelsOptions = {}): Promise<ModelRunReport> {
  const sqlDir = options.sqlDir ?? SQL_DIR;
  const models = readModels(sqlDir);
  const byName = new Map(models.map((m) => [m.name, m]));
  await connection.run('BEGIN TRANSACTION');
  const rowCounts: Record<string, number> = {};
  let order: string[];
  try {
    await writeSettings(connection, { ...DEFAULT_SETTINGS, ...options.settings });
    for (const macro of readMacros(sqlDir)) await connection.run(macro.sql);
    order = topologicalOrder(await modelDependencies(connection, models));
    for (const name of order) {
      const model = byName.get(name) as SqlFile;
      try {
        await connection.run(`CREATE OR REPLACE TABLE ${ident(name)} AS\n${model.sql}`);
      } catch (error) {
        throw new Error(`model ${name} (${model.file}) failed: ${(error as Error).message}`);
      }
      const [{ n }] = await queryRows<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM ${ident(name)}`);
      rowCounts[name] = n;
      options.onModel?.(name, n);
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
  return { order, rowCounts, testsRun: tests.length, failures };
}
