import type { DuckDBConnection } from '@duckdb/node-api';
import { cleanText, parseExpression, parseFailureReason, rangeChecks, SQL_TYPE } from './column-sql.ts';
import { sourceColumn, type ColumnMapping, type ColumnSource } from './column-mapping.ts';
import { RETIRED_ATTENDANCE, RETIRED_ATTENDANCE_CODES, type FileSpec } from './contract.ts';
import { formInName, formKey, nameKey, nameWithoutForm } from './pupil-names.ts';
import { overlongRecords, physicalLinesOfRecords, type SourceFile } from './source-file.ts';
import { DEFAULT_REMOVAL_LIMIT, WINDOW_DATE, windowText, type WindowRule } from './windows.ts';
import { ident, literal, queryRows } from '../src/warehouse/warehouse.ts';

export interface RejectRow {
  /** Physical line in the file (1 = header), as a text editor or spreadsheet shows it. */
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface FileReport {
  /** The school folder the file came from (rows may name their own school: see `schools`). */
  schoolId: string;
  recordType: string;
  /** The file's own name (vendor exports keep theirs). */
  fileName: string;
  filePath: string;
  encoding: string;
  delimiter: string;
  /** `canonical`, or the vendor profile that read the file. */
  profile: string;
  /** Records (rows) in the file. Equal to rowsRead unless records naming several pupils were split. */
  recordsInFile: number;
  /** Rows to load: one per record, or one per pupil where a record names several. read = loaded + rejected. */
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Of the loaded rows: keys not seen before, keys whose values changed (corrections), identical rows. */
  rowsNew: number;
  rowsChanged: number;
  rowsUnchanged: number;
  /**
   * Rows the warehouse held inside the file's window (per school) whose key the file lacks:
   * deleted in the MIS, so removed (kept in raw.removed_rows). Not part of read = loaded + rejected.
   */
  rowsRemoved: number;
  /** The window the file covered, per school it loaded (none for students, or an empty file). */
  windows: FileWindow[];
  /** Schools the loaded rows belong to (the folder's, or those a school_id column names). */
  schools: string[];
  warnings: string[];
  rejects: RejectRow[];
}

export interface FileWindow {
  schoolId: string;
  /** First and last date covered (inclusive), or null for a full snapshot. */
  from: string | null;
  to: string | null;
  full: boolean;
  /** Rows the warehouse held in the window before this file, and how many the file removed. */
  held: number;
  removed: number;
}

/** An import stopped because a file would remove too much of what its window held. */
export class RemovalGuardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemovalGuardError';
  }
}

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

const RETIRED_MEANING: Record<string, string> = Object.fromEntries(Object.entries(RETIRED_ATTENDANCE).map(([code, r]) => [code, r.meaning]));

const TEMP_TABLES = ['src_read', 'src', 'rows', 'bad', 'rejects_tmp', 'dups', 'staged', 'src_csv_errors', 'src_csv_scans', 'file_keys', 'file_windows', 'removed_tmp'];

/** Name of the text column kept beside a typed one, so a reject can show the value as written. */
const textCol = (name: string) => ident(`t_${name}`);

/** One check: rows where `condition` holds are rejected for `reason` (SQL), naming the column and value. */
interface Check {
  header: string;
  value: string;
  reason: string;
  condition: string;
}

