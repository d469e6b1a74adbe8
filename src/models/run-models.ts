import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { modelInputs, RAW_ALL_ROWS_SUFFIX, testInputs, topologicalOrder, type ModelInputs } from './dependencies.ts';
import { keepRowChanges } from './row-changes.ts';
import {
  ensureStateTables,
  type Extent,
  extentFilter,
  extentWeeks,
  INCREMENTAL_VERSION,
  isWeekly,
  unionExtents,
  wholeExtent,
  forgetTestPasses,
  keepLatestYearAlone,
  keepModelHashes,
  keepRawFingerprints,
  keepTestPasses,
  keptModelHashes,
  latestYearAlone,
  keptTestPasses,
  modelTouched,
  partitionFilter,
  previousYear,
  rawChanges,
  rawExtentFilter,
  rawPlaceColumn,
  schoolFilter,
  sha256,
  type Touched,
} from './incremental.ts';
import { readDataTests, readMacros, readModels, SQL_DIR, STAGED_PREFIX, type SqlFile } from './model-files.ts';
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
  /**
   * Rows of each model stored as a table. A view's rows are not counted: counting a view
   * computes it whole (2.9 CPU s a run at the trust scale, most of it `stg_behaviour` and the
   * pupil timeline), and each view is computed anyway by the models or data tests that read it.
   */
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
  /**
   * Where models were updated from a school week on (`-- incremental weeks:`): school → year →
   * the first week (Monday) of the raw rows that changed, null where the year was rebuilt whole;
   * empty when no model was updated by week.
   */
  fromWeeks: Record<string, Record<string, string | null>>;
  /** The models updated from a week on rather than for whole years (each also `partitions` in `modes`). */
  updatedByWeek: string[];
  /** Why the run was whole, when it was (`--full`, the first run, a profile…); null when incremental. */
  fullReason: string | null;
  /**
   * The data tests accounted for: every test in `sql/tests`, each run whole, run over the
   * partitions that changed (`testsByPartition`), or not run because it passed last time and
   * nothing it reads changed since (`testsSkipped`).
   */
  testsRun: number;
  /** Tests not run: each passed last run, with the same SQL, and nothing it reads changed. */
  testsSkipped: string[];
  /** Tests run only over the (school, year) partitions that changed (`-- test partitions: school_year`), or the weeks (`school_week`). */
  testsByPartition: string[];
  failures: DataTestFailure[];
}

export interface ModelTiming {
  name: string;
  /** Its rows; null for a view (not counted: see `ModelRunReport.rowCounts`). */
  rows: number | null;
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
  /**
   * Called after each of the runner's own steps (fingerprinting the raw layer, planning a model,
   * its temporary views, DELETE, INSERT, the comparison of a `compared` model, the row count,
   * keeping the state, the commit, the data tests), with its seconds and CPU seconds: what a
   * refresh spends besides the models' SQL. `model` is null for the run's steps.
   */
  onStep?: (step: RunnerStep) => void;
}

export interface RunnerStep {
  model: string | null;
  step: string;
  seconds: number;
  cpuSeconds: number;
}

/**
 * Drops `name` in `main` when it exists as the other kind of relation (a model that became a
 * view was a table in the last run, or the reverse): CREATE OR REPLACE cannot change the kind.
 */
async function dropIfOtherKind(run: RunContext, name: string, materialised: 'table' | 'view'): Promise<void> {
  const existing = run.relations.get(name);
  if (existing === 'view' && materialised === 'table') await run.connection.run(`DROP VIEW ${ident(name)}`);
  if (existing === 'table' && materialised === 'view') await run.connection.run(`DROP TABLE ${ident(name)}`);
}

/** The text of an EXPLAIN ANALYZE result: DuckDB returns the plan as (explain_key, explain_value) rows. */
async function explainAnalyze(connection: DuckDBConnection, sql: string): Promise<string> {
  const rows = await queryRows<{ explain_key: string; explain_value: string }>(connection, `EXPLAIN ANALYZE ${sql}`);
  return rows.map((r) => r.explain_value).join('\n');
}

/** Runs `fn` as one of the runner's steps, reporting its time to `onStep` when there is one. */
async function timed<T>(onStep: RunModelsOptions['onStep'], model: string | null, step: string, fn: () => Promise<T>): Promise<T> {
  if (!onStep) return fn();
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await fn();
  } finally {
    const used = process.cpuUsage(cpu);
    onStep({ model, step, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 });
  }
}

/** The catalog-qualified name of a model in `main` (a temp view of the same name may shadow it). */
function mainName(catalog: string, name: string): string {
  return `${ident(catalog)}.main.${ident(name)}`;
}


/**
 * The temporary table a model's SQL may read to learn which rows the runner keeps of it:
 * (school_id, academic_year, from_week), one row per (school, year) partition this statement
 * updates from a school week on (its rows from `from_week` on are kept, the rest of what it
 * computes is thrown away), for the schools whose every partition it updates is updated from a
 * week on. A school absent (a model built whole, a school with a whole year to update) has every
 * row kept. A model whose frames run from the start of the year (year to date) reads it to sum
 * the weeks before the kept ones in one aggregate and to sort only the weeks its short frames
 * need, where a window over the whole year sorts every pupil-week of it (int_watchlist_signals,
 * mart_pupils_of_concern, int_attendance_thresholds_by_pupil_week, int_yeargroup_week); one
 * whose running totals are only taken two apart reads from the first week its kept rows reach
 * (int_intervention_matches). Its rows are the same either way, which the incremental = full
 * tests hold it to (test/models/updating-from-week.test.ts,
 * test/models/incremental-weeks-around.test.ts). Only a model built as a table may read it (a
 * view would outlive the run's table).
 */
export const UPDATING_FROM_WEEK = 'updating_from_week';

