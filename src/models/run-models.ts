import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { modelInputs, topologicalOrder } from './dependencies.ts';
import {
  ensureStateTables,
  INCREMENTAL_VERSION,
  keepModelHashes,
  keepRawFingerprints,
  keptModelHashes,
  modelTouched,
  partitionFilter,
  rawChanges,
  schoolFilter,
  sha256,
  type Touched,
} from './incremental.ts';
import { readDataTests, readMacros, readModels, SQL_DIR, type SqlFile } from './model-files.ts';
import { DEFAULT_SETTINGS, writeSettings, type ModelSettings } from './settings.ts';
import { ident, literal, queryRows } from '../warehouse/warehouse.ts';

/**
 * How a model was brought up to date: `full` (built whole), `partitions` (only the touched
 * (school, year) partitions deleted and built again), `unchanged` (nothing it reads changed: left
 * as it was), `view` (a view: defined again when its SQL changed, computed by its readers).
 */
export type BuildMode = 'full' | 'partitions' | 'unchanged' | 'view';

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
  /** How each model was brought up to date. */
  modes: Record<string, BuildMode>;
  /** The (school → academic years) rebuilt where models were rebuilt by partition; empty when none were. */
  touched: Record<string, string[]>;
  /** Why the run was whole, when it was (`--full`, the first run, a profile…); null when incremental. */
  fullReason: string | null;
  testsRun: number;
  failures: DataTestFailure[];
}