/** The SQL pieces of one file's load, shared by the direct and the checked path. */
interface FilePlan {
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

interface Outcome {
  read: number;
  records: number;
  loaded: number;
  bad: number;
  duplicates: number;
  counts: { fresh: number; changed: number; unchanged: number };
  removed: number;
  windows: FileWindow[];
  schools: string[];
  retired: Array<{ code: string; n: number }>;
}

const RETIRED_LIST = RETIRED_ATTENDANCE_CODES.map(literal).join(', ');

/**
 * Loads one export file into `raw.<type>` inside the caller's transaction, set-based in DuckDB.
 * Only rejected rows come back to JavaScript, to be mapped to the physical lines a user sees.
 *
 * A large clean export of a school the warehouse holds nothing of yet (the usual first import)
 * goes straight from DuckDB's CSV reader into the warehouse in one pass, its checks evaluated on
 * the way; a count and a duplicate-key probe then confirm every row passed. Anything else (a
 * row failed, a key repeats, the school already has rows, pupils named several to a cell, rows
 * naming their own school) takes the checked path, which reports every reject in detail.
 */
export async function loadFile(connection: DuckDBConnection, context: LoadContext): Promise<FileReport> {
  const plan = planFile(context);
  try {
    const { split, school, pupilByName } = context.mapping;
    const direct = !split && !school && !pupilByName ? await loadDirectly(connection, context, plan) : null;
    const outcome = direct ?? (await loadChecked(connection, context, plan));
    return await fileReport(connection, context, outcome);
  } finally {
    await connection.run(TEMP_TABLES.map((t) => `DROP TABLE IF EXISTS ${t}`).join('; '));
  }
}

function planFile(context: LoadContext): FilePlan {
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

const one = async <T>(connection: DuckDBConnection, sql: string) => (await queryRows<T>(connection, sql))[0];

/**
 * The direct path: insert the rows that pass straight from the CSV reader, then check that every
 * record of the file was loaded (or logged by the reader as malformed) and probe the inserted
 * keys for repeats. If so, that was the whole load. Otherwise the insert is undone (the school
 * had no rows before) and null tells the caller to take the checked path.
 */
async function loadDirectly(connection: DuckDBConnection, context: LoadContext, plan: FilePlan): Promise<Outcome | null> {
  const { spec, mapping } = context;
  const held = await one<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM ${plan.table} WHERE school_id = ${plan.folderSchool}`);
  if (held.n > 0) return null;
  const detail = detailQuery(spec, mapping, plan.folderSchool, plan.reader, 'NULL::BIGINT', 'NULL::BIGINT');
  const inserted = await connection.run(`INSERT INTO ${plan.table} (school_id, ${plan.allColumns.join(', ')}, extra)
    SELECT ${plan.folderSchool}, ${plan.selectList.join(', ')}, extra FROM (SELECT *, ${plan.okExpr} AS ok FROM (${detail})) WHERE ok`);
  const loaded = inserted.rowsChanged;
  const probe = await one<{ malformed: number; repeats: number; retired: Array<{ code: string; n: number }> | null }>(
    connection,
    `SELECT (SELECT count(DISTINCT line) FROM src_csv_errors)::INTEGER AS malformed,
       (SELECT count(*) FROM (SELECT h, lag(h) OVER (ORDER BY h) AS previous
                              FROM (SELECT hash(${plan.keyExprs.join(', ')}) AS h FROM ${plan.table} WHERE school_id = ${plan.folderSchool}))
        WHERE h = previous)::INTEGER AS repeats,
       ${spec.name === 'attendance' && plan.present.has('code') ? `(SELECT list({'code': code, 'n': n} ORDER BY code) FROM (SELECT code, count(*)::INTEGER AS n FROM ${plan.table} WHERE school_id = ${plan.folderSchool} AND code IN (${RETIRED_LIST}) GROUP BY code))` : 'NULL'} AS retired`,
  );
  // Every record was either loaded or logged by the reader as malformed, if: the file's line
  // breaks allow no more records than that (no count needed), or else DuckDB's own count of the
  // records it can read equals what was loaded (quoted line breaks, blank lines).
  let everyRecord = loaded + probe.malformed === context.source.recordsAtMost;
  if (!everyRecord && probe.repeats === 0) {
    everyRecord = (await one<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM ${plan.counter}`)).n === loaded;
  }
  if (!everyRecord || probe.repeats > 0) {
    // Some row failed or a key repeats (or a hash collided): undo, and load with every check reported.
    if (loaded > 0) await connection.run(`DELETE FROM ${plan.table} WHERE school_id = ${plan.folderSchool}`);
    await connection.run('DROP TABLE IF EXISTS src_csv_errors; DROP TABLE IF EXISTS src_csv_scans');
    return null;
  }
  return {
    read: loaded,
    records: loaded,
    loaded,
    bad: 0,
    duplicates: 0,
    counts: { fresh: loaded, changed: 0, unchanged: 0 },
    // The school had no rows of this type: the window held nothing, so nothing is removed.
    removed: 0,
    windows: [],
    schools: [context.schoolId],
    retired: probe.retired ?? [],
  };
}

/**
 * The checked path:
 * 1. DuckDB's CSV reader reads the file into a temporary table (in parallel, in file order);
 * 2. records naming several pupils are split into one row per pupil (vendor files);
 * 3. one pass turns text into typed values, finds the pupil and evaluates every check into an
 *    `ok` flag, keeping only what the load needs (narrow rows are much cheaper to keep);
 * 4. one query counts rows, failures and (by hash) possible duplicate keys;
 * 5. only when something failed: the failing rows are worked through again for the detail of
 *    each reject (column, value, reason), and duplicate keys are confirmed exactly;
 * 6. the good rows are inserted; when the warehouse already holds rows of the school, each is
 *    first marked new / changed / unchanged, and a changed one replaces the old version.
 */