/** Makes UPDATING_FROM_WEEK, empty, for the run (a model built whole keeps all its rows). */
async function createUpdatingFromWeek(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${UPDATING_FROM_WEEK} (school_id VARCHAR NOT NULL, academic_year VARCHAR NOT NULL, from_week DATE NOT NULL)`);
}

/** Fills UPDATING_FROM_WEEK from `extent`: the schools whose every partition in it is updated from a week on. */
async function setUpdatingFromWeek(connection: DuckDBConnection, extent: Extent): Promise<void> {
  await connection.run(`DELETE FROM temp.main.${UPDATING_FROM_WEEK}`);
  const rows = [...extent]
    .filter(([, years]) => [...years.values()].every((from) => from !== null))
    .flatMap(([school, years]) => [...years].map(([year, from]) => `(${literal(school)}, ${literal(year)}, DATE ${literal(from as string)})`));
  if (rows.length > 0) await connection.run(`INSERT INTO temp.main.${UPDATING_FROM_WEEK} VALUES ${rows.join(', ')}`);
}

/**
 * Where the run reads `name`: its new table or view when this run built it ahead of the swap
 * (see RunContext.staged), `settings`' temporary copy, else the relation in `main`.
 */
function sourceOf(run: RunContext, name: string): string {
  return run.staged.get(name)?.source ?? mainName(run.catalog, name);
}

/**
 * Points the name of a model built ahead of the swap at its new relation: a temporary view of
 * the model's name is found before `main`'s relation, by the models' SQL and by the views they
 * read alike (a view binds its names when it is read).
 */
async function shadowStaged(run: RunContext, name: string): Promise<void> {
  await run.connection.run(`CREATE OR REPLACE TEMP VIEW ${ident(name)} AS SELECT * FROM ${sourceOf(run, name)}`);
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

/** The (school → years) an extent covers, whatever week each year changed from. */
function partitionsIn(extent: Extent): Touched {
  return new Map([...extent].map(([school, years]) => [school, [...years.keys()]]));
}

/**
 * The partitions `model`, updated by partition, rebuilds: `base` (where its raw tables changed),
 * those where its inputs changed in this run, and the year before each changed year of an input
 * it reads a year ahead (`next year of`: its rows of that earlier year read the changed one).
 */
function partitionsOf(model: SqlFile, deps: readonly string[], state: ReadonlyMap<string, ModelState>, base: Touched): Touched {
  const changed = (d: string): Touched | null => {
    const s = state.get(d);
    return s instanceof Map ? partitionsIn(s) : null;
  };
  const inputs = deps.map(changed).filter((t): t is Touched => t !== null);
  const ahead = deps.filter((d) => readsNextYearOf(model, d)).map(changed).filter((t): t is Touched => t !== null);
  return modelTouched(base, inputs, ahead);
}

/** The filter selecting the rows of `model` that belong to the touched partitions. */
function outputFilter(model: SqlFile, touched: Touched): string {
  const inc = model.incremental;
  if (!inc) throw new Error(`${model.name} has no partitions`);
  return inc.by === 'school' ? schoolFilter(touched) : partitionFilter(touched, inc.yearExpression);
}

type ByWeeks = Extract<NonNullable<SqlFile['weeks']>, { kind: 'by' }>;

/** The inputs a `by` weeks line names: `same week of`, `N weeks back of`, `year to date of`, `N weeks ahead of`, `all weeks of`. */
function weekClauseInputs(weeks: ByWeeks): string[] {
  return [
    ...weeks.sameWeekOf,
    ...(weeks.backOf ?? []).map((b) => b.name),
    ...(weeks.yearToDateOf ?? []),
    ...(weeks.aheadOf ?? []).map((a) => a.name),
    ...(weeks.allWeeksOf ?? []),
  ];
}

/**
 * A weeks line is a promise about the inputs it names: each must be read by the model and say
 * where its own rows lie (a weeks line with an expression), or the model would be given the
 * wrong weeks of it; a count of weeks named by a setting must be a column of `settings`.
 */
function checkWeeksLine(model: SqlFile, reads: ReadonlySet<string>, byName: ReadonlyMap<string, SqlFile>, settingColumns: ReadonlySet<string>): void {
  if (model.weeks?.kind === 'compared' && model.materialised === 'view') throw new Error(`${model.name}: a view cannot be "compared" (it stores no rows to compare)`);
  if (model.weeks?.kind !== 'by') return;
  for (const dep of weekClauseInputs(model.weeks)) {
    if (!reads.has(dep)) throw new Error(`${model.name}: its "-- incremental weeks:" line names ${dep}, which it does not read`);
    if (!byName.get(dep)?.weeks?.expression) throw new Error(`${model.name}: its "-- incremental weeks:" line reads ${dep} by week, but ${dep} has no "-- incremental weeks: by …" line`);
  }
  for (const { name, weeks } of [...(model.weeks.backOf ?? []), ...(model.weeks.aheadOf ?? [])]) {
    if (typeof weeks === 'string' && !settingColumns.has(weeks)) {
      throw new Error(`${model.name}: its "-- incremental weeks:" line counts the weeks of ${name} by "${weeks}", which is not a column of settings`);
    }
  }
}

/** The scope in which `reader` reads `dep` (its `-- incremental:` line); `weekSql` set where its weeks line reads `dep` by week. */
function weekInputScope(reader: SqlFile, dep: SqlFile): { yearSql: string | null; withPrevious: boolean; withNext: boolean; weekSql: string | null } {
  const inc = reader.incremental as NonNullable<SqlFile['incremental']>;
  const depInc = dep.incremental as NonNullable<SqlFile['incremental']>;
  const bySchool = depInc.by === 'school' || inc.by === 'school' || inc.allYearsOf.includes(dep.name);
  const byWeek = reader.weeks?.kind === 'by' && weekClauseInputs(reader.weeks).includes(dep.name);
  return {
    yearSql: bySchool ? null : depInc.yearExpression,
    withPrevious: inc.previousYearOf.includes(dep.name),
    withNext: readsNextYearOf(reader, dep.name),
    weekSql: byWeek ? (dep.weeks?.expression ?? null) : null,
  };
}

/** Each school's school weeks (Mondays, ISO dates, ascending), with the academic year of each; null without int_school_weeks. */
type SchoolWeeks = Map<string, Array<{ week: string; year: string }>> | null;

async function schoolWeeksOf(run: RunContext, schools: Iterable<string>): Promise<SchoolWeeks> {
  const list = [...new Set(schools)].sort();
  if (list.length === 0 || !relationExists(run, 'int_school_weeks')) return null;
  const rows = await queryRows<{ school_id: string; academic_year: string; week: string }>(
    run.connection,
    `SELECT school_id, academic_year, strftime(week_start, '%Y-%m-%d') AS week FROM ${sourceOf(run, 'int_school_weeks')}
     WHERE school_id IN (${list.map(literal).join(', ')}) ORDER BY school_id, week_start, academic_year`,
  );
  const weeks = new Map<string, Array<{ week: string; year: string }>>();
  for (const r of rows) weeks.set(r.school_id, [...(weeks.get(r.school_id) ?? []), { week: r.week, year: r.academic_year }]);
  return weeks;
}

/** The Monday `n` school weeks before `from` (`from` itself when n is 0); null when the school has fewer weeks before it (read from the start). */
function schoolWeeksBefore(weeks: SchoolWeeks, school: string, from: string, n: number): string | null {
  if (n === 0) return from;
  const before = [...new Set((weeks?.get(school) ?? []).map((w) => w.week).filter((w) => w < from))].sort().reverse();
  return before[n - 1] ?? null;
}

/** The Monday of the school's first school week of `year`; null when it has none. */
function firstSchoolWeek(weeks: SchoolWeeks, school: string, year: string): string | null {
  return (weeks?.get(school) ?? []).find((w) => w.year === year)?.week ?? null;
}

/** A weeks clause's count: a number, or the value of a settings column. */
async function weekCount(run: RunContext, weeks: number | string): Promise<number> {
  if (typeof weeks === 'number') return weeks;
  const [row] = await queryRows<{ n: number }>(run.connection, `SELECT ${ident(weeks)}::INTEGER AS n FROM ${sourceOf(run, 'settings')}`);
  return row.n;
}

function addFrom(extent: Extent, school: string, year: string, from: string | null): void {
  const byYear = extent.get(school) ?? new Map<string, string | null>();
  extent.set(school, byYear);
  const before = byYear.get(year);
  byYear.set(year, !byYear.has(year) ? from : before === null || from === null ? null : from < (before as string) ? from : (before as string));
}

/**
 * Where the rows of a model with a `by` weeks line may change, from where its inputs changed:
 * each input's extent as it is, but for an input it reads N school weeks ahead (`N weeks ahead
 * of`), from N school weeks before that input's first changed week; and for an input it reads a
 * year ahead (`next year of`), the year before too: whole, or from the shifted week when that
 * falls before the changed year's first school week.
 */
async function outputExtent(run: RunContext, model: SqlFile, sources: ReadonlyArray<{ name: string; extent: Extent }>): Promise<Extent> {
  const weeksLine = model.weeks as ByWeeks;
  const parts: Extent[] = [];
  const shiftedSources = sources.filter((s) => (weeksLine.aheadOf ?? []).some((a) => a.name === s.name) || readsNextYearOf(model, s.name));
  const weeks = shiftedSources.length > 0 ? await schoolWeeksOf(run, shiftedSources.flatMap((s) => [...s.extent.keys()])) : null;
  for (const source of sources) {
    if (!shiftedSources.includes(source)) {
      parts.push(source.extent);
      continue;
    }
    const clause = (weeksLine.aheadOf ?? []).filter((a) => a.name === source.name);
    const n = Math.max(0, ...(await Promise.all(clause.map((a) => weekCount(run, a.weeks)))));
    const next = readsNextYearOf(model, source.name);
    const shifted: Extent = new Map();
    for (const [school, years] of source.extent) {
      for (const [year, from] of years) {
        if (from !== null && clause.length === 0) {
          // Read a year ahead with no bound in weeks: from the same week, and the year before whole.
          addFrom(shifted, school, year, from);
          addFrom(shifted, school, previousYear(year), null);
          continue;
        }
        const moved = from === null ? null : schoolWeeksBefore(weeks, school, from, n);
        const first = firstSchoolWeek(weeks, school, year);
        if (moved === null || first === null) {
          addFrom(shifted, school, year, null);
          if (next) addFrom(shifted, school, previousYear(year), null);
        } else if (moved >= first) {
          addFrom(shifted, school, year, moved);
        } else {
          // Before the year's first school week: the whole year, and (read a year ahead) the year before from that week.
          addFrom(shifted, school, year, null);
          if (next) addFrom(shifted, school, previousYear(year), moved);
        }
      }
    }
    parts.push(shifted);
  }
  return unionExtents(parts, run.changes.touched, run.changes.weekGrain);
}

/**
 * The filter on `dep` for `model` updated by week inside `out`: the partition as its
 * `-- incremental:` line reads it, from the first week it needs of it where the weeks line
 * names it: the week updated (`same week of`, `N weeks ahead of`: later weeks are read too), N
 * school weeks before it (`N weeks back of`), the first school week of its year (`year to date
 * of`): the earliest, when it is named more than once; the whole partition (`all weeks of`).
 * Null: read whole (an unpartitioned model).
 */
async function weekInputFilter(run: RunContext, model: SqlFile, dep: SqlFile, out: Extent): Promise<string | null> {
  if (!dep.incremental) return null;
  const scope = weekInputScope(model, dep);
  const weeksLine = model.weeks as ByWeeks;
  // `all weeks of`: any of its weeks may be read (an intervention still running), so the whole partition.
  if (scope.weekSql === null || (weeksLine.allWeeksOf ?? []).includes(dep.name)) return extentFilter(out, { ...scope, weekSql: null });
  const fromItself = weeksLine.sameWeekOf.includes(dep.name) || (weeksLine.aheadOf ?? []).some((a) => a.name === dep.name);
  const back = await Promise.all((weeksLine.backOf ?? []).filter((b) => b.name === dep.name).map((b) => weekCount(run, b.weeks)));
  const toDate = (weeksLine.yearToDateOf ?? []).includes(dep.name);
  const weeks = back.length > 0 || toDate ? await schoolWeeksOf(run, out.keys()) : null;
  const reads: Extent = new Map();
  for (const [school, years] of out) {
    for (const [year, from] of years) {
      if (from === null) {
        addFrom(reads, school, year, null);
        continue;
      }
      const starts = [...(fromItself ? [from] : []), ...back.map((n) => schoolWeeksBefore(weeks, school, from, n)), ...(toDate ? [firstSchoolWeek(weeks, school, year)] : [])];
      for (const start of starts) addFrom(reads, school, year, start);
    }
  }
  return extentFilter(reads, scope);
}

/** The rows of `model` inside `extent`, from the first changed week on. */
function weekOutputFilter(model: SqlFile, extent: Extent): string {
  const inc = model.incremental as NonNullable<SqlFile['incremental']>;
  return extentFilter(extent, { yearSql: inc.by === 'school' ? null : inc.yearExpression, weekSql: model.weeks?.expression ?? null });
}

/**
 * The groups a `compared` model's rows are told apart by: per school, academic year and school
 * week (its `-- incremental weeks: compared by` column), or per school alone when it names
 * neither a year nor a week of its own (the school day). Each group keeps its row count and the
 * sum of its rows' hashes: what `comparedExtent` compares before and after.
 */
function comparedGroups(model: SqlFile): { keys: string[]; bySchoolOnly: boolean } {
  const inc = model.incremental as NonNullable<SqlFile['incremental']>;
  if (inc.by === 'school' && !model.weeks?.expression) return { keys: ['school_id'], bySchoolOnly: true };
  const week = model.weeks?.expression ? `date_trunc('week', (${model.weeks.expression})::DATE)::DATE` : 'NULL::DATE';
  return { keys: ['school_id', `(${inc.yearExpression})::VARCHAR AS academic_year`, `${week} AS week`], bySchoolOnly: false };
}

/**
 * Per group of a compared model's rows inside `filter`: how many, and the sum of their hashes.
 * `part` 0 is the rows; with columns compared by their own week (`; COLUMN by its own week`),
 * part 0 is the rows without them, and part i the rows with a value in the i-th, grouped by the
 * week of that value: a row that differs in it alone then differs there, not in its EXPR's week.
 */
function comparedSums(model: SqlFile, table: string, filter: string): string {
  const { keys } = comparedGroups(model);
  const own = model.weeks?.kind === 'compared' ? (model.weeks.ownWeek ?? []) : [];
  if (own.length === 0) return `SELECT ${keys.join(', ')}, 0 AS part, count(*) AS n, sum(hash(model_row)) AS h FROM ${table} AS model_row WHERE ${filter} GROUP BY ALL`;
  const year = (model.incremental as NonNullable<SqlFile['incremental']>).yearExpression;
  const rest = `SELECT ${keys.join(', ')}, 0 AS part, count(*) AS n, sum(hash(model_row)) AS h
    FROM (SELECT * EXCLUDE (${own.map(ident).join(', ')}) FROM ${table} WHERE ${filter}) AS model_row GROUP BY ALL`;
  const apart = own.map(
    (column, i) => `SELECT school_id, (${year})::VARCHAR AS academic_year, date_trunc('week', ${ident(column)}::DATE)::DATE AS week, ${i + 1} AS part,
      count(*) AS n, sum(hash(model_row)) AS h FROM ${table} AS model_row WHERE (${filter}) AND ${ident(column)} IS NOT NULL GROUP BY ALL`,
  );
  return [rest, ...apart].join('\nUNION ALL\n');
}

/**
 * Where a model rebuilt for the touched partitions (`filter`) differs from its rows before (their
 * groups' counts and hash sums, kept in temp table `incremental_rows_before`): per (school, year),
 * the first week whose rows differ (the whole year when the model names no week; every touched
 * year of the school for a model by school with no week); null when a row differs outside the
 * touched partitions (its readers must then be built whole). A group whose rows changed but kept
 * their count and 64-bit hash sum would be missed, as a raw table's fingerprints would miss it
 * (src/models/incremental.ts); comparing the rows themselves (EXCEPT ALL both ways) cost about
 * three times as much CPU in a trust's week.
 */
async function comparedExtent(
  connection: DuckDBConnection,
  table: string,
  model: SqlFile,
  filter: string,
  touched: Touched,
  weekGrain: ReadonlySet<string>,
): Promise<Extent | null> {
  const { bySchoolOnly } = comparedGroups(model);
  const keys = bySchoolOnly ? ['school_id'] : ['school_id', 'academic_year', 'week'];
  const differing = `(SELECT ${keys.map((k) => `coalesce(b.${k}, a.${k}) AS ${k}`).join(', ')}
     FROM incremental_rows_before b
     FULL OUTER JOIN (${comparedSums(model, table, filter)}) a ON ${[...keys, 'part'].map((k) => `a.${k} IS NOT DISTINCT FROM b.${k}`).join(' AND ')}
     WHERE a.n IS DISTINCT FROM b.n OR a.h IS DISTINCT FROM b.h) AS differing`;
  if (bySchoolOnly) {
    // Rows of a school with no year or week of their own (the school day): a school that differs
    // changed in every touched year, as a partition update would say.
    const schools = await queryRows<{ school_id: string }>(connection, `SELECT DISTINCT school_id FROM ${differing}`);
    if (schools.some((r) => !touched.has(r.school_id))) return null;
    return new Map(schools.map((r) => [r.school_id, new Map((touched.get(r.school_id) as string[]).map((y) => [y, null]))]));
  }
  const rows = await queryRows<{ school_id: string; academic_year: string; from_week: string | null }>(
    connection,
    `SELECT school_id, academic_year, strftime(min(week), '%Y-%m-%d') AS from_week FROM ${differing} GROUP BY ALL`,
  );
  const extent: Extent = new Map();
  for (const r of rows) {
    const years = touched.get(r.school_id) ?? [];
    if (!years.includes(r.academic_year)) return null;
    const byYear = extent.get(r.school_id) ?? new Map<string, string | null>();
    extent.set(r.school_id, byYear);
    byYear.set(r.academic_year, weekGrain.has(r.school_id) ? r.from_week : null);
  }
  for (const [school, byYear] of extent) {
    // A school updated by week whose older years were touched too (a change to the pupils, read
    // through a compared model alone: rawChanges' `gated` tables) and differ here: its readers may
    // read a year from the ones before it, so every touched year of it is handed on whole, as a
    // school not updated by week would be. Only a change confined to the latest year keeps its week.
    const years = [...(touched.get(school) ?? [])].sort();
    if (weekGrain.has(school) && [...byYear.keys()].some((y) => y !== years.at(-1))) for (const y of years) byYear.set(y, null);
  }
  return unionExtents([extent], touched, weekGrain);
}

/**
 * The relations in `main` and their kind, read once at the start of a run (inside its
 * transaction) and kept up to date as models are built: a lookup in information_schema for each
 * model cost about 2.5 ms of CPU, 0.2 CPU s of a weekly refresh's 73 models.
 */
async function mainRelations(connection: DuckDBConnection): Promise<Map<string, 'table' | 'view'>> {
  const rows = await queryRows<{ table_name: string; table_type: string }>(
    connection,
    `SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main'`,
  );
  return new Map(rows.map((r) => [r.table_name, r.table_type === 'VIEW' ? 'view' : 'table']));
}