export interface ModelTiming {
  name: string;
  rows: number;
  seconds: number;
  cpuSeconds: number;
  mode?: BuildMode;
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
  /**
   * Build every model whole (`--full`). Otherwise only what changed since the last run is
   * rebuilt: models whose SQL, macros or settings changed, and, where the raw layer changed, the
   * touched partitions of incremental models (src/models/incremental.ts) and the whole of the
   * others that read what changed. Either way the marts are the same, row for row.
   */
  full?: boolean;
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

/** The catalog-qualified name of a model in `main` (a temp view of the same name may shadow it). */
function mainName(catalog: string, name: string): string {
  return `${ident(catalog)}.main.${ident(name)}`;
}

/**
 * The filter that restricts a model `reader`, rebuilt by partition, reads of `dep`: the touched
 * partitions of a model partitioned by school and year (or the touched years and the ones before,
 * or every year of the touched schools, as the reader's header asks), the touched schools of a
 * model partitioned by school; null (read whole) for an unpartitioned model.
 */
function inputFilter(reader: SqlFile, dep: SqlFile, touched: Touched): string | null {
  const inc = dep.incremental;
  if (!inc || !reader.incremental) return null;
  if (inc.by === 'school' || reader.incremental.by === 'school' || reader.incremental.allYearsOf.includes(dep.name)) return schoolFilter(touched);
  return partitionFilter(touched, inc.yearExpression, reader.incremental.previousYearOf.includes(dep.name), readsNextYearOf(reader, dep.name));
}

/** Whether `reader`'s header says it reads `dep` a year ahead of its own rows (`next year of`). */
function readsNextYearOf(reader: SqlFile, dep: string): boolean {
  return reader.incremental?.nextYearOf?.includes(dep) ?? false;
}

/**
 * The partitions `model`, updated by partition, rebuilds: the run's touched ones, those its
 * inputs rebuilt, and the year before each year rebuilt of an input it reads a year ahead.
 */
function partitionsOf(model: SqlFile, deps: readonly string[], rebuilt: ReadonlyMap<string, Touched>, touched: Touched): Touched {
  const inputs = deps.map((d) => rebuilt.get(d)).filter((t): t is Touched => t !== undefined);
  const ahead = deps.filter((d) => readsNextYearOf(model, d)).map((d) => rebuilt.get(d) ?? touched);
  return modelTouched(touched, inputs, ahead);
}

/** The filter selecting the rows of `model` that belong to the touched partitions. */
function outputFilter(model: SqlFile, touched: Touched): string {
  const inc = model.incremental;
  if (!inc) throw new Error(`${model.name} has no partitions`);
  return inc.by === 'school' ? schoolFilter(touched) : partitionFilter(touched, inc.yearExpression);
}

async function relationExists(connection: DuckDBConnection, name: string): Promise<boolean> {
  const rows = await queryRows(
    connection,
    `SELECT 1 FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = ${literal(name)}`,
  );
  return rows.length > 0;
}

/**
 * Builds every model in dependency order inside one transaction (a failing model leaves the
 * previous marts as they were), each as a table, or as a view where its file says
 * `-- materialised: view`, then runs the data tests: queries that return failing rows.
 * It reads raw.*, which the loaders own and create (ingest, or `ensureRawSchema` first).
 *
 * Unless `full`, only what changed since the last run is rebuilt (docs/performance.md,
 * "Incremental models"): a model whose hash (SQL, materialisation, macros, settings) is the one
 * it was built with and whose inputs did not change is left alone; a model with an
 * `-- incremental:` header whose inputs changed only in the touched partitions has those
 * partitions deleted and inserted again from its own SQL, reading its inputs through temporary
 * views restricted to those partitions; every other model whose inputs changed is built whole.
 */
export async function runModels(connection: DuckDBConnection, options: RunModelsOptions = {}): Promise<ModelRunReport> {
  const sqlDir = options.sqlDir ?? SQL_DIR;
  const models = readModels(sqlDir);
  const byName = new Map(models.map((m) => [m.name, m]));
  await connection.run('BEGIN TRANSACTION');
  const rowCounts: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  const cpuSeconds: Record<string, number> = {};
  const modes: Record<string, BuildMode> = {};
  let touchedOut: Record<string, string[]> = {};
  let fullReason: string | null = null;
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  let order: string[];
  try {
    const settings = { ...DEFAULT_SETTINGS, ...options.settings };
    await writeSettings(connection, settings);
    const macros = readMacros(sqlDir);
    for (const macro of macros) await connection.run(macro.sql);
    const inputs = await modelInputs(connection, models);
    order = topologicalOrder(inputs.models);
    // A header's "all years of X" / "previous year of X" is a promise about how the model reads X:
    // naming a model it does not read (say, after X was renamed) would silently narrow what it reads.
    for (const m of models) {
      const named = [...(m.incremental?.allYearsOf ?? []), ...(m.incremental?.previousYearOf ?? []), ...(m.incremental?.nextYearOf ?? [])];
      const reads = new Set(inputs.models.get(m.name) ?? []);
      const stray = named.filter((n) => !reads.has(n));
      if (stray.length > 0) throw new Error(`${m.name}: its "-- incremental:" line names ${stray.join(', ')}, which it does not read`);
    }
    const [{ catalog }] = await queryRows<{ catalog: string }>(connection, 'SELECT current_database() AS catalog');

    // What changed since the last run.
    await ensureStateTables(connection);
    const context = sha256(JSON.stringify({ version: INCREMENTAL_VERSION, settings, macros: macros.map((m) => m.sql) }));
    const hashOf = (m: SqlFile) => sha256(`${context}\n${m.materialised}\n${m.sql}`);
    const rawTables = [...new Set([...inputs.raw.values()].flat())].sort();
    const changes = await rawChanges(connection, rawTables);
    const kept = await keptModelHashes(connection);
    if (options.full) fullReason = 'asked for a full rebuild';
    else if (options.profileDir) fullReason = 'profiling builds every model';
    else if (!changes.known) fullReason = 'no earlier run to compare with';
    const touched = changes.touched;
    const state = new Map<string, 'unchanged' | 'partitions' | 'full'>();
    // The partitions each model updated by partition rebuilt (the run's touched ones, widened
    // a year back after a model that reads a year ahead).
    const rebuilt = new Map<string, Touched>();
    const hashes = new Map<string, string>();

    for (const name of order) {
      const model = byName.get(name) as SqlFile;
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const hash = hashOf(model);
      hashes.set(name, hash);
      const deps = inputs.models.get(name) ?? [];
      const depStates = deps.map((d) => state.get(d) ?? 'full');
      const rawChanged = (inputs.raw.get(name) ?? []).some((t) => changes.changedTables.has(t));
      let decision: 'unchanged' | 'partitions' | 'full';
      if (fullReason || kept.get(name) !== hash || !(await relationExists(connection, name)) || depStates.includes('full')) decision = 'full';
      else if (!rawChanged && depStates.every((d) => d === 'unchanged')) decision = 'unchanged';
      else decision = model.incremental && touched.size > 0 ? 'partitions' : 'full';
      state.set(name, decision);

      let mode: BuildMode = decision;
      const create = `CREATE OR REPLACE ${model.materialised === 'view' ? 'VIEW' : 'TABLE'} ${ident(name)} AS\n${model.sql}`;
      try {
        if (model.materialised === 'view') {
          // A view stores nothing: define it again only when its SQL changed (or it is missing).
          mode = 'view';
          if (decision === 'full' && (kept.get(name) !== hash || !(await relationExists(connection, name)) || fullReason)) {
            await dropIfOtherKind(connection, name, model.materialised);
            await connection.run(create);
          }
        } else if (decision === 'full') {
          await dropIfOtherKind(connection, name, model.materialised);
          // A view's plan is part of each model that reads it: there is nothing to profile on its own.
          if (options.profileDir) {
            const plan = await explainAnalyze(connection, create);
            writeFileSync(path.join(options.profileDir, `${name}.txt`), `-- ${model.file}\n${plan}\n`);
          } else {
            await connection.run(create);
          }
        } else if (decision === 'partitions') {
          // Its inputs, restricted to the touched partitions, shadow the stored ones for this
          // build only (a temporary view is found before main's relation of the same name).
          const shadows: string[] = [];
          const own = partitionsOf(model, deps, rebuilt, touched);
          rebuilt.set(name, own);
          try {
            for (const dep of deps) {
              const filter = inputFilter(model, byName.get(dep) as SqlFile, own);
              if (filter === null) continue;
              await connection.run(`CREATE OR REPLACE TEMP VIEW ${ident(dep)} AS SELECT * FROM ${mainName(catalog, dep)} WHERE ${filter}`);
              shadows.push(dep);
            }
            const filter = outputFilter(model, own);
            await connection.run(`DELETE FROM ${mainName(catalog, name)} WHERE ${filter}`);
            await connection.run(`INSERT INTO ${mainName(catalog, name)} BY NAME SELECT * FROM (\n${model.sql}\n) AS model_rows WHERE ${filter}`);
          } finally {
            for (const dep of shadows) await connection.run(`DROP VIEW IF EXISTS temp.main.${ident(dep)}`);
          }
        }
      } catch (error) {
        throw new Error(`model ${name} (${model.file}) failed: ${(error as Error).message}`);
      }
      modes[name] = mode;
      const [{ n }] = await queryRows<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM ${ident(name)}`);
      rowCounts[name] = n;
      seconds[name] = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      cpuSeconds[name] = (cpu.user + cpu.system) / 1e6;
      options.onModel?.({ name, rows: n, seconds: seconds[name], cpuSeconds: cpuSeconds[name], mode });
    }
    if (!fullReason && Object.values(modes).includes('partitions')) touchedOut = Object.fromEntries([...touched].sort(([a], [b]) => a.localeCompare(b)));
    await keepModelHashes(connection, hashes);
    await keepRawFingerprints(connection);
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
  return { order, rowCounts, seconds, cpuSeconds, modes, touched: touchedOut, fullReason, testsRun: tests.length, failures };
}

/** What a run rebuilt, in one line: whole (and why), or the partitions it updated. */
export function runDescription(report: ModelRunReport): string {
  const count = (mode: BuildMode) => Object.values(report.modes).filter((m) => m === mode).length;
  if (report.fullReason) return `Every model built whole (${report.fullReason})`;
  const touched = Object.entries(report.touched)
    .map(([school, years]) => `${school} ${years.length === 1 ? years[0] : `${years[0]}–${years.at(-1)}`}`)
    .join('; ');
  return (
    `Rebuilt what changed: ${count('partitions')} model(s) updated${touched ? ` for ${touched}` : ''}, ` +
    `${count('full')} rebuilt whole, ${count('unchanged')} unchanged (--full rebuilds everything)`
  );
}