async function loadChecked(connection: DuckDBConnection, context: LoadContext, plan: FilePlan): Promise<Outcome> {
  const { schoolId, spec, mapping } = context;
  const run = (sql: string) => connection.run(sql);
  const { table, folderSchool, present, checks, keyExprs, allColumns, selectList } = plan;

  await run(`CREATE TEMP TABLE src_read AS SELECT * FROM ${plan.reader}`);
  const numbering = await recordNumbering(connection);
  let from = 'src_read';
  let rn = numbering.expr;
  let srcRn = numbering.expr;
  if (mapping.split) {
    // One incident naming several pupils becomes one row per pupil; src_rn keeps the record for reject lines.
    const cell = ident(sourceColumn(mapping.split.position));
    await run(`CREATE TEMP TABLE src AS
      SELECT row_number() OVER (ORDER BY src_rn, part_no) AS rn, * EXCLUDE (l, parts, part, part_no) REPLACE (part AS ${cell})
      FROM (SELECT *, unnest(parts) AS part, generate_subscripts(parts, 1) AS part_no
            FROM (SELECT *, CASE WHEN len(l) = 0 THEN [NULL::VARCHAR] ELSE l END AS parts
                  FROM (SELECT ${numbering.expr} AS src_rn, *, list_filter(string_split_regex(coalesce(${cell}, ''), ${literal(mapping.split.separator)}), x -> trim(x) <> '') AS l
                        FROM src_read)))`);
    from = 'src';
    rn = 'rn';
    srcRn = 'src_rn';
  }

  const detail = detailQuery(spec, mapping, folderSchool, from, rn, srcRn);
  const school = mapping.school ? 'school_id' : folderSchool;
  const keep = [
    'rn',
    ...(mapping.split ? ['src_rn'] : []),
    ...(mapping.school ? ['school_id'] : []),
    ...[...present].map((c) => ident(c)),
    ...(mapping.extraHeaders.length > 0 ? ['extra'] : []),
  ];
  await run(`CREATE TEMP TABLE rows AS SELECT ${keep.join(', ')}, ${plan.okExpr} AS ok FROM (${detail})`);

  const stats = await one<{ read: number; records: number; bad: number; dup_candidates: number; held: number; schools: string[] | null; retired: Outcome['retired'] | null }>(
    connection,
    `SELECT
      count(*)::INTEGER AS read,
      (SELECT count(*) FROM src_read)::INTEGER AS records,
      count(*) FILTER (WHERE NOT ok)::INTEGER AS bad,
      -- Good rows whose key hash equals another's: candidates, confirmed on the keys themselves
      -- only when there are any (sorting 64-bit hashes is cheaper than grouping by the keys).
      (SELECT count(*) FROM (SELECT h, lag(h) OVER (ORDER BY h) AS previous FROM (SELECT hash(${[school, ...keyExprs].join(', ')}) AS h FROM rows WHERE ok)) WHERE h = previous)::INTEGER AS dup_candidates,
      (SELECT count(*) FROM ${table} WHERE school_id ${mapping.school ? 'IN (SELECT DISTINCT school_id FROM rows)' : `= ${folderSchool}`})::INTEGER AS held,
      ${mapping.school ? '(SELECT list_sort(list(DISTINCT school_id)) FROM rows WHERE ok)' : 'NULL::VARCHAR[]'} AS schools,
      ${spec.name === 'attendance' && present.has('code') ? `(SELECT list({'code': code, 'n': n} ORDER BY code) FROM (SELECT code, count(*)::INTEGER AS n FROM rows WHERE ok AND code IN (${RETIRED_LIST}) GROUP BY code))` : 'NULL'} AS retired
    FROM rows`,
  );

  if (stats.bad > 0) {
    // The failing rows again, with their text as written, for the detail of every failing check.
    await run(`CREATE TEMP TABLE bad AS SELECT * FROM (${detail}) WHERE rn IN (SELECT rn FROM rows WHERE NOT ok)`);
    await run(`CREATE TEMP TABLE rejects_tmp AS
      ${checks.map((c) => `SELECT rn, ${c.header}::VARCHAR AS "column", (${c.value})::VARCHAR AS value, (${c.reason})::VARCHAR AS reason, NULL::BIGINT AS duplicate_of FROM bad WHERE ${c.condition}`).join('\nUNION ALL\n')}`);
  }

  // Two rows with one key in one file: keep the first, reject the others (saying which).
  let duplicates = 0;
  if (stats.dup_candidates > 0) {
    const keyNames = spec.key.map((k) => ident(`k_${k}`));
    await run(`CREATE TEMP TABLE dups AS
      WITH k AS (SELECT rn, ${school} AS school_id, ${keyExprs.map((e, i) => `${e} AS ${keyNames[i]}`).join(', ')} FROM rows WHERE ok),
           d AS (SELECT school_id, ${keyNames.join(', ')}, min(rn) AS first_rn FROM k GROUP BY ALL HAVING count(*) > 1)
      SELECT k.rn, d.first_rn FROM k JOIN d ON k.school_id = d.school_id AND ${keyNames.map((n) => `k.${n} = d.${n}`).join(' AND ')}
      WHERE k.rn <> d.first_rn`);
    duplicates = (await one<{ n: number }>(connection, 'SELECT count(*)::INTEGER AS n FROM dups')).n;
    if (duplicates > 0) {
      if (stats.bad === 0) await run('CREATE TEMP TABLE rejects_tmp (rn BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR, duplicate_of BIGINT)');
      await run(`INSERT INTO rejects_tmp SELECT rn, NULL, NULL, 'duplicate key (' || ${literal(spec.key.join(', '))} || ')', first_rn FROM dups`);
    }
  }

  // Rows the warehouse holds inside the file's window that the file lacks: found before
  // anything changes (the guard may stop the import), removed after the load.
  const removal = stats.held > 0 ? await findRemovals(connection, context, plan, school) : { removed: 0, windows: [] };

  // The rows to load, with every contract column (absent ones empty; key columns never NULL).
  const loadable = `rows WHERE ok${duplicates > 0 ? ' AND rn NOT IN (SELECT rn FROM dups)' : ''}`;
  const loadRows = `SELECT ${school} AS school_id, ${selectList.join(', ')}, ${mapping.extraHeaders.length > 0 ? 'extra' : 'NULL::JSON AS extra'} FROM ${loadable}`;
  const loaded = stats.read - stats.bad - duplicates;
  let counts = { fresh: loaded, changed: 0, unchanged: 0 };
  if (stats.held === 0) {
    // Nothing of these schools in the warehouse yet: every good row is new.
    if (loaded > 0) await run(`INSERT INTO ${table} (school_id, ${allColumns.join(', ')}, extra) ${loadRows}`);
  } else {
    // Each row marked new / unchanged / changed against what the warehouse holds for its key.
    const keyJoin = spec.key.map((k) => `e.${ident(k)} = l.${ident(k)}`).join(' AND ');
    await run(`CREATE TEMP TABLE staged AS
      SELECT l.*, CASE
          WHEN e.school_id IS NULL THEN 'new'
          WHEN (${allColumns.map((c) => `l.${c}`).join(', ')}, l.extra::VARCHAR) IS NOT DISTINCT FROM (${allColumns.map((c) => `e.${c}`).join(', ')}, e.extra::VARCHAR) THEN 'unchanged'
          ELSE 'changed' END AS load_status
      FROM (${loadRows}) l
      LEFT JOIN ${table} e ON e.school_id = l.school_id AND ${keyJoin}`);
    counts = await one(
      connection,
      `SELECT count(*) FILTER (WHERE load_status = 'new')::INTEGER AS fresh,
         count(*) FILTER (WHERE load_status = 'changed')::INTEGER AS changed,
         count(*) FILTER (WHERE load_status = 'unchanged')::INTEGER AS unchanged
       FROM staged`,
    );
    // A correction replaces the earlier row: delete the old version (kept in raw.removed_rows), insert the new one.
    if (counts.changed > 0) {
      await run(`INSERT INTO raw.removed_rows
        SELECT ${literal(context.importId ?? '')}, ${literal(spec.name)}, held_row.school_id, ${keyJson(spec, 'held_row')}, to_json(held_row), 'corrected'
        FROM ${table} AS held_row JOIN staged l ON l.load_status = 'changed' AND held_row.school_id = l.school_id AND ${spec.key.map((k) => `held_row.${ident(k)} = l.${ident(k)}`).join(' AND ')}`);
      await run(`DELETE FROM ${table} AS e USING staged l WHERE l.load_status = 'changed' AND e.school_id = l.school_id AND ${keyJoin}`);
    }
    if (counts.fresh + counts.changed > 0) {
      await run(`INSERT INTO ${table} (school_id, ${allColumns.join(', ')}, extra)
        SELECT school_id, ${allColumns.join(', ')}, extra FROM staged WHERE load_status <> 'unchanged'`);
    }
  }
  if (removal.removed > 0) {
    const heldKeys = spec.key.map((k) => `held_row.${ident(k)} = r.${ident(`k_${k}`)}`).join(' AND ');
    await run(`INSERT INTO raw.removed_rows
      SELECT ${literal(context.importId ?? '')}, ${literal(spec.name)}, held_row.school_id, ${keyJson(spec, 'held_row')}, to_json(held_row), 'removed'
      FROM ${table} AS held_row JOIN removed_tmp r ON held_row.school_id = r.school_id AND ${heldKeys}`);
    await run(`DELETE FROM ${table} AS held_row USING removed_tmp r WHERE held_row.school_id = r.school_id AND ${heldKeys}`);
  }
  return {
    read: stats.read,
    records: stats.records,
    loaded,
    bad: stats.bad,
    duplicates,
    counts,
    removed: removal.removed,
    windows: removal.windows,
    schools: mapping.school ? (stats.schools ?? []) : [schoolId],
    retired: stats.retired ?? [],
  };
}