function relationExists(run: RunContext, name: string): boolean {
  return run.relations.has(name) || run.staged.has(name);
}

/** A model's state in a run, for its readers: not changed, built whole, or changed inside an extent. */
type ModelState = 'unchanged' | 'full' | Extent;

/** What one run knows while it builds: the models, what changed since the last run, and each model's state so far. */
interface RunContext {
  connection: DuckDBConnection;
  catalog: string;
  byName: ReadonlyMap<string, SqlFile>;
  inputs: Awaited<ReturnType<typeof modelInputs>>;
  changes: Awaited<ReturnType<typeof rawChanges>>;
  kept: ReadonlyMap<string, string>;
  /** Why every model is built whole this run; null when only what changed is. */
  fullReason: string | null;
  state: Map<string, ModelState>;
  /** The relations in `main` and their kind, kept up to date as models are built (see mainRelations). */
  relations: Map<string, 'table' | 'view'>;
  /**
   * The models built ahead of the swap (and `settings`): where each is read this run (`source`:
   * its `__next__` table, committed, or a temporary view of its new SQL), and what the swap does.
   */
  staged: Map<string, { source: string; kind: 'table' | 'view' | 'settings'; sql: string }>;
  profileDir?: string;
  onStep?: RunModelsOptions['onStep'];
}

