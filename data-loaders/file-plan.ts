import type { DuckDBConnection } from '@duckdb/node-api';
import { SQL_TYPE } from './column-sql.ts';
import { sourceColumn, type ColumnMapping } from './column-mapping.ts';
import { RETIRED_ATTENDANCE_CODES, type ColumnSpec, type FileSpec } from './contract.ts';
import { checkList, type Check } from './checks.ts';
import type { DirectReading } from './detail-query.ts';
import type { SourceFile } from './source-file.ts';
import type { WindowRule } from './windows.ts';
import { rawRowsTable } from '../src/warehouse/raw-rows.ts';
import { ident, literal, queryRows } from '../src/warehouse/warehouse.ts';

export interface LoadContext {
  schoolId: string;
  /** The school's number in the stored rows (raw-schema.ts, keySchools), given before the file loads. */
  schoolKey: number;
  spec: FileSpec;
  source: SourceFile;
  mapping: ColumnMapping;
  profile: string;
  /** The file's name as reported (defaults to the contract's file name). */
  fileName?: string;
  /** The import this file is part of (kept with the rows it removes or corrects). */
  importId?: string;
  /** The dates the file covers (default: its own rows' first to last date). */
  window?: WindowRule;
  /** Share of a window's rows a file may remove before the import stops (default 0.2). */
  removalLimit?: number;
  /** Remove whatever the window lacks, however much (`--allow-removals`). */
  allowRemovals?: boolean;
}

/** The SQL pieces of one file's load, shared by the direct and the checked path. */
export interface FilePlan {
  /** Where the rows are stored (`raw_rows.<type>`, the school as a number: src/warehouse/raw-rows.ts). */
  table: string;
  /** The same rows with the school's id (`raw.<type>`), for what reads rows as the models see them. */
  view: string;
  folderSchool: string;
  /** The folder's school's number in `table` (SQL). */
  folderKey: string;
  /** Columns the rows carry: those the file maps, and student_id when pupils are matched by name. */
  present: ReadonlySet<string>;
  checks: Check[];
  okExpr: string;
  /**
   * The direct path's: every check but the known pupil's, which it runs on the inserted rows
   * (a join in the insert would make DuckDB insert on one thread; without one, it inserts in parallel).
   */
  directOkExpr: string;
  keyExprs: string[];
  /** The contract's columns in table order, and the SELECT list producing them from typed rows. */
  allColumns: string[];
  selectList: string[];
  /** DuckDB's CSV reader over the file, every column as text, keeping malformed records in src_csv_errors. */
  reader: string;
  /**
   * The same reader on one thread (parallel = false). DuckDB 1.5's parallel reader, after a
   * stretch of 8 MB holding nothing but records it cannot split, reads no further and says
   * nothing of the rest: the checked path reads such a file again with this one (readRecords).
   */
  serialReader: string;
  /**
   * The direct path's reader: the same, but the columns in `typed` are typed by DuckDB's reader
   * (a value it cannot cast is logged in src_csv_errors as a CAST error: the direct path then
   * gives way to the checked path, which reads every column as text).
   */
  directReader: string;
  /** Whether rows must name a pupil of students.csv (the direct path checks it after its insert). */
  pupilChecked: boolean;
  /** Columns the direct path reads typed (ISO dates, whole numbers: see typedColumns) or untrimmed (see asWrittenColumns). */
  direct: DirectReading;
  /** The same reader, skipping malformed records silently (for counting). */
  counter: string;
}

/**
 * The SQL pieces of one file's load, from the contract, the column mapping and the file. With
 * `paths`, the reader reads those files (of one layout: load-batch.ts) in that order instead.
 */
