import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `sql/` folder. */
export const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

/** The layers, in the order the folders are read (order of execution comes from the DAG). */
export const MODEL_LAYERS = ['staging', 'intermediate', 'marts'] as const;

export type Materialisation = 'table' | 'view';

export interface SqlFile {
  /** Relation name = file name without `.sql`. */
  name: string;
  layer: string;
  file: string;
  sql: string;
  /**
   * `view` when the file has a `-- materialised: view` comment line, else `table`. A view costs
   * nothing to build and is computed by each model that reads it: right for a pass-through
   * staging model read once or twice; a table is computed once and stored: right for what
   * many models read, or what pages read.
   */
  materialised: Materialisation;
  /** How the model can be rebuilt for part of the data (`-- incremental: …`); null: only whole. */
  incremental: Incremental | null;
  /** How the model can be rebuilt from a school week on (`-- incremental weeks: …`); null: whole partitions. */
  weeks: Weeks | null;
  /**
   * Data tests only: true when the file has a `-- test partitions: school_year` line, a promise
   * that the test's failing rows in each (school, academic year) of the models it reads that are
   * partitioned by school_year are found from that partition's rows alone (a check of each row,
   * or a key that includes school_id and academic_year), with every row of any other model it
   * reads, so a run that changed a few partitions, and none of those other models, checks only
   * those partitions (src/models/run-models.ts, planDataTests).
   */
  partitionLocal?: boolean;
  /**
   * Data tests only: true when the file has a `-- test partitions: school_week` line, a promise
   * that it reads only raw tables dated by a day (`date`, else `start_date`) and that its failing
   * rows in each (school, school week) are found from that week's rows alone (a key that includes
   * school_id and the date), so a refresh checks only the weeks whose raw rows changed, and the
   * rows with no date (src/models/run-models.ts, planDataTests).
   */
  weekLocal?: boolean;
}

/**
 * A model's `-- incremental:` header line: which part of the data its rows belong to, so a
 * refresh that touched a few (school, academic year) partitions rebuilds only those
 * (src/models/incremental.ts; docs/performance.md, "Incremental models"):
 *
 *   -- incremental: school_year [by EXPR] [; all years of DEP, DEP] [; previous year of DEP] [; next year of DEP]
 *   -- incremental: school
 *
 * school_year: every row has a school_id and an academic year (the `academic_year` column, or
 * EXPR over the model's columns, e.g. `academic_year_of(date)`); the rows of a (school, year)
 * depend only on that school's rows of the models it reads for the same year, or for the years
 * named (`previous year of`: that year and the one before; `all years of`: every year of the
 * school; `next year of`: that year and the one after), and on whole unpartitioned models; never
 * on another school, and on a later year only through `next year of` (then a change to a year
 * also rebuilds the model's year before it: its rows read that year).
 * school: the rows of a school depend only on that school's rows (rebuilt per school); a change
 * to one year of its data changes only rows of that year or later.
 * No line: the model is rebuilt whole whenever anything it reads changed.
 */
export interface Incremental {
  by: 'school_year' | 'school';
  /** SQL giving a row's academic year from the model's columns (school_year only). */
  yearExpression: string;
  /** Models read across every year of the school (filtered by school only). */
  allYearsOf: string[];
  /** Models read for the touched years and the year before each. */
  previousYearOf: string[];
  /**
   * Models read for the touched years and the year after each (the rows of a year look ahead
   * into the next, as an intervention's after-window does): a change to such a model's year Y
   * rebuilds this model's years Y and Y − 1. Set only when the header has the clause.
   */
  nextYearOf?: string[];
}