/** How a model is brought up to date in this run, and where (for a partition update). */
interface ModelPlan {
  decision: 'unchanged' | 'partitions' | 'full';
  deps: string[];
  /** Where what it reads changed (partition updates only). */
  inputExtent: Extent | null;
  /** Updated from a week on: a weeks line says where each row lies, and an input changed from a week on (`after` says from where). */
  byWeek: boolean;
  /** The (school, year) partitions it updates: the touched ones, widened by its inputs' changes. */
  own: Touched;
  /** Its state for its readers once built (a compared model may narrow it after the build). */
  after: ModelState;
}

/**
 * A header's "all years of X" / "previous year of X" / "next year of X", and a weeks line, are
 * promises about how the model reads X: naming a model it does not read (say, after X was
 * renamed) would silently narrow what it reads.
 */
function checkHeaderPromises(models: readonly SqlFile[], inputs: RunContext['inputs'], byName: ReadonlyMap<string, SqlFile>, settingColumns: ReadonlySet<string>): void {
  for (const m of models) {
    const named = [...(m.incremental?.allYearsOf ?? []), ...(m.incremental?.previousYearOf ?? []), ...(m.incremental?.nextYearOf ?? [])];
    const reads = new Set(inputs.models.get(m.name) ?? []);
    const stray = named.filter((n) => !reads.has(n));
    if (stray.length > 0) throw new Error(`${m.name}: its "-- incremental:" line names ${stray.join(', ')}, which it does not read`);
    checkWeeksLine(m, reads, byName, settingColumns);
  }
}

/**
 * The raw tables read only through `compared` models (rawChanges' `gated`): every model that reads
 * one is a compared table model, or a view read only by such models (in turn). The pupils
 * (raw.students, through stg_students, by int_pupil_years alone): a change to them keeps the
 * school's other changes by week, as the compared model hands on only the rows that differ.
 */
export function gatedRawTables(models: readonly SqlFile[], inputs: ModelInputs): Set<string> {
  const byName = new Map(models.map((m) => [m.name, m]));
  const readers = new Map<string, string[]>();
  for (const [reader, deps] of inputs.models) for (const d of deps) readers.set(d, [...(readers.get(d) ?? []), reader]);
  const gates = (name: string, seen: Set<string>): boolean => {
    const model = byName.get(name);
    if (!model || seen.has(name)) return false;
    if (model.materialised === 'table') return model.weeks?.kind === 'compared' && model.incremental?.by === 'school_year';
    const next = new Set([...seen, name]);
    const reading = readers.get(name) ?? [];
    return reading.length > 0 && reading.every((r) => gates(r, next));
  };
  const gated = new Set<string>();
  const tables = new Set([...inputs.raw.values()].flat());
  for (const table of tables) {
    const direct = [...inputs.raw].filter(([, raw]) => raw.includes(table)).map(([name]) => name);
    if (direct.length > 0 && direct.every((name) => gates(name, new Set()))) gated.add(table);
  }
  return gated;
}

