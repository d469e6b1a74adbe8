/**
 * What changed since the last model run, so `runModels` rebuilds only that: the (school,
 * academic year) partitions of the raw layer whose rows differ from the last run's, found by
 * fingerprinting raw tables per partition (a row count and a sum of row hashes), not by trusting
 * any one writer to report what it touched (an import, a correction, a removal inside a file's
 * window, a purge, a hand edit: all show up the same way).
 *
 * The touched partitions are widened so that a model whose rows for a year may depend on earlier
 * years of the same school (prior-year lookbacks, running week numbers, repeat referrals across a
 * summer) stays right: only a change confined to the school's latest academic year, with that
 * latest year the same before and after, touches that year alone; any other change (an older
 * year, a new year starting, a row with no year such as a pupil or the school day) touches every
 * year of the school. A change to a gated table (read only through compared models: the pupils)
 * touches every year too, but leaves the school's other changes by week: the compared model
 * hands on only the rows that differ (src/models/run-models.ts, gatedRawTables, comparedExtent).
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ModelInputs } from './dependencies.ts';
import type { SqlFile } from './model-files.ts';
import type { WeekExtent } from '../warehouse/row-changes-log.ts';
import { ident, literal, queryRows } from '../warehouse/warehouse.ts';

/** Bumped when the rules here change, so every warehouse rebuilds in full once. */
export const INCREMENTAL_VERSION = 3;

const STATE_SCHEMA = 'model_state';

/** (school → academic years) to rebuild; a school absent from the map is untouched. */
export type Touched = Map<string, string[]>;

/**
 * Where a relation's rows may have changed, within the touched partitions: school → academic
 * year → the Monday (ISO date) of the first school week whose rows may differ, or null when
 * any row of that (school, year) may differ. A (school, year) that is absent did not change.
 * The shape the runner's log keeps (src/warehouse/row-changes-log.ts), defined there.
 */
export type Extent = WeekExtent;