/** A row's key as a JSON object, for the audit table: {"event_id": "E1", "student_id": "A"}. */
function keyJson(spec: FileSpec, alias: string): string {
  return `json_object(${spec.key.map((k) => `${literal(k)}, ${alias}.${ident(k)}`).join(', ')})`;
}

/**
 * Finds what a file removes: per school, its window (its rows' first to last date, or the one
 * declared, or everything for a full snapshot), the rows the warehouse holds in that window, and
 * those whose key the file lacks (into `removed_tmp`). A key counts as present when any row of
 * the file carries it, rejected or not: a row the MIS still has is never removed because this
 * export's copy failed a check. Stops the import (nothing changed) when a school's window would
 * lose more than the allowed share of its rows.
 */
async function findRemovals(connection: DuckDBConnection, context: LoadContext, plan: FilePlan, school: string): Promise<{ removed: number; windows: FileWindow[] }> {
  const { spec } = context;
  const placing = WINDOW_DATE[spec.name];
  if (placing === null) return { removed: 0, windows: [] };
  // A snapshot type (the school day) has no dates: every file is a full snapshot of it, and its
  // rows are a definition, not records, so a new day with fewer periods is not held by the guard.
  const dated = placing === 'snapshot' ? null : placing;
  const rule: WindowRule = dated ? (context.window ?? { kind: 'rows' }) : { kind: 'full' };
  const run = (sql: string) => connection.run(sql);
  const dateOf = (alias: string, column: string) => `${alias}.${ident(column)}${dated?.cast ? `::${dated.cast}` : ''}`;

  const schools = `SELECT DISTINCT ${school} AS school_id FROM rows${context.mapping.school ? '' : ` UNION SELECT ${plan.folderSchool}`}`;
  if (rule.kind === 'rows' && dated) {
    await run(`CREATE TEMP TABLE file_windows AS
      SELECT ${school} AS school_id, min(${dateOf('rows', dated.column)}) AS first_day, max(${dateOf('rows', dated.end ?? dated.column)}) AS last_day, false AS full_snapshot
      FROM rows WHERE ok GROUP BY ALL`);
  } else if (rule.kind === 'declared') {
    await run(`CREATE TEMP TABLE file_windows AS
      SELECT school_id, DATE ${literal(rule.from)} AS first_day, DATE ${literal(rule.to)} AS last_day, false AS full_snapshot FROM (${schools})`);
  } else {
    await run(`CREATE TEMP TABLE file_windows AS SELECT school_id, NULL::DATE AS first_day, NULL::DATE AS last_day, true AS full_snapshot FROM (${schools})`);
  }

  const keyNames = spec.key.map((k) => ident(`k_${k}`));
  // Keys as the warehouse stores them (a key may repeat here: the anti-join below does not mind).
  await run(`CREATE TEMP TABLE file_keys AS
    SELECT ${school} AS school_id, ${plan.keyExprs.map((e, i) => `${e} AS ${keyNames[i]}`).join(', ')} FROM rows`);
  const inWindow = dated
    ? `held_row.school_id = w.school_id AND (w.full_snapshot OR ${dateOf('held_row', dated.column)} BETWEEN w.first_day AND w.last_day)`
    : 'held_row.school_id = w.school_id';
  await run(`CREATE TEMP TABLE removed_tmp AS
    SELECT h.* FROM (
      SELECT held_row.school_id, ${spec.key.map((k, i) => `held_row.${ident(k)} AS ${keyNames[i]}`).join(', ')}
      FROM ${plan.table} AS held_row JOIN file_windows w ON ${inWindow}) h
    ANTI JOIN file_keys f ON f.school_id = h.school_id AND ${keyNames.map((n) => `f.${n} = h.${n}`).join(' AND ')}`);

  const perSchool = await queryRows<{ school_id: string; first_day: string | null; last_day: string | null; full_snapshot: boolean; held: number; removed: number }>(
    connection,
    `SELECT w.school_id, strftime(w.first_day, '%Y-%m-%d') AS first_day, strftime(w.last_day, '%Y-%m-%d') AS last_day, w.full_snapshot,
       (SELECT count(*) FROM ${plan.table} AS held_row WHERE ${inWindow})::INTEGER AS held,
       (SELECT count(*) FROM removed_tmp r WHERE r.school_id = w.school_id)::INTEGER AS removed
     FROM file_windows w ORDER BY w.school_id`,
  );
  const windows: FileWindow[] = perSchool.map((w) => ({
    schoolId: w.school_id,
    from: w.first_day,
    to: w.last_day,
    full: w.full_snapshot,
    held: w.held,
    removed: w.removed,
  }));
  const limit = context.removalLimit ?? DEFAULT_REMOVAL_LIMIT;
  const tooMany = context.allowRemovals || !dated ? undefined : windows.find((w) => w.removed > 0 && w.removed > limit * w.held);
  if (tooMany) {
    const share = Math.round((100 * tooMany.removed) / tooMany.held);
    const span = tooMany.full ? 'of any date' : `dated ${windowText(tooMany.from, tooMany.to, false)}`;
    throw new RemovalGuardError(
      `${tooMany.schoolId}/${context.fileName ?? spec.fileName} would remove ${tooMany.removed} of the ${tooMany.held} ${spec.name} rows ${span} ` +
        `(${share}%, more than ${Math.round(limit * 100)}%): is the export cut short or filtered? Nothing was imported; if the export is right, import it with --allow-removals`,
    );
  }
  return { removed: windows.reduce((n, w) => n + w.removed, 0), windows };
}