/** Whether `model` is left alone, updated by partition or built whole, and where. */
async function planModel(run: RunContext, model: SqlFile, hash: string): Promise<ModelPlan> {
  const { changes, state } = run;
  const touched = changes.touched;
  const deps = run.inputs.models.get(model.name) ?? [];
  const depStates = deps.map((d) => state.get(d) ?? 'full');
  const rawChangedTables = (run.inputs.raw.get(model.name) ?? []).filter((t) => changes.changedTables.has(t));
  let decision: ModelPlan['decision'];
  if (run.fullReason || run.kept.get(model.name) !== hash || !relationExists(run, model.name) || depStates.includes('full')) decision = 'full';
  else if (rawChangedTables.length === 0 && depStates.every((d) => d === 'unchanged')) decision = 'unchanged';
  else decision = model.incremental && touched.size > 0 ? 'partitions' : 'full';
  if (decision !== 'partitions') return { decision, deps, inputExtent: null, byWeek: false, own: touched, after: decision };
  const sources = [
    ...rawChangedTables.map((t) => ({ name: `raw.${t}`, extent: changes.tableExtents.get(t) as Extent })),
    ...deps.flatMap((d) => {
      const s = state.get(d);
      return s instanceof Map ? [{ name: d, extent: s }] : [];
    }),
  ];
  const inputExtent = unionExtents(
    sources.map((s) => s.extent),
    touched,
    changes.weekGrain,
  );
  // Its partitions: where its raw tables changed (every touched year of a school not updated by
  // week) and where its inputs did, with a year back where it reads an input a year ahead (`next year of`).
  const own = partitionsOf(model, deps, state, partitionsIn(unionExtents(rawChangedTables.map((t) => changes.tableExtents.get(t) as Extent), touched, changes.weekGrain)));
  if (model.weeks?.kind !== 'by') return { decision, deps, inputExtent, byWeek: false, own, after: wholeExtent(own) };
  // From a week on: each input's first changed week, moved back where the model reads it weeks or a year ahead.
  const out = isWeekly(inputExtent) ? await outputExtent(run, model, sources) : null;
  if (out && isWeekly(out)) return { decision, deps, inputExtent, byWeek: true, own, after: out };
  return { decision, deps, inputExtent, byWeek: false, own, after: (model.incremental?.nextYearOf ?? []).length > 0 ? wholeExtent(own) : inputExtent };
}

/** Builds a model whole in the run's transaction (or, when profiling, writes its EXPLAIN ANALYZE beside). */
async function buildWhole(run: RunContext, model: SqlFile, create: string): Promise<void> {
  await dropIfOtherKind(run, model.name, model.materialised);
  run.relations.set(model.name, model.materialised);
  await executeBuild(run, model, create);
}

/**
 * Builds a table model whole under its `__next__` name, committed on its own (the connection is
 * in autocommit), and points its readers at it: the swap renames it into place.
 */
async function buildAhead(run: RunContext, model: SqlFile): Promise<void> {
  const source = mainName(run.catalog, STAGED_PREFIX + model.name);
  await executeBuild(run, model, `CREATE OR REPLACE TABLE ${source} AS\n${model.sql}`);
  run.staged.set(model.name, { source, kind: 'table', sql: model.sql });
  await shadowStaged(run, model.name);
}

async function executeBuild(run: RunContext, model: SqlFile, create: string): Promise<void> {
  // A view's plan is part of each model that reads it: there is nothing to profile on its own.
  if (run.profileDir) {
    const plan = await explainAnalyze(run.connection, create);
    writeFileSync(path.join(run.profileDir, `${model.name}.txt`), `-- ${model.file}\n${plan}\n`);
  } else {
    await run.connection.run(create);
  }
}

/**
 * Deletes the model's rows of the partitions it updates (from the first changed week on, where
 * it is updated by week) and inserts them again from its own SQL, its inputs shadowed by
 * temporary views restricted the same way (a temporary view is found before main's relation of
 * the same name). Returns its state for its readers: a `compared` model hands on only the weeks
 * whose rows differ.
 */
async function updatePartitions(run: RunContext, model: SqlFile, plan: ModelPlan): Promise<ModelState> {
  const { connection, catalog } = run;
  const table = mainName(catalog, model.name);
  const compared = model.weeks?.kind === 'compared';
  // Updated by week: the weeks it updates (its inputs' changed weeks, moved back for what it reads ahead).
  const extent = plan.after as Extent;
  const shadows: string[] = [];
  const step = <T>(name: string, fn: () => Promise<T>) => timed(run.onStep, model.name, name, fn);
  try {
    await step('views', async () => {
      for (const dep of plan.deps) {
        const depFile = run.byName.get(dep) as SqlFile;
        const filter = plan.byWeek ? await weekInputFilter(run, model, depFile, extent) : inputFilter(model, depFile, plan.own);
        if (filter === null) continue;
        await connection.run(`CREATE OR REPLACE TEMP VIEW ${ident(dep)} AS SELECT * FROM ${sourceOf(run, dep)} WHERE ${filter}`);
        shadows.push(dep);
      }
    });
    const filter = plan.byWeek ? weekOutputFilter(model, extent) : outputFilter(model, plan.own);
    if (compared) await step('compare', () => connection.run(`CREATE OR REPLACE TEMP TABLE incremental_rows_before AS ${comparedSums(model, table, filter)}`));
    await step('delete', () => connection.run(`DELETE FROM ${table} WHERE ${filter}`));
    if (plan.byWeek) await step('views', () => setUpdatingFromWeek(connection, extent));
    await step('insert', () => connection.run(`INSERT INTO ${table} BY NAME SELECT * FROM (\n${model.sql}\n) AS model_rows WHERE ${filter}`));
    if (!compared) return plan.after;
    const differs = await step('compare', () => comparedExtent(connection, table, model, filter, plan.own, run.changes.weekGrain));
    return differs === null ? 'full' : differs.size === 0 ? 'unchanged' : differs;
  } finally {
    await step('views', async () => {
      // A model built ahead of the swap gets its own name back, pointing at its new relation.
      for (const dep of shadows) await (run.staged.has(dep) ? shadowStaged(run, dep) : connection.run(`DROP VIEW IF EXISTS temp.main.${ident(dep)}`));
      if (compared) await connection.run('DROP TABLE IF EXISTS temp.main.incremental_rows_before');
      if (plan.byWeek) await connection.run(`DELETE FROM temp.main.${UPDATING_FROM_WEEK}`);
    });
  }
}

/**
 * Brings one model up to date as planned; returns how (its mode) and its state for its readers.
 * `ahead`: the run is before its transaction (see runModels), so a model built whole is built
 * under its `__next__` name (a view: as a temporary view) and its readers pointed at it; `main`
 * is left as it was until the swap.
 */
async function bringUpToDate(run: RunContext, model: SqlFile, hash: string, plan: ModelPlan, ahead: boolean): Promise<{ mode: BuildMode; after: ModelState }> {
  const create = `CREATE OR REPLACE ${model.materialised === 'view' ? 'VIEW' : 'TABLE'} ${ident(model.name)} AS\n${model.sql}`;
  try {
    if (model.materialised === 'view') {
      // A view stores nothing: define it again only when its SQL changed (or it is missing).
      if (plan.decision === 'full' && (run.kept.get(model.name) !== hash || !relationExists(run, model.name) || run.fullReason)) {
        if (ahead) {
          await run.connection.run(`CREATE OR REPLACE TEMP VIEW ${ident(STAGED_PREFIX + model.name)} AS\n${model.sql}`);
          run.staged.set(model.name, { source: `temp.main.${ident(STAGED_PREFIX + model.name)}`, kind: 'view', sql: model.sql });
          await shadowStaged(run, model.name);
        } else {
          await dropIfOtherKind(run, model.name, model.materialised);
          await run.connection.run(create);
          run.relations.set(model.name, 'view');
        }
      }
      return { mode: 'view', after: plan.after };
    }
    if (plan.decision === 'full' && ahead) await timed(run.onStep, model.name, 'build', () => buildAhead(run, model));
    else if (plan.decision === 'full') await timed(run.onStep, model.name, 'build', () => buildWhole(run, model, create));
    const after = plan.decision === 'partitions' ? await updatePartitions(run, model, plan) : plan.after;
    return { mode: plan.decision, after };
  } catch (error) {
    throw new Error(`model ${model.name} (${model.file}) failed: ${(error as Error).message}`);
  }
}

/**
 * A data test's plan for a run: `skip` (it passed last run with the same SQL, settings and
 * macros, and nothing it reads changed since: its rows are the ones it passed on), the
 * partitions to check (`-- test partitions: school_year`: only the (school, year)s where a model
 * it reads changed; the others are as they were when it passed; `-- test partitions:
 * school_week`: only the weeks where a raw table it reads changed), or `whole`.
 */