/**
 * A model's `-- incremental weeks:` header line (beside its `-- incremental:` line): how a
 * refresh that changed only the last weeks of a school's latest year updates it from the first
 * changed week on, not the whole year (src/models/run-models.ts; docs/performance.md):
 *
 *   -- incremental weeks: by EXPR [; same week of DEP, DEP] [; N weeks back of DEP] [; year to date of DEP] [; N weeks ahead of DEP] [; all weeks of DEP]
 *   -- incremental weeks: compared [by EXPR [; COLUMN by its own week]]
 *
 * by EXPR: each row lies in the school week of EXPR (a date in the week, over the model's
 * columns: `week_start`, `date`); the rows of week W depend only on rows of the models it reads
 * dated in weeks up to W (to date: running totals, "the 10 weeks before"), by each input's own
 * EXPR; never on a later week. An input without a weeks line that changed makes the whole
 * partition change. The refresh deletes and inserts the rows from the first changed week on,
 * reading each input for the partition (as the `-- incremental:` line says); `same week of`:
 * the rows of week W read only that input's rows of week W, so it is read from the first
 * changed week on (the large per-mark and per-pupil-week inputs); `N weeks back of`: the rows of
 * week W read that input's rows from N school weeks before W to W (a window over the weeks
 * before), so it is read from N school weeks before the first week updated; `year to date of`:
 * they read its rows from the start of W's academic year to W (running totals), so it is read
 * from the year's first school week; `N weeks ahead of`: they read its rows up to N school weeks
 * after W (an outcome in the next N weeks), so a change to it from week F updates the model's
 * rows from N school weeks before F on; `all weeks of`: they may read its rows of any week (an
 * intervention still running from an earlier week), so it is read for the whole partition, as
 * if not named, while a clause before still says how its changes move the weeks updated (with
 * `N weeks ahead of`: from N school weeks before its first changed week). N is a whole number or the name of a column of the
 * `settings` table (a setting such as `watchlist_horizon_weeks`). School weeks are the school's
 * weeks with school days (int_school_weeks), so holidays do not count.
 * compared: the rows of a week may depend on later weeks (a flag on the week the data ends);
 * the model is rebuilt for the touched partitions, small as it must be, and compared with its
 * rows before: the weeks whose rows differ (by EXPR; without it, the partition) are what its
 * readers see changed, and nothing, when no row differs. `; COLUMN by its own week` (after
 * `compared by EXPR`): COLUMN, a date, is compared apart from the rest of the row, so a row that
 * differs in it alone changes from the week of its value before or after, whichever is earlier,
 * not from EXPR's week. A promise that the model's readers depend on COLUMN only from its own
 * week on (a leaving date: the pupil's weeks on roll end there).
 */
export type Weeks =
  | { kind: 'by'; expression: string; sameWeekOf: string[]; backOf?: WeeksAround[]; aheadOf?: WeeksAround[]; yearToDateOf?: string[]; allWeeksOf?: string[] }
  | { kind: 'compared'; expression: string | null; ownWeek?: string[] };

/** An input read some school weeks before (`back`) or after (`ahead`) a row's own week: `weeks` is a count or a settings column. */
export interface WeeksAround {
  name: string;
  weeks: number | string;
}

const WEEKS_COMMENT = /^--\s*incremental weeks:\s*(.+)$/im;

/** Parses the `-- incremental weeks:` line (null when there is none); throws on one it cannot read. */
export function weeksOf(sql: string, file = 'model'): Weeks | null {
  const line = WEEKS_COMMENT.exec(sql)?.[1]?.trim();
  if (!line) return null;
  const [head, ...clauses] = line.split(';').map((part) => part.trim()).filter((part) => part.length > 0);
  const compared = /^compared(?:\s+by\s+(.+))?$/i.exec(head);
  if (compared) {
    const expression = compared[1]?.trim() ?? null;
    const ownWeek: string[] = [];
    for (const clause of clauses) {
      const own = /^([a-z_][a-z0-9_]*)\s+by its own week$/i.exec(clause);
      if (!own || expression === null) {
        throw new Error(`${file}: cannot read "${clause}" in "-- incremental weeks: ${line}" (compared by EXPR takes "COLUMN by its own week" alone)`);
      }
      ownWeek.push(own[1].toLowerCase());
    }
    return { kind: 'compared', expression, ...(ownWeek.length > 0 ? { ownWeek } : {}) };
  }
  const by = /^by\s+(.+)$/i.exec(head);
  if (!by) throw new Error(`${file}: cannot read "-- incremental weeks: ${line}" (expected by EXPR or compared [by EXPR])`);
  const sameWeekOf: string[] = [];
  const backOf: WeeksAround[] = [];
  const aheadOf: WeeksAround[] = [];
  const yearToDateOf: string[] = [];
  const allWeeksOf: string[] = [];
  const namesIn = (list: string) => list.split(',').map((n) => n.trim()).filter((n) => n.length > 0);
  for (const clause of clauses) {
    const same = /^same week of\s+(.+)$/i.exec(clause);
    const ytd = /^year to date of\s+(.+)$/i.exec(clause);
    const all = /^all weeks of\s+(.+)$/i.exec(clause);
    const around = /^(\d+|[a-z_][a-z0-9_]*)\s+weeks?\s+(back|ahead)\s+of\s+(.+)$/i.exec(clause);
    if (same) sameWeekOf.push(...namesIn(same[1]));
    else if (ytd) yearToDateOf.push(...namesIn(ytd[1]));
    else if (all) allWeeksOf.push(...namesIn(all[1]));
    else if (around) {
      const weeks = /^\d+$/.test(around[1]) ? Number.parseInt(around[1], 10) : around[1].toLowerCase();
      (around[2].toLowerCase() === 'back' ? backOf : aheadOf).push(...namesIn(around[3]).map((name) => ({ name, weeks })));
    } else {
      throw new Error(`${file}: cannot read "${clause}" in "-- incremental weeks: ${line}" (expected "same week of …", "N weeks back of …", "year to date of …", "N weeks ahead of …" or "all weeks of …")`);
    }
  }
  return {
    kind: 'by',
    expression: by[1].trim(),
    sameWeekOf,
    ...(backOf.length > 0 ? { backOf } : {}),
    ...(aheadOf.length > 0 ? { aheadOf } : {}),
    ...(yearToDateOf.length > 0 ? { yearToDateOf } : {}),
    ...(allWeeksOf.length > 0 ? { allWeeksOf } : {}),
  };
}