/** The file's report: counts that reconcile, the rejects with their lines, and what to know. */
async function fileReport(connection: DuckDBConnection, context: LoadContext, outcome: Outcome): Promise<FileReport> {
  const { schoolId, spec, source, mapping } = context;
  const rejected = outcome.bad + outcome.duplicates;
  const rejects = await collectRejects(connection, source, rejected > 0, mapping.split !== null);
  const malformedRecords = rejects.malformedRecords.length;

  const warnings: string[] = [];
  warnings.push(...source.warnings);
  if (source.delimiter !== ',') warnings.push(`delimiter detected: ${source.delimiter === '\t' ? 'tab' : source.delimiter}`);
  if (mapping.extraHeaders.length > 0) {
    warnings.push(`columns not in the contract, kept in raw only: ${mapping.extraHeaders.map((e) => e.header).join(', ')}`);
  }
  if (mapping.school) warnings.push(`rows name their own school (column ${mapping.school.header}): ${outcome.schools.join(', ') || 'none loaded'}`);
  if (mapping.split && outcome.read > outcome.records) {
    warnings.push(`${outcome.records} records name ${outcome.read} pupils (column ${mapping.split.header}): one row per pupil, keyed by ${spec.key.join(' + ')}`);
  }
  if (mapping.pupilByName) warnings.push(`pupils identified by name${mapping.pupilByName.formExpr ? ' and form' : ''} (column ${mapping.pupilByName.header}), matched against students.csv`);
  for (const r of outcome.retired) warnings.push(`retired attendance code ${r.code} found ${r.n} times: read as ${RETIRED_MEANING[r.code]}`);

  return {
    schoolId,
    recordType: spec.name,
    fileName: context.fileName ?? spec.fileName,
    filePath: source.originalPath,
    encoding: source.encoding,
    delimiter: source.delimiter,
    profile: context.profile,
    recordsInFile: outcome.records + malformedRecords,
    rowsRead: outcome.read + malformedRecords,
    rowsLoaded: outcome.loaded,
    rowsRejected: rejected + malformedRecords,
    rowsNew: outcome.counts.fresh,
    rowsChanged: outcome.counts.changed,
    rowsUnchanged: outcome.counts.unchanged,
    rowsRemoved: outcome.removed,
    windows: outcome.windows,
    schools: outcome.loaded > 0 || !mapping.school ? outcome.schools : [],
    warnings,
    rejects: rejects.rows,
  };
}