interface TestPlan {
  test: SqlFile;
  hash: string;
  scope: 'skip' | 'whole' | Touched;
  /** Run by partition: each model it reads, with the filter of its rows in those partitions. */
  shadows: Array<{ name: string; filter: string }>;
  /** Run by week (`-- test partitions: school_week`): each raw table it reads, with the filter of its rows in the changed weeks. */
  rawShadows?: Array<{ table: string; filter: string }>;
  /** The raw tables it also reads every row of, as raw.<table>__all_rows (RAW_ALL_ROWS_SUFFIX). */
  allRows: string[];
}

/**
 * Decides, inside the model run's transaction and from each model's state in it, how each data
 * test is run. A test is run whole when it is new or changed, did not pass last time, reads a
 * raw table that changed or that no model reads (so has no fingerprint), reads anything that is
 * not a model or a raw table, or reads a model rebuilt whole; skipped when every model it reads
 * is unchanged and every raw table it reads kept its fingerprints; otherwise (a model it reads
 * updated by partition) run over the changed partitions where its file says it may be (and any
 * model it reads that is not partitioned by school_year, read whole, is unchanged), whole where
 * not. A test of raw tables by week is run over the changed weeks (weekPlan).
 */
async function planDataTests(run: RunContext, sqlDir: string, models: readonly SqlFile[], context: string, fingerprinted: ReadonlySet<string>): Promise<TestPlan[]> {
  const tests = readDataTests(sqlDir);
  const reads = await testInputs(run.connection, tests, models);
  const passed = await keptTestPasses(run.connection);
  // One at a time: a week test's plan queries the connection (weekPlan).
  const plans: TestPlan[] = [];
  for (const test of tests) plans.push(await planTest(test));
  return plans;

  async function planTest(test: SqlFile): Promise<TestPlan> {
    const hash = sha256(`${context}\n${test.sql}`);
    const plan = (scope: TestPlan['scope']): TestPlan => ({
      test,
      hash,
      scope,
      allRows,
      shadows:
        scope instanceof Map
          ? partitioned.map((name) => ({ name, filter: partitionFilter(scope, (run.byName.get(name)?.incremental as NonNullable<SqlFile['incremental']>).yearExpression) }))
          : [],
    });
    const modelsRead = reads.models.get(test.name) ?? [];
    const rawRead = reads.raw.get(test.name) ?? [];
    const allRows = reads.allRows.get(test.name) ?? [];
    if (test.weekLocal && (modelsRead.length > 0 || rawRead.length === 0)) {
      throw new Error(`${test.file}: "-- test partitions: school_week" needs every relation it reads to be a raw table (${modelsRead.join(', ') || 'it reads none'})`);
    }
    // A test by partition reads its models partitioned by school_year through their changed
    // partitions, and any other model whole: it is run whole when one of those others changed.
    const partitioned = modelsRead.filter((m) => run.byName.get(m)?.incremental?.by === 'school_year');
    const readWhole = modelsRead.filter((m) => !partitioned.includes(m));
    if (test.partitionLocal && (partitioned.length === 0 || rawRead.length > 0)) {
      throw new Error(
        `${test.file}: "-- test partitions: school_year" needs to read models alone, at least one of them partitioned by school_year (${rawRead.map((t) => `raw.${t}`).join(', ') || `it reads ${modelsRead.join(', ') || 'no model'}`})`,
      );
    }
    if (run.fullReason || passed.get(test.name) !== hash || (reads.other.get(test.name) ?? []).length > 0) return plan('whole');
    if (test.weekLocal && rawRead.every((t) => fingerprinted.has(t))) return weekPlan(run, test, hash, rawRead, allRows);
    if (rawRead.some((t) => !fingerprinted.has(t) || run.changes.changedTables.has(t))) return plan('whole');
    const stateOf = (m: string) => run.state.get(m) ?? 'full';
    if (modelsRead.every((m) => stateOf(m) === 'unchanged')) return plan('skip');
    const states = partitioned.map(stateOf);
    if (!test.partitionLocal || states.includes('full') || readWhole.some((m) => stateOf(m) !== 'unchanged')) return plan('whole');
    return plan(modelTouched(new Map(), states.filter((s): s is Extent => s instanceof Map).map(partitionsIn)));
  }
}

/**
 * A `-- test partitions: school_week` test's plan in a refresh, its raw tables all fingerprinted:
 * skipped when none of them changed; else run on the weeks where any changed (the union of
 * their extents: from the first changed week of a school's latest year, whole years elsewhere),
 * and their rows with no date, read through each table's rows there.
 */
async function weekPlan(run: RunContext, test: SqlFile, hash: string, rawRead: readonly string[], allRows: string[]): Promise<TestPlan> {
  const changed = rawRead.filter((t) => run.changes.changedTables.has(t));
  if (changed.length === 0) return { test, hash, scope: 'skip', shadows: [], allRows };
  const extent = unionExtents(changed.map((t) => run.changes.tableExtents.get(t) as Extent), run.changes.touched, run.changes.weekGrain);
  const rawShadows: Array<{ table: string; filter: string }> = [];
  for (const table of rawRead) {
    const place = await rawPlaceColumn(run.connection, table);
    if (place !== 'date' && place !== 'start_date') throw new Error(`${test.file}: "-- test partitions: school_week" needs every raw table it reads dated by a day (date or start_date); raw.${table} is not`);
    rawShadows.push({ table, filter: rawExtentFilter(extent, place) });
  }
  return { test, hash, scope: partitionsIn(extent), shadows: [], rawShadows, allRows };
}

/**
 * Runs the data tests (queries returning failing rows) as planned, after the models are
 * committed; a test run by partition reads each model through a temporary view of the same name
 * restricted to those partitions (as a partition update reads its inputs). Keeps the passes.
 */