const MATERIALISED_COMMENT = /^--\s*materialised:\s*(table|view)\b/im;

const INCREMENTAL_COMMENT = /^--\s*incremental:\s*(.+)$/im;

/** Parses the `-- incremental:` line (null when there is none); throws on one it cannot read. */
export function incrementalOf(sql: string, file = 'model'): Incremental | null {
  const line = INCREMENTAL_COMMENT.exec(sql)?.[1]?.trim();
  if (!line) return null;
  const [head, ...clauses] = line.split(';').map((part) => part.trim()).filter((part) => part.length > 0);
  const match = /^(school_year|school)(?:\s+by\s+(.+))?$/i.exec(head);
  if (!match || (match[1].toLowerCase() === 'school' && match[2])) {
    throw new Error(`${file}: cannot read "-- incremental: ${line}" (expected school_year [by EXPR] or school)`);
  }
  const result: Incremental = {
    by: match[1].toLowerCase() as Incremental['by'],
    yearExpression: match[2]?.trim() ?? 'academic_year',
    allYearsOf: [],
    previousYearOf: [],
  };
  for (const clause of clauses) {
    const c = /^(all years|previous year|next year) of\s+(.+)$/i.exec(clause);
    if (!c) throw new Error(`${file}: cannot read "${clause}" in "-- incremental: ${line}" (expected "all years of …", "previous year of …" or "next year of …")`);
    const names = c[2].split(',').map((n) => n.trim()).filter((n) => n.length > 0);
    const kind = c[1].toLowerCase();
    if (kind === 'next year') result.nextYearOf = [...(result.nextYearOf ?? []), ...names];
    else (kind === 'all years' ? result.allYearsOf : result.previousYearOf).push(...names);
  }
  return result;
}

export function materialisationOf(sql: string): Materialisation {
  return (MATERIALISED_COMMENT.exec(sql)?.[1]?.toLowerCase() as Materialisation | undefined) ?? 'table';
}

function readSqlFiles(dir: string, layer: string): SqlFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  } catch {
    return [];
  }
  return names.map((f) => {
    const file = path.join(dir, f);
    // CRLF-tolerant: a model edited on Windows must run the same.
    const sql = readFileSync(file, 'utf-8').replace(/\r\n/g, '\n').trim().replace(/;\s*$/, '');
    const weeks = weeksOf(sql, file);
    const incremental = incrementalOf(sql, file);
    if (weeks && !incremental) throw new Error(`${file}: an "-- incremental weeks:" line needs an "-- incremental:" line`);
    return { name: f.slice(0, -4), layer, file, sql, materialised: materialisationOf(sql), incremental, weeks };
  });
}

export function readModels(sqlDir = SQL_DIR): SqlFile[] {
  return MODEL_LAYERS.flatMap((layer) => readSqlFiles(path.join(sqlDir, layer), layer));
}

const TEST_PARTITIONS_COMMENT = /^--\s*test partitions:\s*(.+)$/im;

/** What a data test's `-- test partitions:` line names: school_year, school_week, or null without one (throws on any other value). */
export function testPartitions(sql: string, file = 'test'): 'school_year' | 'school_week' | null {
  const line = TEST_PARTITIONS_COMMENT.exec(sql)?.[1]?.trim();
  if (!line) return null;
  const grain = line.toLowerCase();
  if (grain !== 'school_year' && grain !== 'school_week') throw new Error(`${file}: cannot read "-- test partitions: ${line}" (expected school_year or school_week)`);
  return grain;
}

/** Whether a data test says `-- test partitions: school_year`. */
export function testPartitionLocal(sql: string, file = 'test'): boolean {
  return testPartitions(sql, file) === 'school_year';
}

export function readDataTests(sqlDir = SQL_DIR): SqlFile[] {
  return readSqlFiles(path.join(sqlDir, 'tests'), 'tests').map((t) => {
    const grain = testPartitions(t.sql, t.file);
    return { ...t, partitionLocal: grain === 'school_year', weekLocal: grain === 'school_week' };
  });
}

/** `sql/macros/*.sql`: CREATE MACRO statements the models share (academic year of a date…). */
export function readMacros(sqlDir = SQL_DIR): SqlFile[] {
  return readSqlFiles(path.join(sqlDir, 'macros'), 'macros');
}

/**
 * The prefix of a model's table while a run builds it: whole-built tables are written under
 * `__next__<model>` in `main`, each committed on its own, and renamed into place in the run's last
 * transaction (see runModels). A table with the prefix outside a run is a killed run's leftover.
 */
export const STAGED_PREFIX = '__next__';
