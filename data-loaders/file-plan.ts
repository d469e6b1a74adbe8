import type { DuckDBConnection } from '@duckdb/node-api';
import { SQL_TYPE } from './column-sql.ts';
import { sourceColumn, type ColumnMapping } from './column-mapping.ts';
import { RETIRED_ATTENDANCE_CODES, type FileSpec } from './contract.ts';
import { checkList, type Check } from './checks.ts';
import type { SourceFile } from './source-file.ts';
import type { WindowRule } from './windows.ts';
import { ident, literal, queryRows } from '../src/warehouse/warehouse.ts';

export interface LoadContext {
  schoolId: string;
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
  table: string;
  folderSchool: string;
  /** Columns the rows carry: those the file maps, and student_id when pupils are matched by name. */
  present: ReadonlySet<string>;
  checks: Check[];
  okExpr: string;
  keyExprs: string[];
  /** The contract's columns in table order, and the SELECT list producing them from typed rows. */
  allColumns: string[];
  selectList: string[];
  /** DuckDB's CSV reader over the file, keeping malformed records in src_csv_errors. */
  reader: string;
  /** The same reader, skipping malformed records silently (for counting). */
  counter: string;
}

/** The SQL pieces of one file's load, from the contract, the column mapping and the file. */
export function planFile(context: LoadContext): FilePlan {
  const { schoolId, spec, source, mapping } = context;
  const present = new Set([...mapping.sources.map((s) => s.column.name), ...(mapping.pupilByName ? ['student_id'] : [])]);
  const checks = checkList(spec, mapping, present);
  const columnTypes = source.headers.map((_, i) => `'${sourceColumn(i)}': 'VARCHAR'`).join(', ');
  return {
    table: `raw.${ident(spec.name)}`,
    folderSchool: literal(schoolId),
    present,
    checks,
    okExpr: `NOT (${checks.length > 0 ? checks.map((c) => `coalesce(${c.condition}, false)`).join(' OR ') : 'false'})`,
    keyExprs: spec.key.map((k) => keyExpr(spec, k, present)),
    allColumns: spec.columns.map((c) => ident(c.name)),
    selectList: spec.columns.map((c) => {
      if (present.has(c.name)) return `${spec.key.includes(c.name) ? keyExpr(spec, c.name, present) : ident(c.name)}::${SQL_TYPE[c.type]} AS ${ident(c.name)}`;
      return `${spec.key.includes(c.name) ? "''" : 'NULL'}::${SQL_TYPE[c.type]} AS ${ident(c.name)}`;
    }),
    reader: `read_csv(${literal(source.readablePath)}, header = true, auto_detect = false,
      columns = {${columnTypes}}, delim = ${literal(source.delimiter)}, quote = '"', escape = '"',
      store_rejects = true, rejects_table = 'src_csv_errors', rejects_scan = 'src_csv_scans')`,
    counter: `read_csv(${literal(source.readablePath)}, header = true, auto_detect = false,
      columns = {${columnTypes}}, delim = ${literal(source.delimiter)}, quote = '"', escape = '"', ignore_errors = true)`,
  };
}

/** A key column as stored: absent → '', optional and empty → '' (keys are never NULL). */
function keyExpr(spec: FileSpec, name: string, present: ReadonlySet<string>): string {
  if (!present.has(name)) return "''";
  const column = spec.columns.find((c) => c.name === name);
  return column?.required ? ident(name) : `coalesce(${ident(name)}, '')`;
}

/** The first row of a query's result (a one-row summary). */
export const queryOne = async <T>(connection: DuckDBConnection, sql: string) => (await queryRows<T>(connection, sql))[0];

const RETIRED_LIST = RETIRED_ATTENDANCE_CODES.map(literal).join(', ');

/**
 * SQL: how often each retired attendance code occurs in `from` (rows already filtered by
 * `where`), as a list of {code, n}, or NULL when the file has no attendance codes.
 */
export function retiredCodesSql(context: LoadContext, plan: FilePlan, from: string, where: string): string {
  if (context.spec.name !== 'attendance' || !plan.present.has('code')) return 'NULL';
  return `(SELECT list({'code': code, 'n': n} ORDER BY code) FROM (SELECT code, count(*)::INTEGER AS n FROM ${from} WHERE ${where} AND code IN (${RETIRED_LIST}) GROUP BY code))`;
}