async function runDataTests(connection: DuckDBConnection, plans: readonly TestPlan[]): Promise<Pick<ModelRunReport, 'testsRun' | 'testsSkipped' | 'testsByPartition' | 'failures'>> {
  const failures: DataTestFailure[] = [];
  const passes = new Map<string, string>();
  const [{ catalog }] = await queryRows<{ catalog: string }>(connection, 'SELECT current_database() AS catalog');
  for (const { test, hash, scope, shadows, rawShadows = [], allRows } of plans) {
    if (scope === 'skip') continue;
    const made: string[] = [];
    // A raw table read by week: raw.<table> (a view: src/warehouse/raw-rows.ts) renamed to
    // raw.<table>__all_rows and a view of its changed weeks put in its place, in a transaction
    // rolled back after the test (a temp view cannot stand in for a name with a schema); nothing
    // of it outlives the test, or a kill. A test reading raw.<table>__all_rows otherwise (run
    // whole) finds it as a view of every row, made and dropped alike.
    const aliases = allRows.filter((table) => !rawShadows.some((s) => s.table === table));
    const inTransaction = rawShadows.length > 0 || aliases.length > 0;
    if (inTransaction) await connection.run('BEGIN TRANSACTION');
    try {
      for (const { table, filter } of rawShadows) {
        const all = `${table}${RAW_ALL_ROWS_SUFFIX}`;
        await connection.run(`ALTER VIEW raw.${ident(table)} RENAME TO ${ident(all)}`);
        await connection.run(`CREATE VIEW raw.${ident(table)} AS SELECT * FROM raw.${ident(all)} WHERE ${filter}`);
      }
      for (const table of aliases) await connection.run(`CREATE VIEW raw.${ident(`${table}${RAW_ALL_ROWS_SUFFIX}`)} AS SELECT * FROM raw.${ident(table)}`);
      for (const { name, filter } of shadows) {
        await connection.run(`CREATE OR REPLACE TEMP VIEW ${ident(name)} AS SELECT * FROM ${mainName(catalog, name)} WHERE ${filter}`);
        made.push(name);
      }
      const [{ n }] = await queryRows<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM (${test.sql})`);
      if (n > 0) {
        const sample = await queryRows(connection, `SELECT * FROM (${test.sql}) LIMIT 10`);
        failures.push({ test: test.name, file: test.file, failingRows: n, sample });
      } else {
        passes.set(test.name, hash);
      }
    } finally {
      for (const name of made) await connection.run(`DROP VIEW IF EXISTS temp.main.${ident(name)}`);
      if (inTransaction) await connection.run('ROLLBACK');
    }
  }
  await keepTestPasses(connection, passes);
  return {
    testsRun: plans.length,
    testsSkipped: plans.filter((p) => p.scope === 'skip').map((p) => p.test.name),
    testsByPartition: plans.filter((p) => p.scope !== 'skip' && p.scope !== 'whole').map((p) => p.test.name),
    failures,
  };
}

/**
 * The macros of a run, created as temporary macros (found before `main`'s by the models and the
 * views they read) until the swap writes them into `main`: a macro file holds only
 * `CREATE [OR REPLACE] MACRO` statements.
 */
function temporaryMacros(macros: readonly SqlFile[]): string[] {
  return macros.map((macro) => {
    const creates = macro.sql.match(/\bcreate\s+(?:or\s+replace\s+)?(?:temp\s+|temporary\s+)?\w+/gi) ?? [];
    if (creates.some((c) => !/macro$/i.test(c))) throw new Error(`${macro.file}: a macro file may only create macros`);
    return macro.sql.replace(/\bcreate\s+(or\s+replace\s+)?macro\b/gi, (_m, orReplace: string | undefined) => `CREATE ${orReplace ? 'OR REPLACE ' : ''}TEMP MACRO`);
  });
}

/** The names of the macros a macro file creates. */
function macroNames(macros: readonly SqlFile[]): string[] {
  return macros.flatMap((m) => [...m.sql.matchAll(/\bcreate\s+(?:or\s+replace\s+)?macro\s+(?:"([^"]+)"|(\w+))/gi)].map((x) => x[1] ?? x[2]));
}

/**
 * Drops the temporaries a run makes in the connection's temporary catalog: its macros, the
 * settings, UPDATING_FROM_WEEK, and the views of the models' names and `__next__` names (none of a caller's).
 */
async function dropTemporaries(connection: DuckDBConnection, models: readonly SqlFile[], macros: readonly SqlFile[]): Promise<void> {
  const macroSet = new Set(macroNames(macros).map((n) => n.toLowerCase()));
  const found = await queryRows<{ name: string; kind: string }>(
    connection,
    `SELECT DISTINCT function_name AS name, function_type AS kind FROM duckdb_functions() WHERE database_name = 'temp' AND function_type IN ('macro', 'table_macro')`,
  );
  for (const m of found.filter((f) => macroSet.has(f.name.toLowerCase()))) await connection.run(`DROP MACRO ${m.kind === 'table_macro' ? 'TABLE ' : ''}IF EXISTS temp.main.${ident(m.name)}`);
  const names = new Set(models.flatMap((m) => [m.name, STAGED_PREFIX + m.name]));
  const relations = await queryRows<{ name: string; kind: string }>(connection, `SELECT table_name AS name, table_type AS kind FROM information_schema.tables WHERE table_catalog = 'temp'`);
  // The views first (a shadow reads a `__next__` view), then the settings' temporary table.
  for (const r of relations.filter((r) => r.kind === 'VIEW' && names.has(r.name))) await connection.run(`DROP VIEW IF EXISTS temp.main.${ident(r.name)}`);
  if (relations.some((r) => r.kind !== 'VIEW' && r.name === 'settings')) await connection.run('DROP TABLE IF EXISTS temp.main.settings');
  if (relations.some((r) => r.kind !== 'VIEW' && r.name === UPDATING_FROM_WEEK)) await connection.run(`DROP TABLE IF EXISTS temp.main.${UPDATING_FROM_WEEK}`);
}

/** Drops the `__next__` tables in `main`: a run's that failed, or a killed run's leftovers. */
async function dropStagedTables(connection: DuckDBConnection, catalog: string): Promise<void> {
  const rows = await queryRows<{ name: string }>(
    connection,
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema = 'main' AND table_type = 'BASE TABLE' AND starts_with(table_name, ${literal(STAGED_PREFIX)})`,
  );
  for (const r of rows) await connection.run(`DROP TABLE IF EXISTS ${mainName(catalog, r.name)}`);
}

/**
 * Inside the run's transaction, puts what was built ahead of it in place: the macros and
 * settings written into `main`, each `__next__` table renamed over its model's old relation,
 * each view defined again in `main`.
 */
async function swapInStaged(run: RunContext, macros: readonly SqlFile[], settings: ModelSettings): Promise<void> {
  const { connection, catalog } = run;
  await dropTemporaries(connection, [...run.byName.values()], macros);
  for (const macro of macros) await connection.run(macro.sql);
  await writeSettings(connection, settings, mainName(catalog, 'settings'));
  for (const [name, staged] of run.staged) {
    if (staged.kind !== 'table') continue;
    const existing = run.relations.get(name);
    if (existing) await connection.run(`DROP ${existing === 'view' ? 'VIEW' : 'TABLE'} ${mainName(catalog, name)}`);
    await connection.run(`ALTER TABLE ${staged.source} RENAME TO ${ident(name)}`);
    run.relations.set(name, 'table');
  }
  // The views last: DuckDB binds a view's SQL when it is created, so what it reads must be in place.
  for (const [name, staged] of run.staged) {
    if (staged.kind !== 'view') continue;
    if (run.relations.get(name) === 'table') await connection.run(`DROP TABLE ${mainName(catalog, name)}`);
    await connection.run(`CREATE OR REPLACE VIEW ${mainName(catalog, name)} AS\n${staged.sql}`);
    run.relations.set(name, 'view');
  }
  run.staged.clear();
}

/** Why every model is built whole this run, or null when only what changed is. */
function fullRebuildReason(options: RunModelsOptions, known: boolean): string | null {
  if (options.full) return 'asked for a full rebuild';
  if (options.profileDir) return 'profiling builds every model';
  if (!known) return 'no earlier run to compare with';
  return null;
}

/**
 * Builds every model in dependency order, each as a table, or as a view where its file says
 * `-- materialised: view`, then runs the data tests: queries that return failing rows.
 * It reads raw.*, which the loaders own and create (ingest, or `ensureRawSchema` first).
 *
 * A run changes `main` in one transaction: a failing model, or a run killed part-way, leaves the
 * previous marts as they were. The models built whole whose inputs are all built whole or
 * unchanged in this run (every model, in a full run) are built ahead of it, each in a committed
 * transaction of its own under its `__next__` name (a view as a temporary view), their readers
 * pointed at them by temporary views of the models' names; the settings and macros are
 * temporary too. The transaction then updates the rest (the models updated by partition, and
 * what reads them), renames each `__next__` table over the old one, and commits. Why: a table
 * read in the transaction that wrote it costs far more to read than a committed one (trust
 * scale, `int_pupil_week_indexed` 21.3 CPU s with its two inputs written in its transaction
 * against 12.9 committed: docs/performance.md, "Session 20"). A failed run drops its `__next__`
 * tables; a killed run's are dropped by the next run before it starts.
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
  const report = { rowCounts: {}, seconds: {}, cpuSeconds: {}, modes: {}, touched: {}, fromWeeks: {}, updatedByWeek: [] as string[] } as Omit<
    ModelRunReport,
    'order' | 'fullReason' | 'testsRun' | 'testsSkipped' | 'testsByPartition' | 'failures'
  >;
  let order: string[];
  let fullReason: string | null;
  let testPlans: TestPlan[];
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const [{ catalog }] = await queryRows<{ catalog: string }>(connection, 'SELECT current_database() AS catalog');
  let inTransaction = false;
  const macros = readMacros(sqlDir);
  try {
    // A killed run's `__next__` tables.
    await timed(options.onStep, null, 'staging', () => dropStagedTables(connection, catalog));
    const settings = { ...DEFAULT_SETTINGS, ...options.settings };
    await writeSettings(connection, settings, 'temporary');
    await createUpdatingFromWeek(connection);
    for (const sql of temporaryMacros(macros)) await connection.run(sql);
    const inputs = await timed(options.onStep, null, 'parse', () => modelInputs(connection, models));
    order = topologicalOrder(inputs.models);
    const settingColumns = new Set(
      (await queryRows<{ column_name: string }>(connection, `SELECT column_name FROM information_schema.columns WHERE table_catalog = 'temp' AND table_name = 'settings'`)).map((r) => r.column_name),
    );
    checkHeaderPromises(models, inputs, byName, settingColumns);

    // What changed since the last run. The state tables are made (empty) if missing: they are
    // written only in the transaction.
    await ensureStateTables(connection);
    const context = sha256(JSON.stringify({ version: INCREMENTAL_VERSION, settings, macros: macros.map((m) => m.sql) }));
    const hashOf = (m: SqlFile) => sha256(`${context}\n${m.materialised}\n${m.sql}`);
    const rawTables = [...new Set([...inputs.raw.values()].flat())].sort();
    const changes = await timed(options.onStep, null, 'fingerprints', () => rawChanges(connection, rawTables, gatedRawTables(models, inputs)));
    fullReason = fullRebuildReason(options, changes.known);
    const run: RunContext = {
      connection,
      catalog,
      byName,
      inputs,
      changes,
      kept: await keptModelHashes(connection),
      fullReason,
      state: new Map(),
      relations: await mainRelations(connection),
      staged: new Map([['settings', { source: 'temp.main.settings', kind: 'settings', sql: '' }]]),
      profileDir: options.profileDir,
      onStep: options.onStep,
    };
    const hashes = new Map<string, string>();

    const build = async (name: string, plan: ModelPlan, ahead: boolean, started: number, cpuBefore: NodeJS.CpuUsage) => {
      const model = byName.get(name) as SqlFile;
      const { mode, after } = await bringUpToDate(run, model, hashes.get(name) as string, plan, ahead);
      if (plan.byWeek && mode === 'partitions') report.updatedByWeek.push(name);
      run.state.set(name, after);
      report.modes[name] = mode;
      // A table's count reads no column; a view's would compute the whole view (not counted).
      const n = model.materialised === 'view' ? null : (await timed(options.onStep, name, 'count', () => queryRows<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM ${ident(name)}`)))[0].n;
      if (n !== null) report.rowCounts[name] = n;
      report.seconds[name] = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      report.cpuSeconds[name] = (cpu.user + cpu.system) / 1e6;
      options.onModel?.({ name, rows: n, seconds: report.seconds[name], cpuSeconds: report.cpuSeconds[name], mode });
    };

    // Ahead of the transaction: every model not updated by partition and reading none that is.
    const inTransactionModels = new Set<string>();
    const plans = new Map<string, ModelPlan>();
    for (const name of order) {
      const model = byName.get(name) as SqlFile;
      hashes.set(name, hashOf(model));
      if ((inputs.models.get(name) ?? []).some((d) => inTransactionModels.has(d))) {
        inTransactionModels.add(name);
        continue;
      }
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const plan = await timed(options.onStep, name, 'plan', () => planModel(run, model, hashes.get(name) as string));
      if (plan.decision === 'partitions' && model.materialised === 'table') {
        // Its inputs are final: the plan stands. (A view updated by partition writes nothing.)
        inTransactionModels.add(name);
        plans.set(name, plan);
        continue;
      }
      await build(name, plan, true, started, cpuBefore);
    }

    await connection.run('BEGIN TRANSACTION');
    inTransaction = true;
    for (const name of order) {
      if (!inTransactionModels.has(name)) continue;
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const plan = plans.get(name) ?? (await timed(options.onStep, name, 'plan', () => planModel(run, byName.get(name) as SqlFile, hashes.get(name) as string)));
      await build(name, plan, false, started, cpuBefore);
    }
    const touched = changes.touched;
    if (!fullReason && Object.values(report.modes).includes('partitions')) report.touched = Object.fromEntries([...touched].sort(([a], [b]) => a.localeCompare(b)));
    if (report.updatedByWeek.length > 0) report.fromWeeks = extentWeeks(unionExtents([...changes.tableExtents.values()], touched, changes.weekGrain));
    testPlans = await timed(options.onStep, null, 'test plan', () => planDataTests(run, sqlDir, models, context, new Set(rawTables)));
    await timed(options.onStep, null, 'swap', () => swapInStaged(run, macros, settings));
    await timed(options.onStep, null, 'state', async () => {
      await keepModelHashes(connection, hashes);
      await keepLatestYearAlone(connection, latestYearAlone(models, inputs));
      await keepRawFingerprints(connection);
      await keepRowChanges(connection, run.state, inputs);
      // The passes of the tests this run checks are forgotten with the models' COMMIT, and kept
      // again only once each has passed: a run stopped in between leaves them to be checked.
      await forgetTestPasses(connection, testPlans.filter((p) => p.scope === 'skip').map((p) => p.test.name));
    });
    await timed(options.onStep, null, 'commit', () => connection.run('COMMIT'));
  } catch (error) {
    // A COMMIT that failed (e.g. the disk filled while checkpointing) has already rolled back:
    // DuckDB then refuses ROLLBACK with "no transaction is active", which must not hide the
    // error that matters.
    if (inTransaction) await connection.run('ROLLBACK').catch(() => {});
    // What was built ahead of the transaction: `main` is as it was once these are gone (a
    // failure here leaves them to the next run, which drops them first).
    await dropTemporaries(connection, models, macros).catch(() => {});
    await dropStagedTables(connection, catalog).catch(() => {});
    throw error;
  }
  return { order, ...report, fullReason, ...(await timed(options.onStep, null, 'data tests', () => runDataTests(connection, testPlans))) };
}

/** What a run rebuilt, in one line: whole (and why), or the partitions it updated. */
export function runDescription(report: ModelRunReport): string {
  const count = (mode: BuildMode) => Object.values(report.modes).filter((m) => m === mode).length;
  if (report.fullReason) return `Every model built whole (${report.fullReason})`;
  const touched = Object.entries(report.touched)
    .map(([school, years]) => `${school} ${years.length === 1 ? years[0] : `${years[0]}–${years.at(-1)}`}`)
    .join('; ');
  const weeks = [...new Set(Object.values(report.fromWeeks).flatMap((years) => Object.values(years)))].filter((w): w is string => w !== null).sort();
  const byWeek =
    report.updatedByWeek.length > 0 && weeks.length > 0
      ? ` (${report.updatedByWeek.length} of them from the week of ${weeks[0]}${weeks.length > 1 ? ' or later' : ''})`
      : '';
  return (
    `Rebuilt what changed: ${count('partitions')} model(s) updated${touched ? ` for ${touched}` : ''}${byWeek}, ` +
    `${count('full')} rebuilt whole, ${count('unchanged')} unchanged (--full rebuilds everything)`
  );
}