export function planFile(context: LoadContext, paths?: readonly string[]): FilePlan {
  const { schoolId, spec, source, mapping } = context;
  const present = new Set([...mapping.sources.map((s) => s.column.name), ...(mapping.pupilByName ? ['student_id'] : [])]);
  const checks = checkList(spec, mapping, present);
  const columnTypes = source.headers.map((_, i) => `'${sourceColumn(i)}': 'VARCHAR'`).join(', ');
  const typed = typedColumns(mapping, source);
  const directTypes = source.headers
    .map((_, i) => {
      const column = [...typed.values()].find((t) => t.position === i);
      return `'${sourceColumn(i)}': '${column ? SQL_TYPE[column.type] : 'VARCHAR'}'`;
    })
    .join(', ');
  const files = paths ? `[${paths.map(literal).join(', ')}]` : literal(source.readablePath);
  const readerOf = (types: string, errors: string) =>
    `read_csv(${files}, header = true, auto_detect = false,
      columns = {${types}}, delim = ${literal(source.delimiter)}, quote = '"', escape = '"', ${errors})`;
  const storeRejects = "store_rejects = true, rejects_table = 'src_csv_errors', rejects_scan = 'src_csv_scans'";
  return {
    table: rawRowsTable(spec.name),
    view: `raw.${ident(spec.name)}`,
    folderSchool: literal(schoolId),
    folderKey: String(context.schoolKey),
    present,
    checks,
    okExpr: okOf(checks),
    directOkExpr: okOf(checks.filter((c) => !c.pupil)),
    pupilChecked: checks.some((c) => c.pupil),
    keyExprs: spec.key.map((k) => keyExpr(spec, k, present)),
    allColumns: spec.columns.map((c) => ident(c.name)),
    selectList: spec.columns.map((c) => {
      if (present.has(c.name)) return `${spec.key.includes(c.name) ? keyExpr(spec, c.name, present) : ident(c.name)}::${SQL_TYPE[c.type]} AS ${ident(c.name)}`;
      return `${spec.key.includes(c.name) ? "''" : 'NULL'}::${SQL_TYPE[c.type]} AS ${ident(c.name)}`;
    }),
    reader: readerOf(columnTypes, storeRejects),
    serialReader: readerOf(columnTypes, `parallel = false, ${storeRejects}`),
    directReader: [...typed.values()].some((t) => t.type === 'date') ? readerOf(directTypes, `dateformat = '%Y-%m-%d', ${storeRejects}`) : readerOf(directTypes, storeRejects),
    direct: { typed: new Set(typed.keys()), asWritten: asWrittenColumns(spec, mapping, present), pupilKnown: false },
    counter: readerOf(columnTypes, 'ignore_errors = true'),
  };
}

/**
 * Types whose parse, given a value with spaces (or no-break spaces) around it, gives NULL or the
 * value its trimmed text gives: a fixed list of words or codes compared whole (session, codes,
 * enums, yes/no), patterns anchored at both ends (academic year; a year group, whose pattern
 * allows spaces before the number), DuckDB's number casts (which ignore spaces). Not dates, times
 * or date-times: "2025-09-03T10:00Z " (a space after the zone) would be read without its zone.
 */
const SPACE_SAFE_TYPES: ReadonlySet<ColumnSpec['type']> = new Set(['session', 'attendance_code', 'enum', 'boolean', 'academic_year', 'year_group', 'integer', 'number']);

/**
 * Columns the direct path uses as written, without trimming (cleanText's four LIKEs per cell add
 * up on a large file): those of a space-safe type, whose checks reject a value whose spaces would
 * matter, and the pupil id where it must name a pupil of students.csv (ids there are trimmed, so
 * an id with spaces around it is not found). Either way the file goes to the checked path, which
 * trims; what the direct path loads is what the checked path would.
 */
function asWrittenColumns(spec: FileSpec, mapping: ColumnMapping, present: ReadonlySet<string>): Set<string> {
  const pupilChecked = spec.refersToPupil && !mapping.pupilByName && present.has('student_id');
  return new Set(mapping.sources.filter((s) => SPACE_SAFE_TYPES.has(s.column.type) || (s.column.name === 'student_id' && pupilChecked)).map((s) => s.column.name));
}

/** What a typed column's sampled values must look like (empty cells aside) for the direct reader to type it. */
const TYPED_SHAPES: Partial<Record<ColumnSpec['type'], RegExp>> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  integer: /^-?\d{1,9}$/,
};