/**
 * SQL numbering the records of `src_read` 1…n in file order. DuckDB keeps a file's order when it
 * reads it into a table (insertion order is preserved), so the row ids are the records in order:
 * numbering them costs nothing, where a row_number() pass would read the whole table again on
 * one thread. Should the row ids ever not be dense (or insertion order not be kept), row_number()
 * is used instead.
 */
async function recordNumbering(connection: DuckDBConnection): Promise<{ expr: string }> {
  const [ids] = await queryRows<{ first: bigint | null; last: bigint | null; n: bigint; ordered: string }>(
    connection,
    "SELECT min(rowid) AS first, max(rowid) AS last, count(*) AS n, current_setting('preserve_insertion_order')::VARCHAR AS ordered FROM src_read",
  );
  const n = BigInt(ids.n);
  if (n === 0n || ids.first === null || ids.last === null) return { expr: 'rowid + 1' };
  const dense = BigInt(ids.last) - BigInt(ids.first) + 1n === n;
  if (dense && ids.ordered === 'true') return { expr: `(rowid - ${BigInt(ids.first).toString()} + 1)` };
  return { expr: 'row_number() OVER ()' };
}

/** A key column as stored: absent → '', optional and empty → '' (keys are never NULL). */
function keyExpr(spec: FileSpec, name: string, present: ReadonlySet<string>): string {
  if (!present.has(name)) return "''";
  const column = spec.columns.find((c) => c.name === name);
  return column?.required ? ident(name) : `coalesce(${ident(name)}, '')`;
}

/**
 * Everything the checks and the load need, from the file's columns: each contract column's
 * text (trimmed, empty → NULL) and typed value, the row's school, the pupil (by id, or matched
 * by name), whether the pupil is known, and the profile's own row rejects.
 */
