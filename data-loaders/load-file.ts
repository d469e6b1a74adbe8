import type { DuckDBConnection } from '@duckdb/node-api';
import { parseExpression, parseFailureReason, rangeChecks, SQL_TYPE } from './column-sql.ts';
import { sourceColumn, type ColumnMapping } from './column-mapping.ts';
import { RETIRED_ATTENDANCE_CODES, type FileSpec } from './contract.ts';
import { physicalLinesOfRecords, type SourceFile } from './source-file.ts';
import { ident, literal, queryRows } from '../src/warehouse/warehouse.ts';

export interface RejectRow {
  /** Physical line in the file (1 = header), as a text editor or spreadsheet shows it. */
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface FileReport {
  schoolId: string;
  recordType: string;
  fileName: string;
  filePath: string;
  encoding: string;
  delimiter: string;
  profile: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Of the loaded rows: keys not seen before, keys whose values changed (corrections), identical rows. */
  rowsNew: number;
  rowsChanged: number;
  rowsUnchanged: number;
  warnings: string[];
  rejects: RejectRow[];
}

export interface LoadContext {
  schoolId: string;
  spec: FileSpec;
  source: SourceFile;
  mapping: ColumnMapping;
  profile: string;
}

const RETIRED_MEANING: Record<string, string> = {
  H: 'authorised holiday (retired; now C)',
  J: 'interview (retired; now J1)',
  Y: 'not possible, exceptional circumstances (retired; now Y1–Y7)',
  F: 'extended family holiday (retired; authorised)',
};

/**
 * Loads one export file into `raw.<type>` for one school, inside the caller's transaction.
 * Bulk work stays in DuckDB (its CSV reader, set-based checks); only rejected rows come back
 * to JavaScript, to be mapped to physical lines.
 */
export async function loadFile(connection: DuckDBConnection, context: LoadContext): Promise<FileReport> {
  const { schoolId, spec, source, mapping } = context;
  const school = literal(schoolId);
  const run = (sql: string) => connection.run(sql);
  const columnTypes = source.headers.map((_, i) => `'${sourceColumn(i)}': 'VARCHAR'`).join(', ');

  await run('DROP TABLE IF EXISTS src_csv_errors; DROP TABLE IF EXISTS src_csv_scans');
  await run(`CREATE OR REPLACE TEMP TABLE src AS
    SELECT row_number() OVER () AS rn, *
    FROM read_csv(${literal(source.readablePath)}, header = true, auto_detect = false,
      columns = {${columnTypes}}, delim = ${literal(source.delimiter)}, quote = '"', escape = '"',
      store_rejects = true, rejects_table = 'src_csv_errors', rejects_scan = 'src_csv_scans')`);

  // Text stage: each contract column's trimmed text, empty → NULL; unknown columns as JSON.
  const extra =
    mapping.extraHeaders.length > 0
      ? `json_object(${mapping.extraHeaders.map((e) => `${literal(e.header)}, ${ident(sourceColumn(e.position))}`).join(', ')})`
      : 'NULL::JSON';
  const textColumns = mapping.sources.map((s) => `nullif(trim(${s.textExpr}), '') AS ${ident(s.column.name)}`);
  await run(`CREATE OR REPLACE TEMP TABLE rows_text AS SELECT rn, ${[...textColumns, `${extra} AS extra`].join(', ')} FROM src`);

  // Typed stage: parse each column by its contract type.
  const typedColumns = mapping.sources.map(
    (s) => `(${parseExpression(s.column, `t.${ident(s.column.name)}`)})::${SQL_TYPE[s.column.type]} AS ${ident(s.column.name)}`,
  );
  await run(`CREATE OR REPLACE TEMP TABLE rows_typed AS SELECT rn, ${[...typedColumns, 'extra'].join(', ')} FROM rows_text t`);

  // Checks, as queries returning failing rows (rn, column, value, reason).
  const checks: string[] = [];
  for (const s of mapping.sources) {
    const name = ident(s.column.name);
    const header = literal(s.header);
    if (s.column.required) {
      checks.push(`SELECT rn, ${header}, NULL, 'required value is empty', NULL FROM rows_text WHERE ${name} IS NULL`);
    }
    if (s.column.type !== 'text') {
      checks.push(`SELECT t.rn, ${header}, t.${name}, ${literal(parseFailureReason(s.column))}, NULL
        FROM rows_text t JOIN rows_typed y USING (rn) WHERE t.${name} IS NOT NULL AND y.${name} IS NULL`);
    }
    for (const [condition, reason] of rangeChecks(s.column, `y.${name}`)) {
      checks.push(`SELECT t.rn, ${header}, t.${name}, ${literal(reason)}, NULL
        FROM rows_text t JOIN rows_typed y USING (rn) WHERE ${condition}`);
    }
  }
  const present = new Set(mapping.sources.map((s) => s.column.name));
  if (spec.name === 'suspensions') {
    const either = ['sessions', 'days'].filter((c) => present.has(c));
    const cond = either.length > 0 ? either.map((c) => `t.${ident(c)} IS NULL`).join(' AND ') : 'true';
    checks.push(`SELECT rn, 'sessions', NULL, 'either sessions (half-days) or days is required', NULL FROM rows_text t WHERE ${cond}`);
  }
  await run(`CREATE OR REPLACE TEMP TABLE rejects_tmp AS
    SELECT * FROM (${checks.length > 0 ? checks.join('\nUNION ALL\n') : 'SELECT NULL::BIGINT, NULL, NULL, NULL, NULL WHERE false'})
      AS r(rn, "column", value, reason, duplicate_of)`);

  if (spec.refersToPupil) {
    const header = literal(mapping.sources.find((s) => s.column.name === 'student_id')?.header ?? 'student_id');
    await run(`INSERT INTO rejects_tmp
      SELECT y.rn, ${header}, y.student_id, 'unknown pupil: not in students.csv for school ' || ${school}, NULL
      FROM rows_typed y
      WHERE y.student_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM raw.students s WHERE s.school_id = ${school} AND s.student_id = y.student_id)`);
  }

  // Two rows with one key in one file: keep the first, reject the others (saying which).
  const keyExprs = spec.key.map((k) => (present.has(k) ? `y.${ident(k)}` : 'NULL'));
  await run(`INSERT INTO rejects_tmp
    SELECT rn, NULL, NULL, 'duplicate key (' || ${literal(spec.key.join(', '))} || ')', first_rn
    FROM (SELECT y.rn, min(y.rn) OVER (PARTITION BY ${keyExprs.join(', ')}) AS first_rn
          FROM rows_typed y WHERE y.rn NOT IN (SELECT rn FROM rejects_tmp))
    WHERE rn <> first_rn`);

  // The rows to load, with every contract column (absent optional ones as NULL).
  const selectList = spec.columns.map((c) => {
    if (present.has(c.name)) return `y.${ident(c.name)}`;
    const fallback = spec.key.includes(c.name) ? "''" : 'NULL';
    return `${fallback}::${SQL_TYPE[c.type]} AS ${ident(c.name)}`;
  });
  const table = `raw.${ident(spec.name)}`;
  const allColumns = spec.columns.map((c) => ident(c.name));
  const keyJoin = spec.key.map((k) => `r.${ident(k)} = l.${ident(k)}`).join(' AND ');
  await run(`CREATE OR REPLACE TEMP TABLE to_load AS
    SELECT ${selectList.join(', ')}, y.extra FROM rows_typed y WHERE y.rn NOT IN (SELECT rn FROM rejects_tmp)`);
  await run(`CREATE OR REPLACE TEMP TABLE to_load_status AS
    SELECT l.*, CASE
        WHEN r.school_id IS NULL THEN 'new'
        WHEN (${allColumns.map((c) => `l.${c}`).join(', ')}, l.extra::VARCHAR) IS NOT DISTINCT FROM (${allColumns.map((c) => `r.${c}`).join(', ')}, r.extra::VARCHAR) THEN 'unchanged'
        ELSE 'changed' END AS load_status
    FROM to_load l LEFT JOIN ${table} r ON r.school_id = ${school} AND ${keyJoin}`);
  await run(`INSERT OR REPLACE INTO ${table} (school_id, ${allColumns.join(', ')}, extra)
    SELECT ${school}, ${allColumns.join(', ')}, extra FROM to_load_status WHERE load_status <> 'unchanged'`);

  const [counts] = await queryRows<{ read: number; loaded: number; fresh: number; changed: number; unchanged: number }>(
    connection,
    `SELECT (SELECT count(*) FROM src)::INTEGER AS read,
            count(*)::INTEGER AS loaded,
            count(*) FILTER (WHERE load_status = 'new')::INTEGER AS fresh,
            count(*) FILTER (WHERE load_status = 'changed')::INTEGER AS changed,
            count(*) FILTER (WHERE load_status = 'unchanged')::INTEGER AS unchanged
     FROM to_load_status`,
  );

  const rejects = await collectRejects(connection, source, mapping);
  const malformedRecords = new Set(rejects.malformedRecords).size;
  const rejectedRows = (await queryRows<{ n: number }>(connection, 'SELECT count(DISTINCT rn)::INTEGER AS n FROM rejects_tmp'))[0].n;

  const warnings: string[] = [];
  if (source.encoding === 'windows-1252') warnings.push('file is Windows-1252, not UTF-8: decoded as Windows-1252');
  if (source.delimiter !== ',') warnings.push(`delimiter detected: ${source.delimiter === '\t' ? 'tab' : source.delimiter}`);
  if (mapping.extraHeaders.length > 0) {
    warnings.push(`columns not in the contract, kept in raw only: ${mapping.extraHeaders.map((e) => e.header).join(', ')}`);
  }
  if (spec.name === 'attendance' && present.has('code')) {
    const retired = await queryRows<{ code: string; n: number }>(
      connection,
      `SELECT code, count(*)::INTEGER AS n FROM to_load WHERE code IN (${RETIRED_ATTENDANCE_CODES.map(literal).join(', ')}) GROUP BY code ORDER BY code`,
    );
    for (const r of retired) warnings.push(`retired attendance code ${r.code} found ${r.n} times: read as ${RETIRED_MEANING[r.code]}`);
  }

  await run('DROP TABLE IF EXISTS src; DROP TABLE IF EXISTS rows_text; DROP TABLE IF EXISTS rows_typed; DROP TABLE IF EXISTS rejects_tmp; DROP TABLE IF EXISTS to_load; DROP TABLE IF EXISTS to_load_status; DROP TABLE IF EXISTS src_csv_errors; DROP TABLE IF EXISTS src_csv_scans');

  const rowsRead = counts.read + malformedRecords;
  return {
    schoolId,
    recordType: spec.name,
    fileName: spec.fileName,
    filePath: source.originalPath,
    encoding: source.encoding,
    delimiter: source.delimiter,
    profile: context.profile,
    rowsRead,
    rowsLoaded: counts.loaded,
    rowsRejected: rejectedRows + malformedRecords,
    rowsNew: counts.fresh,
    rowsChanged: counts.changed,
    rowsUnchanged: counts.unchanged,
    warnings,
    rejects: rejects.rows,
  };
}

/** Gathers check failures and rows DuckDB's reader could not split, with physical line numbers. */
async function collectRejects(
  connection: DuckDBConnection,
  source: SourceFile,
  mapping: ColumnMapping,
): Promise<{ rows: RejectRow[]; malformedRecords: number[] }> {
  const malformed = await queryRows<{ record: number; column_idx: number | null; csv_line: string; error_message: string }>(
    connection,
    // DuckDB may log several errors for one record; one reject per record is what the user needs.
    `SELECT (line - 1)::INTEGER AS record, NULL::INTEGER AS column_idx, first(csv_line ORDER BY column_idx) AS csv_line,
            first(error_message ORDER BY column_idx) AS error_message
     FROM src_csv_errors GROUP BY line ORDER BY line`,
  );
  const failed = await queryRows<{ rn: number; column: string | null; value: string | null; reason: string; duplicate_of: number | null }>(
    connection,
    'SELECT rn::INTEGER AS rn, "column", value, reason, duplicate_of::INTEGER AS duplicate_of FROM rejects_tmp ORDER BY rn, "column"',
  );
  // DuckDB numbers good rows densely (rn) and skips malformed records: put the gaps back.
  const skipped = [...new Set(malformed.map((m) => m.record))].sort((a, b) => a - b);
  const recordOf = (rn: number) => {
    let record = rn;
    for (const s of skipped) if (s <= record) record += 1;
    return record;
  };
  const records = [...failed.flatMap((f) => [recordOf(f.rn), ...(f.duplicate_of ? [recordOf(f.duplicate_of)] : [])]), ...skipped];
  const lines = physicalLinesOfRecords(source.text, records);
  const lineOf = (record: number) => lines.get(record) ?? record + 1;
  const rows: RejectRow[] = [
    ...failed.map((f) => ({
      line: lineOf(recordOf(f.rn)),
      column: f.column,
      value: f.value,
      reason: f.duplicate_of ? `${f.reason}: same key as line ${lineOf(recordOf(f.duplicate_of))}` : f.reason,
    })),
    ...malformed.map((m) => ({
      line: lineOf(m.record),
      column: m.column_idx ? (source.headers[m.column_idx - 1] ?? null) : null,
      value: m.csv_line.replace(/^\r?\n/, ''),
      reason: `row cannot be split into ${mapping.sources.length + mapping.extraHeaders.length} columns: ${m.error_message}`,
    })),
  ];
  rows.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { rows, malformedRecords: skipped };
}