/**
 * Contract columns the direct path lets DuckDB's CSV reader type, by name: dates and whole
 * numbers read straight from one column of the file (no value map, no expression, the column read
 * by nothing else), whose sampled values (SourceFile.sample) are all plain ISO dates or whole
 * numbers. Typing in the reader is cheaper than reading text and parsing it in SQL. It must
 * never accept what the checked path rejects, nor read a value differently (measured on DuckDB
 * 1.5, test/ingest/typed-read.test.ts): DuckDB's integer cast is the one the checked path uses
 * (try_cast), so whole numbers agree; its `%Y-%m-%d` date reader also takes a two-digit year
 * ("25-09-03" as the year 25, which the checked path rejects) and reads "infinity" as
 * 1900-01-01, so a typed date before the year 1000, or on 1 January 1900, does not pass the direct
 * path's checks (detail-query.ts) and the file is loaded by the checked path instead. Anything
 * the reader cannot cast sends the file to the checked path too: a typed column only ever makes
 * a clean file cheaper.
 */
function typedColumns(mapping: ColumnMapping, source: SourceFile): Map<string, { position: number; type: ColumnSpec['type'] }> {
  const typed = new Map<string, { position: number; type: ColumnSpec['type'] }>();
  if (mapping.split || mapping.school || mapping.pupilByName || mapping.rowRejects.length > 0) return typed;
  for (const s of mapping.sources) {
    const shape = TYPED_SHAPES[s.column.type];
    const position = source.headers.findIndex((_, i) => ident(sourceColumn(i)) === s.textExpr);
    if (!shape || position < 0) continue;
    // The same file column feeding another contract column stays text.
    if (mapping.sources.some((o) => o !== s && o.textExpr.includes(s.textExpr))) continue;
    if (!source.sample.every((row) => row[position] === undefined || row[position] === '' || shape.test(row[position]))) continue;
    typed.set(s.column.name, { position, type: s.column.type });
  }
  return typed;
}

/** SQL: true when none of the checks holds (a row that passes). */
const okOf = (checks: readonly Check[]) => `NOT (${checks.length > 0 ? checks.map((c) => `coalesce(${c.condition}, false)`).join(' OR ') : 'false'})`;

/** A key column as stored: absent → '', optional and empty → '' (keys are never NULL). */
function keyExpr(spec: FileSpec, name: string, present: ReadonlySet<string>): string {
  if (!present.has(name)) return "''";
  const column = spec.columns.find((c) => c.name === name);
  return column?.required ? ident(name) : `coalesce(${ident(name)}, '')`;
}

/** The first row of a query's result (a one-row summary). */
export const queryOne = async <T>(connection: DuckDBConnection, sql: string) => (await queryRows<T>(connection, sql))[0];

const RETIRED_LIST = RETIRED_ATTENDANCE_CODES.map(literal).join(', ');

/** Whether the rows hold attendance codes, some of which may be retired ones (retiredCodesSql). */
export const mayHoldRetiredCodes = (context: LoadContext, plan: FilePlan) => context.spec.name === 'attendance' && plan.present.has('code');

/** SQL: the retired attendance codes among `from`'s rows, as rows of (school_id, code, n). */
export const retiredCodesBySchoolSql = (from: string) => `SELECT school_id, code, count(*)::INTEGER AS n FROM ${from} WHERE code IN (${RETIRED_LIST}) GROUP BY ALL ORDER BY ALL`;

/**
 * SQL: how often each retired attendance code occurs in `from` (rows already filtered by
 * `where`), as a list of {code, n}, or NULL when the file has no attendance codes.
 */
export function retiredCodesSql(context: LoadContext, plan: FilePlan, from: string, where: string): string {
  if (!mayHoldRetiredCodes(context, plan)) return 'NULL';
  return `(SELECT list({'code': code, 'n': n} ORDER BY code) FROM (SELECT code, count(*)::INTEGER AS n FROM ${from} WHERE ${where} AND code IN (${RETIRED_LIST}) GROUP BY code))`;
}