function detailQuery(spec: FileSpec, mapping: ColumnMapping, folderSchool: string, from: string, rn: string, srcRn: string): string {
  const school = mapping.school ? `coalesce(nullif(trim(${mapping.school.textExpr}), ''), ${folderSchool})` : folderSchool;
  const extra =
    mapping.extraHeaders.length > 0
      ? `json_object(${mapping.extraHeaders.map((e) => `${literal(e.header)}, ${ident(sourceColumn(e.position))}`).join(', ')})`
      : 'NULL::JSON';
  const textList = [
    `${rn} AS rn`,
    `${srcRn} AS src_rn`,
    `${school} AS school_id`,
    ...mapping.sources.map((s) => `${cleanText(s.textExpr)} AS ${textCol(s.column.name)}`),
    `${extra} AS extra`,
  ];
  const byName = mapping.pupilByName;
  if (byName) {
    textList.push(`nullif(trim(${byName.nameExpr}), '') AS __pupil_name`);
    textList.push(`${byName.formExpr ? `nullif(trim(${byName.formExpr}), '')` : 'NULL::VARCHAR'} AS __pupil_form`);
  }
  mapping.rowRejects.forEach((r, i) => {
    textList.push(`coalesce((${r.condition}), false) AS __rr${i}`);
    textList.push(`nullif(trim(${r.valueExpr}), '') AS __rrv${i}`);
  });

  const ctes = [`t AS (SELECT ${textList.join(', ')} FROM ${from})`];
  const joins: string[] = [];
  const out = ['t.rn', 't.src_rn', 't.school_id'];
  for (const s of mapping.sources) out.push(...typedColumns(s));
  out.push('t.extra');
  if (byName) {
    ctes.push(`named AS (
      SELECT school_id, student_id, ${nameKey(`concat_ws(' ', first_name, last_name)`)} AS name_key, ${formKey('form')} AS form_key
      FROM raw.students WHERE school_id IN (SELECT DISTINCT school_id FROM t) GROUP BY ALL)`);
    ctes.push(`wanted AS (
      SELECT rn, school_id, ${nameKey(nameWithoutForm('__pupil_name'))} AS name_key,
             coalesce(${formKey('__pupil_form')}, ${formKey(formInName('__pupil_name'))}) AS form_key
      FROM t WHERE __pupil_name IS NOT NULL)`);
    ctes.push(`matched AS (
      SELECT w.rn, count(DISTINCT n.student_id) AS n, min(n.student_id) AS student_id, array_to_string(list_sort(list(DISTINCT n.student_id)), ', ') AS ids
      FROM wanted w JOIN named n ON n.school_id = w.school_id AND n.name_key = w.name_key AND w.name_key <> '' AND (w.form_key IS NULL OR n.form_key = w.form_key)
      GROUP BY w.rn)`);
    joins.push('LEFT JOIN matched m ON m.rn = t.rn');
    out.push('CASE WHEN m.n = 1 THEN m.student_id END AS student_id', 't.__pupil_name', 't.__pupil_form', 'coalesce(m.n, 0) AS __match_n', 'm.ids AS __match_ids');
  } else if (spec.refersToPupil && mapping.sources.some((s) => s.column.name === 'student_id')) {
    // A semi-join (not a LEFT JOIN): the optimizer then always builds on the small pupils side.
    out.push(`EXISTS (SELECT 1 FROM raw.students p WHERE p.school_id = t.school_id AND p.student_id = t.${textCol('student_id')}) AS pupil_known`);
  }
  mapping.rowRejects.forEach((_, i) => out.push(`t.__rr${i}`, `t.__rrv${i}`));
  return `WITH ${ctes.join(',\n')}\nSELECT ${out.join(', ')} FROM t ${joins.join(' ')}`;
}

/** The typed value of a column, and (for non-text columns) the text it came from. */
function typedColumns(s: ColumnSource): string[] {
  const name = s.column.name;
  if (s.column.type === 'text') return [`t.${textCol(name)} AS ${ident(name)}`];
  return [`t.${textCol(name)}`, `(${parseExpression(s.column, `t.${textCol(name)}`)})::${SQL_TYPE[s.column.type]} AS ${ident(name)}`];
}

/**
 * Every check of a file, as conditions over the columns of `rows`. The same conditions make
 * the `ok` flag (one pass over all rows) and, for the rows that fail, the reject detail.
 */