export interface RawChanges {
  /** False on the first run (no fingerprints kept yet): everything is rebuilt. */
  known: boolean;
  touched: Touched;
  /** Raw tables with any changed partition. */
  changedTables: Set<string>;
  /**
   * Per changed raw table, where its rows changed: from the first changed week on, for a
   * school whose change was confined to its latest year and to dated rows (an event's `date`,
   * else its `start_date`); a gated table's changed years whole there; the whole of every touched
   * year of the school otherwise.
   */
  tableExtents: Map<string, Extent>;
  /** The schools whose latest year may be updated from a week on (the others: whole years). */
  weekGrain: Set<string>;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function ensureStateTables(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${STATE_SCHEMA}`);
  // Each model's hash (its SQL, materialisation, the macros, the settings, this file's rules) as last built.
  await connection.run(`CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.models (model VARCHAR NOT NULL, hash VARCHAR NOT NULL)`);
  // Each raw table's fingerprint per (school, academic year) as the last model run saw it
  // (academic_year NULL: the table's rows with no year, e.g. pupils).
  // …and per school week (week_start NULL: rows without a date of their own, e.g. the calendar).
  await connection.run(`CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.raw_partitions (
    table_name VARCHAR NOT NULL, school_id VARCHAR NOT NULL, academic_year VARCHAR, n BIGINT NOT NULL, fp VARCHAR NOT NULL)`);
  // A warehouse whose last run fingerprinted by year only (INCREMENTAL_VERSION 1) gains the
  // column; its every model is rebuilt whole once, as the version changed.
  await connection.run(`ALTER TABLE ${STATE_SCHEMA}.raw_partitions ADD COLUMN IF NOT EXISTS week_start DATE`);
  // The data tests that passed against the models as last committed, each with the hash of its
  // SQL (and of the run's settings and macros). A row is deleted inside the model run's
  // transaction for every test that run must check, and written back only once the test has
  // passed after the COMMIT: a test that failed, or that a run killed between its COMMIT and its
  // data tests never checked, has no row, so the next run checks it whole.
  await connection.run(`CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.tests (test VARCHAR NOT NULL, hash VARCHAR NOT NULL)`);
  // Per model, whether a change confined to a school's latest academic year can change only that
  // year of its rows (latestYearAlone), as last built: for the site's rebuild, which then takes
  // the other years' pages as they were (src/page-data/year-inputs.ts).
  await connection.run(`CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.latest_year_alone (model VARCHAR NOT NULL, holds BOOLEAN NOT NULL)`);
}

/**
 * The column that places a raw row in a year and a week: its `date`, else its own
 * `academic_year` (the calendar, pupils: a year but no week), else its `start_date` (a
 * suspension, an intervention); null when it has none (the school day: the row belongs to every
 * year of its school).
 */
function placeColumn(columns: readonly string[]): 'date' | 'academic_year' | 'start_date' | null {
  if (columns.includes('date')) return 'date';
  if (columns.includes('academic_year')) return 'academic_year';
  if (columns.includes('start_date')) return 'start_date';
  return null;
}

/**
 * The academic year of a raw row from the value of its place column `p` (see placeColumn): the
 * year of its date, or its own `academic_year`; NULL when it has none (every year of its school).
 */
function yearExpression(place: ReturnType<typeof placeColumn>, p: string): string {
  if (place === 'academic_year') return `nullif(${p}, '')`;
  return place === null ? 'NULL::VARCHAR' : academicYearOf(p);
}

/**
 * The school week (its Monday) of a raw row, when the row is dated by the same column that gives
 * its year: its `date` (an event, a mark, a contact), else its `start_date` (a suspension, an
 * intervention). NULL for rows placed by their `academic_year` (the calendar, pupils) or not at
 * all: a change to those touches the whole year (or every year) of the school.
 */
function weekExpression(place: ReturnType<typeof placeColumn>, p: string): string {
  return place === 'date' || place === 'start_date' ? `date_trunc('week', ${p}::DATE)::DATE` : 'NULL::DATE';
}

/**
 * The academic year of a date, named as the models name it ("2025/26": sql/macros/calendar.sql,
 * academic_year_of), written out here so the fingerprints need no macro.
 */
function academicYearOf(date: string): string {
  const start = `(CASE WHEN month(${date}) >= 9 THEN year(${date}) ELSE year(${date}) - 1 END)`;
  return `(${start}::VARCHAR || '/' || lpad(((${start} + 1) % 100)::VARCHAR, 2, '0'))`;
}

/**
 * Fingerprints the raw tables per (school, academic year, school week) into temp table
 * `current_raw_partitions`: the row count and the sum of the rows' hashes. The rows are summed
 * per (school, place value) first (a few hundred dates a school), and the year and week worked
 * out from those sums: the same figures as per row, as a sum of sums is the sum, but the year's
 * name is built once a date rather than once a row (at 41M register marks, 4.8 of the 5 CPU
 * seconds the fingerprints took).
 */
async function fingerprintRaw(connection: DuckDBConnection, tables: readonly string[]): Promise<void> {
  const parts: string[] = [];
  for (const table of tables) {
    const columns = await rawColumns(connection, table);
    if (columns.length === 0) continue;
    const place = placeColumn(columns);
    parts.push(
      `SELECT ${literal(table)} AS table_name, p.school_id, ${yearExpression(place, 'p.place')} AS academic_year, ${weekExpression(place, 'p.place')} AS week_start,
              sum(p.n)::BIGINT AS n, sum(p.h)::VARCHAR AS fp
       FROM (SELECT t.school_id, ${place === null ? 'NULL' : `t.${ident(place)}`} AS place, count(*) AS n, sum(hash(t)) AS h
             FROM raw.${ident(table)} t GROUP BY ALL) p
       GROUP BY ALL`,
    );
  }
  const body =
    parts.length > 0
      ? parts.join('\nUNION ALL\n')
      : `SELECT NULL::VARCHAR AS table_name, NULL::VARCHAR AS school_id, NULL::VARCHAR AS academic_year, NULL::DATE AS week_start, 0::BIGINT AS n, '' AS fp WHERE false`;
  await connection.run(`CREATE OR REPLACE TEMP TABLE current_raw_partitions AS ${body}`);
}

/**
 * Compares the raw layer with what the last model run saw. `known` is false when no run kept
 * fingerprints (or the last did not fingerprint these tables): then nothing can be trusted.
 */
export async function rawChanges(connection: DuckDBConnection, tables: readonly string[], gated: ReadonlySet<string> = new Set()): Promise<RawChanges> {
  await fingerprintRaw(connection, tables);
  const [{ kept }] = await queryRows<{ kept: number }>(connection, `SELECT count(*)::INTEGER AS kept FROM ${STATE_SCHEMA}.raw_partitions`);
  const [{ models }] = await queryRows<{ models: number }>(connection, `SELECT count(*)::INTEGER AS models FROM ${STATE_SCHEMA}.models`);
  const changed = await queryRows<{ table_name: string; school_id: string; academic_year: string | null; week_start: string | null }>(
    connection,
    `SELECT coalesce(c.table_name, k.table_name) AS table_name, coalesce(c.school_id, k.school_id) AS school_id,
            coalesce(c.academic_year, k.academic_year) AS academic_year,
            strftime(coalesce(c.week_start, k.week_start), '%Y-%m-%d') AS week_start
     FROM current_raw_partitions c
     FULL OUTER JOIN ${STATE_SCHEMA}.raw_partitions k
       ON k.table_name = c.table_name AND k.school_id = c.school_id AND k.academic_year IS NOT DISTINCT FROM c.academic_year
      AND k.week_start IS NOT DISTINCT FROM c.week_start
     WHERE c.n IS DISTINCT FROM k.n OR c.fp IS DISTINCT FROM k.fp`,
  );
  const years = await queryRows<{ school_id: string; before: string[]; after: string[] }>(
    connection,
    `SELECT school_id,
            list_sort(list_distinct(list(academic_year) FILTER (WHERE side = 'before'))) AS before,
            list_sort(list_distinct(list(academic_year) FILTER (WHERE side = 'after'))) AS after
     FROM (SELECT school_id, academic_year, 'before' AS side FROM ${STATE_SCHEMA}.raw_partitions WHERE academic_year IS NOT NULL
           UNION ALL SELECT school_id, academic_year, 'after' FROM current_raw_partitions WHERE academic_year IS NOT NULL)
     GROUP BY school_id`,
  );
  const yearsOf = new Map(years.map((y) => [y.school_id, { before: y.before ?? [], after: y.after ?? [] }]));
  // A gated table's changes (read only through compared models: the pupils) do not decide the
  // school's grain: the compared model finds which years and weeks its rows changed in, and hands
  // on an older year's change as every year whole (run-models.ts, comparedExtent).
  const bySchool = new Map<string, { years: Set<string>; schoolWide: boolean; gatedYears: Set<string>; gatedWide: boolean }>();
  for (const c of changed) {
    const entry = bySchool.get(c.school_id) ?? { years: new Set<string>(), schoolWide: false, gatedYears: new Set<string>(), gatedWide: false };
    const isGated = gated.has(c.table_name);
    if (c.academic_year === null) {
      if (isGated) entry.gatedWide = true;
      else entry.schoolWide = true;
    } else (isGated ? entry.gatedYears : entry.years).add(c.academic_year);
    bySchool.set(c.school_id, entry);
  }
  const touched: Touched = new Map();
  const weekGrain = new Set<string>();
  for (const [school, change] of bySchool) {
    const { before, after } = yearsOf.get(school) ?? { before: [], after: [] };
    const latestBefore = before.at(-1);
    const latestAfter = after.at(-1);
    const onlyLatest = !change.schoolWide && latestBefore !== undefined && latestBefore === latestAfter && [...change.years].every((y) => y === latestAfter);
    const all = [...new Set([...before, ...after, ...change.years, ...change.gatedYears])].sort();
    const gatedYears = change.gatedWide ? all : [...change.gatedYears];
    touched.set(school, onlyLatest ? [...new Set([latestAfter as string, ...gatedYears])].sort() : all);
    if (onlyLatest) weekGrain.add(school);
  }
  // Each changed table's extent: from its first changed week in a school changed in its latest
  // year alone (a row with no week, such as a term of the calendar, makes it the whole year);
  // every touched year whole elsewhere.
  const tableExtents = new Map<string, Extent>();
  for (const c of changed) {
    const extent = tableExtents.get(c.table_name) ?? new Map<string, Map<string, string | null>>();
    tableExtents.set(c.table_name, extent);
    const years = touched.get(c.school_id) as string[];
    const byYear = extent.get(c.school_id) ?? new Map<string, string | null>();
    extent.set(c.school_id, byYear);
    if (!weekGrain.has(c.school_id)) {
      for (const year of years) byYear.set(year, null);
      continue;
    }
    if (gated.has(c.table_name)) {
      // A gated table in a school updated by week: its changed years whole (every touched year for a row with no year).
      for (const year of c.academic_year === null ? years : [c.academic_year]) byYear.set(year, null);
      continue;
    }
    // Updated by week: the change is in the school's latest year (the last touched one).
    const year = c.academic_year ?? (years.at(-1) as string);
    const from = byYear.has(year) ? (byYear.get(year) as string | null) : undefined;
    byYear.set(year, from === null || c.week_start === null ? null : from === undefined || c.week_start < from ? c.week_start : from);
  }
  return { known: kept > 0 && models > 0, touched, changedTables: new Set(changed.map((c) => c.table_name)), tableExtents, weekGrain };
}

/** Keeps the fingerprints just taken (inside the model run's transaction). */
export async function keepRawFingerprints(connection: DuckDBConnection): Promise<void> {
  await connection.run(`DELETE FROM ${STATE_SCHEMA}.raw_partitions`);
  await connection.run(
    `INSERT INTO ${STATE_SCHEMA}.raw_partitions (table_name, school_id, academic_year, week_start, n, fp)
     SELECT table_name, school_id, academic_year, week_start, n, fp FROM current_raw_partitions`,
  );
  await connection.run('DROP TABLE IF EXISTS current_raw_partitions');
}

export async function keptModelHashes(connection: DuckDBConnection): Promise<Map<string, string>> {
  const rows = await queryRows<{ model: string; hash: string }>(connection, `SELECT model, hash FROM ${STATE_SCHEMA}.models`);
  return new Map(rows.map((r) => [r.model, r.hash]));
}

export async function keepModelHashes(connection: DuckDBConnection, hashes: ReadonlyMap<string, string>): Promise<void> {
  await connection.run(`DELETE FROM ${STATE_SCHEMA}.models`);
  const values = [...hashes].map(([model, hash]) => `(${literal(model)}, ${literal(hash)})`);
  if (values.length > 0) await connection.run(`INSERT INTO ${STATE_SCHEMA}.models VALUES ${values.join(', ')}`);
}

/**
 * Per model, whether its rows of a (school, year) can change only when the runner rebuilds that
 * (school, year) for a change to it, or for a change to any year but the school's latest: a model
 * partitioned by school and its own `academic_year` column (`-- incremental: school_year`) such
 * that no model it is built from (itself included) reads a later year (`next year of`: the runner
 * then rebuilds the year before a changed one too) or is rebuilt whole (no `-- incremental:`
 * line) while reading the raw layer, itself or through the models it reads (then any change may
 * reach every year). A change confined to a school's latest year then leaves every other year of
 * such a model as it was (rawChanges touches that year alone).
 */
export function latestYearAlone(models: readonly SqlFile[], inputs: ModelInputs): Map<string, boolean> {
  const byName = new Map(models.map((m) => [m.name, m]));
  const readsRaw = new Map<string, boolean>();
  const rawReachedBy = (name: string, seen: Set<string>): boolean => {
    const known = readsRaw.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return false;
    seen.add(name);
    const reaches = (inputs.raw.get(name) ?? []).length > 0 || (inputs.models.get(name) ?? []).some((d) => rawReachedBy(d, seen));
    readsRaw.set(name, reaches);
    return reaches;
  };
  const holds = new Map<string, boolean>();
  for (const model of models) {
    const own = model.incremental;
    if (own?.by !== 'school_year' || own.yearExpression !== 'academic_year') {
      holds.set(model.name, false);
      continue;
    }
    const upstream = new Set<string>([model.name]);
    for (const name of upstream) for (const d of inputs.models.get(name) ?? []) upstream.add(d);
    holds.set(
      model.name,
      [...upstream].every((name) => {
        const m = byName.get(name);
        return m !== undefined && (m.incremental?.nextYearOf ?? []).length === 0 && (m.incremental !== null || !rawReachedBy(name, new Set()));
      }),
    );
  }
  return holds;
}

/** Keeps latestYearAlone's answers for the models just built (inside the model run's transaction). */
export async function keepLatestYearAlone(connection: DuckDBConnection, holds: ReadonlyMap<string, boolean>): Promise<void> {
  await connection.run(`DELETE FROM ${STATE_SCHEMA}.latest_year_alone`);
  const values = [...holds].map(([model, yes]) => `(${literal(model)}, ${yes})`);
  if (values.length > 0) await connection.run(`INSERT INTO ${STATE_SCHEMA}.latest_year_alone VALUES ${values.join(', ')}`);
}

/** The data tests that passed last time, with the hash each passed with. */
export async function keptTestPasses(connection: DuckDBConnection): Promise<Map<string, string>> {
  const rows = await queryRows<{ test: string; hash: string }>(connection, `SELECT test, hash FROM ${STATE_SCHEMA}.tests`);
  return new Map(rows.map((r) => [r.test, r.hash]));
}

/** Forgets every pass but those of `still` (inside the model run's transaction: what this run checks). */
export async function forgetTestPasses(connection: DuckDBConnection, still: readonly string[]): Promise<void> {
  await connection.run(`DELETE FROM ${STATE_SCHEMA}.tests${still.length > 0 ? ` WHERE test NOT IN (${still.map(literal).join(', ')})` : ''}`);
}

/** Records the tests that passed (after the COMMIT: each with the hash it passed with). */
export async function keepTestPasses(connection: DuckDBConnection, passed: ReadonlyMap<string, string>): Promise<void> {
  if (passed.size === 0) return;
  await connection.run(`DELETE FROM ${STATE_SCHEMA}.tests WHERE test IN (${[...passed.keys()].map(literal).join(', ')})`);
  await connection.run(`INSERT INTO ${STATE_SCHEMA}.tests VALUES ${[...passed].map(([test, hash]) => `(${literal(test)}, ${literal(hash)})`).join(', ')}`);
}

/** The academic year before `label` ("2025/26" → "2024/25"). */
export function previousYear(label: string): string {
  return academicYearLabel(Number.parseInt(label.slice(0, 4), 10) - 1);
}

/** The academic year after `label` ("2024/25" → "2025/26"). */
export function nextYear(label: string): string {
  return academicYearLabel(Number.parseInt(label.slice(0, 4), 10) + 1);
}

/** The union of partition sets, each school's years sorted. */
function unionTouched(sets: readonly Touched[]): Touched {
  const years = new Map<string, Set<string>>();
  for (const set of sets) {
    for (const [school, ys] of set) {
      const all = years.get(school) ?? new Set<string>();
      for (const y of ys) all.add(y);
      years.set(school, all);
    }
  }
  return new Map([...years].map(([school, ys]) => [school, [...ys].sort()]));
}

/**
 * The partitions a model updated by partition rebuilds: the run's touched partitions, those its
 * inputs rebuilt (`inputs`), and, for each input it reads a year ahead of its rows (`next year
 * of`: `ahead`, that input's rebuilt partitions), the year before each of that input's years:
 * the model's rows of that earlier year read the changed one.
 */
export function modelTouched(base: Touched, inputs: readonly Touched[], ahead: readonly Touched[] = []): Touched {
  const widened = ahead.map((set) => new Map([...set].map(([school, ys]) => [school, ys.map(previousYear)])));
  return unionTouched([base, ...inputs, ...widened]);
}

const YEAR_OF_DATE = /^\s*academic_year_of\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/;

/**
 * The rows whose academic year (`yearSql`) is one of `years` (consecutive, as the filters ask
 * for: a year, the one before, the one after). A year given as `academic_year_of(COL)` is
 * written as a range of COL's dates (1 September to 1 September, sql/macros/calendar.sql): a
 * string built per row and compared hides the range from DuckDB, which then reads every row
 * group of the marks, where a range on the date column lets it skip the row groups of other
 * years by their min/max (the weekly refresh's codes by term, 0.31 -> 0.05 CPU s at the large
 * school; docs/performance.md). The same rows either way, NULL dates included (in neither).
 */
export function yearCondition(yearSql: string, years: readonly string[]): string {
  const sorted = [...new Set(years)].sort();
  if (sorted.length === 0) return 'false';
  const column = YEAR_OF_DATE.exec(yearSql)?.[1];
  const starts = sorted.map((y) => Number(y.slice(0, 4)));
  const consecutive = starts.every((start, i) => i === 0 || start === starts[i - 1] + 1);
  if (column && consecutive && sorted.every((y, i) => y === academicYearLabel(starts[i]))) {
    return `(${column} >= DATE '${starts[0]}-09-01' AND ${column} < DATE '${starts[starts.length - 1] + 1}-09-01')`;
  }
  return sorted.length === 1 ? `(${yearSql}) = ${literal(sorted[0])}` : `(${yearSql}) IN (${sorted.map(literal).join(', ')})`;
}

/** "2025/26" for 2025, as sql/macros/calendar.sql names it. */
function academicYearLabel(start: number): string {
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** The touched schools' rows. */
export function schoolFilter(touched: Touched): string {
  return schoolsCondition([...touched.keys()]);
}

/**
 * SQL true for the rows of `schools`: one by equality; several by list_contains, a filter on each
 * row read where `IN (…)` of more than a few values becomes a join (a trust's 30 schools: 0.05
 * against 0.06 CPU s a year of its pupil-weeks; docs/performance.md, "Session 36").
 */
function schoolsCondition(schools: readonly string[]): string {
  const sorted = [...new Set(schools)].sort();
  return sorted.length === 1 ? `school_id = ${literal(sorted[0])}` : `list_contains([${sorted.map(literal).join(', ')}], school_id)`;
}

/**
 * The rows of the touched (school, year) partitions, the year given by `yearSql` (a column or an
 * expression over the relation's columns); with `withPrevious`, each touched year's previous
 * year too; with `withNext`, its next year too. Written as literals per year so DuckDB pushes it
 * down to the scans.
 */
export function partitionFilter(touched: Touched, yearSql: string, withPrevious = false, withNext = false): string {
  const schoolsByYear = new Map<string, Set<string>>();
  for (const [school, years] of touched) {
    for (const year of years) {
      const around = [year, ...(withPrevious ? [previousYear(year)] : []), ...(withNext ? [nextYear(year)] : [])];
      for (const y of around) {
        const set = schoolsByYear.get(y) ?? new Set<string>();
        set.add(school);
        schoolsByYear.set(y, set);
      }
    }
  }
  const clauses = [...schoolsByYear]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([year, schools]) => `(${yearCondition(yearSql, [year])} AND ${schoolsCondition([...schools])})`);
  return clauses.length > 0 ? `(${clauses.join(' OR ')})` : 'false';
}

/** Every touched (school, year), whole. */
export function wholeExtent(touched: Touched): Extent {
  return new Map([...touched].map(([school, years]) => [school, new Map(years.map((y) => [y, null]))]));
}

/**
 * Where any of `extents` changed: each (school, year) any of them holds, from the earliest first
 * week; whole when any holds it whole. A school not updated by week (`weekGrain`) that appears
 * at all is whole in every touched year: its years were widened because a model's rows for a
 * year may read the years before it.
 */
export function unionExtents(extents: readonly Extent[], touched: Touched, weekGrain: ReadonlySet<string>): Extent {
  const union: Extent = new Map();
  for (const extent of extents) {
    for (const [school, years] of extent) {
      const byYear = union.get(school) ?? new Map<string, string | null>();
      union.set(school, byYear);
      for (const [year, from] of years) {
        const before = byYear.get(year);
        byYear.set(year, !byYear.has(year) ? from : before === null || from === null ? null : from < (before as string) ? from : (before as string));
      }
    }
  }
  for (const [school, byYear] of union) {
    if (weekGrain.has(school)) continue;
    for (const year of touched.get(school) ?? []) byYear.set(year, null);
  }
  return union;
}

/** True when some (school, year) of the extent changes from a week on, not whole. */
export function isWeekly(extent: Extent): boolean {
  return [...extent.values()].some((years) => [...years.values()].some((from) => from !== null));
}

export interface ExtentScope {
  /** The relation's academic year (a column or expression); null: read by school only. */
  yearSql: string | null;
  /** Each year and the one before it. */
  withPrevious?: boolean;
  /** Each year and the one after it (an input read a year ahead: `next year of`). */
  withNext?: boolean;
  /** A date in the row's school week: rows from the first changed week on; null: the whole partition. */
  weekSql?: string | null;
}

/**
 * The rows of a relation inside `extent`: per school, the touched years (and the years before
 * them, when asked), from the first changed week on where a week is known and `weekSql` given.
 * Written as literals so DuckDB pushes it down to the scans.
 */
export function extentFilter(extent: Extent, scope: ExtentScope): string {
  // Each school's conditions besides the school (its years, from its first changed week), and the
  // schools that share each: a trust's week gives every school the same, one clause for all of
  // them, not one a school (an OR of 30 clauses was tried on each row read: 0.10 against 0.05 CPU
  // s for a year of a trust's pupil-weeks; docs/performance.md, "Session 36").
  const alike = new Map<string, string[]>();
  const add = (school: string, rest: string) => {
    const schools = alike.get(rest) ?? [];
    alike.set(rest, schools);
    schools.push(school);
  };
  for (const [school, byYear] of [...extent].sort(([a], [b]) => a.localeCompare(b))) {
    if (byYear.size === 0) continue;
    const froms = [...byYear.values()];
    if (scope.yearSql === null) {
      // By school: from a week on when every changed year of the school is (its latest).
      const week = scope.weekSql && froms.every((f) => f !== null) ? froms.sort()[0] : null;
      add(school, week ? ` AND (${scope.weekSql}) >= DATE ${literal(week)}` : '');
      continue;
    }
    for (const [year, from] of [...byYear].sort(([a], [b]) => a.localeCompare(b))) {
      const years = [...(scope.withPrevious ? [previousYear(year)] : []), year, ...(scope.withNext ? [nextYear(year)] : [])];
      const yearClause = yearCondition(scope.yearSql, years);
      const weekClause = scope.weekSql && from !== null ? ` AND (${scope.weekSql}) >= DATE ${literal(from)}` : '';
      add(school, ` AND ${yearClause}${weekClause}`);
    }
  }
  if (alike.size === 0) return 'false';
  const clauses = [...alike].map(([rest, schools]) => `(${schoolsCondition(schools)}${rest})`);
  // Every school from a week on (a trust's week): the earliest week once more, outside the OR,
  // where DuckDB can push it down to the scan of the marks.
  const froms = [...extent.values()].flatMap((years) => [...years.values()]);
  const earliest = scope.weekSql && clauses.length > 1 && froms.every((f) => f !== null) ? (froms as string[]).sort()[0] : null;
  return `${earliest ? `(${scope.weekSql}) >= DATE ${literal(earliest)} AND ` : ''}(${clauses.join(' OR ')})`;
}

/**
 * The rows of a raw table dated by its column `place` (`date` or `start_date`: placeColumn)
 * inside `extent`, and its rows with no date (in no week, so in no extent): what a data test
 * promising `-- test partitions: school_week` reads in a refresh (src/models/run-models.ts).
 * The year and week are the fingerprints' (fingerprintRaw: the academic year of the date, and
 * the rows from the first changed week's Monday on).
 */
export function rawExtentFilter(extent: Extent, place: string): string {
  if (!/^[a-z_]+$/.test(place)) throw new Error(`a raw table's date column is a plain name, not ${place}`);
  return `(${extentFilter(extent, { yearSql: `academic_year_of(${place})`, weekSql: `${place}::DATE` })}) OR ${place} IS NULL`;
}

/** The column of raw table `table` that places its rows in a year and a week (placeColumn); null when it has none or no such table. */
export async function rawPlaceColumn(connection: DuckDBConnection, table: string): Promise<ReturnType<typeof placeColumn>> {
  const columns = await rawColumns(connection, table);
  return columns.length === 0 ? null : placeColumn(columns);
}

/** The columns of `raw.<table>` (none when there is no such table). */
async function rawColumns(connection: DuckDBConnection, table: string): Promise<string[]> {
  const rows = await queryRows<{ column_name: string }>(
    connection,
    `SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = 'raw' AND table_name = ${literal(table)}`,
  );
  return rows.map((c) => c.column_name);
}

/** The extent in words for the run's line: "DEMO1 2025/26 from 2026-06-01". */
export function extentWeeks(extent: Extent): Record<string, Record<string, string | null>> {
  return Object.fromEntries(
    [...extent].sort(([a], [b]) => a.localeCompare(b)).map(([school, years]) => [school, Object.fromEntries([...years].sort(([a], [b]) => a.localeCompare(b)))]),
  );
}