function checkList(spec: FileSpec, mapping: ColumnMapping, present: ReadonlySet<string>): Check[] {
  const checks: Check[] = [];
  const textOf = (s: ColumnSource) => (s.column.type === 'text' ? ident(s.column.name) : textCol(s.column.name));
  const byName = mapping.pupilByName;
  if (byName) {
    const header = literal(byName.header);
    const asWritten = `__pupil_name || coalesce(' (form ' || __pupil_form || ')', '')`;
    checks.push({ header, value: 'NULL', reason: "'required value is empty'", condition: '__pupil_name IS NULL' });
    checks.push({
      header,
      value: asWritten,
      reason: `'no pupil of this name' || CASE WHEN __pupil_form IS NOT NULL THEN ' in this form' ELSE '' END || ' in students.csv for school ' || school_id`,
      condition: '__pupil_name IS NOT NULL AND __match_n = 0',
    });
    checks.push({
      header,
      value: asWritten,
      reason: `'name matches ' || __match_n || ' pupils in students.csv (' || __match_ids || '): add the form or a pupil id to tell them apart'`,
      condition: '__match_n > 1',
    });
  }
  for (const s of mapping.sources) {
    const name = ident(s.column.name);
    const header = literal(s.header);
    if (s.column.required) checks.push({ header, value: 'NULL', reason: "'required value is empty'", condition: `${textOf(s)} IS NULL` });
    if (s.column.type !== 'text') {
      checks.push({ header, value: textOf(s), reason: literal(parseFailureReason(s.column)), condition: `${textOf(s)} IS NOT NULL AND ${name} IS NULL` });
    }
    for (const [condition, reason] of rangeChecks(s.column, name)) checks.push({ header, value: textOf(s), reason: literal(reason), condition });
  }
  if (spec.name === 'suspensions') {
    const either = mapping.sources.filter((s) => s.column.name === 'sessions' || s.column.name === 'days');
    const condition = either.length > 0 ? either.map((s) => `${textOf(s)} IS NULL`).join(' AND ') : 'true';
    checks.push({ header: "'sessions'", value: 'NULL', reason: "'either sessions (half-days) or days is required'", condition });
  }
  for (const r of spec.rowChecks ?? []) {
    const s = mapping.sources.find((x) => x.column.name === r.column);
    if (s && r.reads.every((c) => present.has(c))) checks.push({ header: literal(s.header), value: textOf(s), reason: literal(r.reason), condition: r.when });
  }
  mapping.rowRejects.forEach((r, i) => checks.push({ header: literal(r.header), value: `__rrv${i}`, reason: literal(r.reason), condition: `__rr${i}` }));
  if (spec.refersToPupil && !byName && present.has('student_id')) {
    checks.push({
      header: literal(mapping.sources.find((s) => s.column.name === 'student_id')?.header ?? 'student_id'),
      value: 'student_id',
      reason: "'unknown pupil: not in students.csv for school ' || school_id",
      condition: 'student_id IS NOT NULL AND NOT pupil_known',
    });
  }
  return checks;
}

/** Gathers check failures and rows DuckDB's reader could not split, with physical line numbers. */
async function collectRejects(
  connection: DuckDBConnection,
  source: SourceFile,
  anyFailed: boolean,
  split: boolean,
): Promise<{ rows: RejectRow[]; malformedRecords: number[] }> {
  const malformed = await queryRows<{ record: number; column_idx: number | null; csv_line: string; error_message: string }>(
    connection,
    // DuckDB may log several errors for one record; one reject per record is what the user needs.
    `SELECT (line - 1)::INTEGER AS record, NULL::INTEGER AS column_idx, first(csv_line ORDER BY column_idx) AS csv_line,
            first(error_message ORDER BY column_idx) AS error_message
     FROM src_csv_errors GROUP BY line ORDER BY line`,
  );
  if (!anyFailed && malformed.length === 0) return { rows: [], malformedRecords: [] };
  const failed = anyFailed
    ? await queryRows<{ src_rn: number; column: string | null; value: string | null; reason: string; duplicate_of: number | null }>(
        connection,
        // Rows are records, unless records were split into one row per pupil (then src_rn says which).
        split
          ? `SELECT w.src_rn::INTEGER AS src_rn, r."column", r.value, r.reason, f.src_rn::INTEGER AS duplicate_of
             FROM rejects_tmp r JOIN rows w ON w.rn = r.rn LEFT JOIN rows f ON f.rn = r.duplicate_of
             ORDER BY r.rn, r."column"`
          : `SELECT rn::INTEGER AS src_rn, "column", value, reason, duplicate_of::INTEGER AS duplicate_of FROM rejects_tmp ORDER BY rn, "column"`,
      )
    : [];
  // DuckDB numbers good records densely and skips malformed ones: put the gaps back.
  const skipped = [...new Set(malformed.map((m) => m.record))].sort((a, b) => a - b);
  const recordOf = (rn: number) => {
    let record = rn;
    for (const s of skipped) if (s <= record) record += 1;
    return record;
  };
  const records = [...failed.flatMap((f) => [recordOf(f.src_rn), ...(f.duplicate_of ? [recordOf(f.duplicate_of)] : [])]), ...skipped];
  const lines = physicalLinesOfRecords(source.text, records);
  const lineOf = (record: number) => lines.get(record) ?? record + 1;
  const overlongs = overlongRecords(source.text, skipped);
  const rows: RejectRow[] = [
    ...failed.map((f) => ({
      line: lineOf(recordOf(f.src_rn)),
      column: f.column,
      value: f.value,
      reason: !f.duplicate_of
        ? f.reason
        : f.duplicate_of === f.src_rn
          ? `${f.reason}: the same pupil is named twice in this record`
          : `${f.reason}: same key as line ${lineOf(recordOf(f.duplicate_of))}`,
    })),
    ...malformed.map((m) => {
      // DuckDB calls a very long row an "unterminated quote": say the real reason.
      const overlong = overlongs.get(m.record);
      return {
        line: lineOf(m.record),
        column: m.column_idx && !overlong ? (source.headers[m.column_idx - 1] ?? null) : null,
        value: overlong?.value ?? m.csv_line.replace(/^\r?\n/, ''),
        reason: overlong?.reason ?? `row cannot be split into ${source.headers.length} columns: ${m.error_message}`,
      };
    }),
  ];
  rows.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { rows, malformedRecords: skipped };
}
