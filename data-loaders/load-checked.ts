import type { DuckDBConnection } from '@duckdb/node-api';
import { sourceColumn } from './column-mapping.ts';
import { detailQuery } from './detail-query.ts';
import { queryOne, retiredCodesSql, type FilePlan, type LoadContext } from './file-plan.ts';
import type { LoadOutcome } from './file-report.ts';
import { findRemovals, heldRowJson, keyJson, removeRows, windowsSql, type SchoolWindow } from './removals.ts';
import { recordsAfterHeader } from './record-lines.ts';
import { keySchools } from './raw-schema.ts';
import { SCHOOL_KEYS } from '../src/warehouse/raw-rows.ts';
import { ident, literal, queryRows } from '../src/warehouse/warehouse.ts';

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
 *    first marked new / changed / unchanged, and a changed one replaces the old version;
 * 7. rows the file's window held that the file lacks are removed (removals.ts).
 */
export async function loadChecked(connection: DuckDBConnection, context: LoadContext, plan: FilePlan): Promise<LoadOutcome> {
  const records = await readRecords(connection, context, plan);
  const detail = detailQuery(context.spec, context.mapping, plan.folderSchool, records.from, records.rn, records.srcRn);
  // The school a row belongs to: its own column, or the folder's.
  const school = context.mapping.school ? 'school_id' : plan.folderSchool;
  await flagRows(connection, context, plan, detail);
  const stats = await rowStats(connection, context, plan, school, records.count);
  // Rows naming their own school: the schools are numbered (for the stored rows) as they are found.
  if (context.mapping.school) await keySchools(connection, stats.schools ?? []);
  if (stats.bad > 0) await detailFailures(connection, plan, detail);
  const duplicates = stats.dup_candidates > 0 ? await rejectDuplicateKeys(connection, context, plan, school, stats.bad > 0) : 0;

  // Rows the warehouse holds inside the file's window that the file lacks: found before
  // anything changes (the guard may stop the import), removed after the load.
  // Records the reader could not split (a comma too many, a quote never closed) name no key: the
  // held rows they may be are kept, so such a file removes nothing (findRemovals).
  const unsplit = stats.held > 0 && stats.records !== context.source.recordsAtMost ? await unsplitRecords(connection) : 0;
  const removal = stats.held > 0 ? await findRemovals(connection, context, plan, school, stats.windows ?? undefined, unsplit === 0) : { removed: 0, windows: [] };
  const loaded = stats.read - stats.bad - duplicates;
  const counts = await storeRows(connection, context, plan, school, { held: stats.held, loaded, duplicates });
  if (removal.removed > 0) await removeRows(connection, context, plan);
  return {
    read: stats.read,
    records: stats.records,
    loaded,
    bad: stats.bad,
    duplicates,
    counts,
    removed: removal.removed,
    windows: removal.windows,
    schools: context.mapping.school ? (stats.schools ?? []) : [context.schoolId],
    retired: stats.retired ?? [],
    removalsHeld: unsplit,
    // The reader read as many records as the file has lines for (SourceFile.recordsAtMost): no
    // line is left for a malformed record, so its rejects table need not be read.
    malformed: stats.records === context.source.recordsAtMost ? 0 : undefined,
  };
}

/** Records the reader could not split into the header's columns (logged in src_csv_errors). */
async function unsplitRecords(connection: DuckDBConnection): Promise<number> {
  return (await queryOne<{ n: number }>(connection, 'SELECT count(DISTINCT line)::INTEGER AS n FROM src_csv_errors')).n;
}

/** Where the rows come from (a temporary table) and the SQL numbering them and their records. */
interface Records {
  from: string;
  rn: string;
  srcRn: string;
  /** Records in the file as read (rows of `src_read`). */
  count: number;
}

/** Steps 1–2: the file into `src_read`, and (records naming several pupils) one row per pupil into `src`. */
async function readRecords(connection: DuckDBConnection, context: LoadContext, plan: FilePlan): Promise<Records> {
  await connection.run(`CREATE TEMP TABLE src_read AS SELECT * FROM ${plan.reader}`);
  let { numbering, count } = await recordNumbering(connection);
  // Records the reader could not split: where the line breaks leave room for more records than it
  // accounted for, the text is counted, and a file it did not read to the end (file-plan.ts,
  // `serialReader`) is read again on one thread.
  const malformed = count === context.source.recordsAtMost ? 0 : await unsplitRecords(connection);
  if (malformed > 0 && count + malformed < context.source.recordsAtMost) {
    const records = recordsAfterHeader(context.source.text, context.source.delimiter);
    if (count + malformed < records) {
      await connection.run('DROP TABLE src_read; DROP TABLE IF EXISTS src_csv_errors; DROP TABLE IF EXISTS src_csv_scans');
      await connection.run(`CREATE TEMP TABLE src_read AS SELECT * FROM ${plan.serialReader}`);
      ({ numbering, count } = await recordNumbering(connection));
      const again = await unsplitRecords(connection);
      if (count + again !== records) {
        throw new Error(`DuckDB's reader accounted for ${count + again} of the ${records} rows (${again} of them could not be split into columns): nothing was imported; correct the rows that cannot be split`);
      }
    }
  }
  const split = context.mapping.split;
  if (!split) return { from: 'src_read', rn: numbering, srcRn: numbering, count };
  // One incident naming several pupils becomes one row per pupil; src_rn keeps the record for reject lines.
  const cell = ident(sourceColumn(split.position));
  await connection.run(`CREATE TEMP TABLE src AS
      SELECT row_number() OVER (ORDER BY src_rn, part_no) AS rn, * EXCLUDE (l, parts, part, part_no) REPLACE (part AS ${cell})
      FROM (SELECT *, unnest(parts) AS part, generate_subscripts(parts, 1) AS part_no
            FROM (SELECT *, CASE WHEN len(l) = 0 THEN [NULL::VARCHAR] ELSE l END AS parts
                  FROM (SELECT ${numbering} AS src_rn, *, list_filter(string_split_regex(coalesce(${cell}, ''), ${literal(split.separator)}), x -> trim(x) <> '') AS l
                        FROM src_read)))`);
  return { from: 'src', rn: 'rn', srcRn: 'src_rn', count };
}

/**
 * SQL numbering the records of `src_read` 1…n in file order. DuckDB keeps a file's order when it
 * reads it into a table (insertion order is preserved), so the row ids are the records in order:
 * numbering them costs nothing, where a row_number() pass would read the whole table again on
 * one thread. Should the row ids ever not be dense (or insertion order not be kept), row_number()
 * is used instead.
 */
async function recordNumbering(connection: DuckDBConnection): Promise<{ numbering: string; count: number }> {
  const [ids] = await queryRows<{ first: bigint | null; last: bigint | null; n: bigint; ordered: string }>(
    connection,
    "SELECT min(rowid) AS first, max(rowid) AS last, count(*) AS n, current_setting('preserve_insertion_order')::VARCHAR AS ordered FROM src_read",
  );
  const n = BigInt(ids.n);
  const count = Number(n);
  if (n === 0n || ids.first === null || ids.last === null) return { numbering: 'rowid + 1', count };
  const dense = BigInt(ids.last) - BigInt(ids.first) + 1n === n;
  if (dense && ids.ordered === 'true') return { numbering: `(rowid - ${BigInt(ids.first).toString()} + 1)`, count };
  return { numbering: 'row_number() OVER ()', count };
}

/** Step 3: every row typed and checked once, into `rows`, with only the columns the load needs and its `ok` flag. */
export async function flagRows(connection: DuckDBConnection, context: LoadContext, plan: FilePlan, detail: string): Promise<void> {
  const { mapping } = context;
  const keep = [
    'rn',
    ...(mapping.split ? ['src_rn'] : []),
    ...(mapping.school ? ['school_id'] : []),
    ...[...plan.present].map((c) => ident(c)),
    ...(mapping.extraHeaders.length > 0 ? ['extra'] : []),
  ];
  await connection.run(`CREATE TEMP TABLE rows AS SELECT ${keep.join(', ')}, ${plan.okExpr} AS ok FROM (${detail})`);
}

export interface RowStats {
  read: number;
  records: number;
  bad: number;
  dup_candidates: number;
  held: number;
  schools: string[] | null;
  retired: LoadOutcome['retired'] | null;
  /** Each school's window (removals.ts), found here when the folder names the school; else null. */
  windows: SchoolWindow[] | null;
}

/**
 * Step 4: rows read, records, failures, possible duplicate keys, whether the warehouse holds rows
 * of these schools, and (rows of the folder's school) each school's window for the removals, in
 * one statement: a trust's weekly import runs this for 300 small files (one statement fewer per
 * file; measured, the windows cost about as much inside it as apart, so the gain is small).
 */
export async function rowStats(connection: DuckDBConnection, context: LoadContext, plan: FilePlan, school: string, records: number): Promise<RowStats> {
  const { mapping } = context;
  // Rows naming their own school: their schools are numbered after this (keySchools), so their
  // windows are found later, by findRemovals itself, with the numbers given.
  const windows = mapping.school ? null : windowsSql(context, plan, school);
  const stats = await queryOne<RowStats>(
    connection,
    `SELECT
      count(*)::INTEGER AS read,
      ${records}::INTEGER AS records,
      count(*) FILTER (WHERE NOT ok)::INTEGER AS bad,
      -- Good rows whose key hash equals another's: candidates, confirmed on the keys themselves
      -- only when there are any (sorting 64-bit hashes is cheaper than grouping by the keys).
      (SELECT count(*) FROM (SELECT h, lag(h) OVER (ORDER BY h) AS previous FROM (SELECT hash(${[school, ...plan.keyExprs].join(', ')}) AS h FROM rows WHERE ok)) WHERE h = previous)::INTEGER AS dup_candidates,
      -- Only whether there are any is used: the first one found ends the scan (a count read a
      -- school's whole table, 1.4M register marks at the trust, for each file).
      ${
        mapping.school
          ? `(SELECT EXISTS (SELECT 1 FROM ${plan.view} WHERE school_id IN (SELECT DISTINCT school_id FROM rows)))`
          : `(SELECT EXISTS (SELECT 1 FROM ${plan.table} WHERE school_key = ${plan.folderKey}))`
      }::INTEGER AS held,
      ${mapping.school ? '(SELECT list_sort(list(DISTINCT school_id)) FROM rows WHERE ok)' : 'NULL::VARCHAR[]'} AS schools,
      ${retiredCodesSql(context, plan, 'rows', 'ok')} AS retired,
      ${windows ? `(SELECT coalesce(list(w ORDER BY w.school_id), []) FROM (${windows}) w)` : 'NULL'} AS windows
    FROM rows`,
  );
  // A type with no windows (the pupils): none to find.
  return { ...stats, windows: windows ? stats.windows : null };
}

/** Step 5a: the failing rows again, with their text as written, for the detail of every failing check (into `rejects_tmp`). */
async function detailFailures(connection: DuckDBConnection, plan: FilePlan, detail: string): Promise<void> {
  await connection.run(`CREATE TEMP TABLE bad AS SELECT * FROM (${detail}) WHERE rn IN (SELECT rn FROM rows WHERE NOT ok)`);
  await connection.run(`CREATE TEMP TABLE rejects_tmp AS
      ${plan.checks.map((c) => `SELECT rn, ${c.header}::VARCHAR AS "column", (${c.value})::VARCHAR AS value, (${c.reason})::VARCHAR AS reason, NULL::BIGINT AS duplicate_of FROM bad WHERE ${c.condition}`).join('\nUNION ALL\n')}`);
}

/**
 * Step 5b: two rows with one key in one file: keep the first, reject the others (saying which),
 * into `dups` and `rejects_tmp`. Returns how many rows were rejected.
 */
async function rejectDuplicateKeys(connection: DuckDBConnection, context: LoadContext, plan: FilePlan, school: string, rejectsExist: boolean): Promise<number> {
  const { spec } = context;
  const keyNames = spec.key.map((k) => ident(`k_${k}`));
  await connection.run(`CREATE TEMP TABLE dups AS
      WITH k AS (SELECT rn, ${school} AS school_id, ${plan.keyExprs.map((e, i) => `${e} AS ${keyNames[i]}`).join(', ')} FROM rows WHERE ok),
           d AS (SELECT school_id, ${keyNames.join(', ')}, min(rn) AS first_rn FROM k GROUP BY ALL HAVING count(*) > 1)
      SELECT k.rn, d.first_rn FROM k JOIN d ON k.school_id = d.school_id AND ${keyNames.map((n) => `k.${n} = d.${n}`).join(' AND ')}
      WHERE k.rn <> d.first_rn`);
  const duplicates = (await queryOne<{ n: number }>(connection, 'SELECT count(*)::INTEGER AS n FROM dups')).n;
  if (duplicates > 0) {
    if (!rejectsExist) await connection.run('CREATE TEMP TABLE rejects_tmp (rn BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR, duplicate_of BIGINT)');
    await connection.run(`INSERT INTO rejects_tmp SELECT rn, NULL, NULL, 'duplicate key (' || ${literal(spec.key.join(', '))} || ')', first_rn FROM dups`);
  }
  return duplicates;
}

/**
 * Step 6: the good rows into the warehouse, with every contract column (absent ones empty; key
 * columns never NULL). Where the warehouse already holds rows of these schools, each row is
 * marked new / unchanged / changed against what it holds for its key; a correction replaces the
 * earlier row, which is kept in raw.removed_rows. Returns the counts.
 */
export async function storeRows(
  connection: DuckDBConnection,
  context: LoadContext,
  plan: FilePlan,
  school: string,
  found: { held: number; loaded: number; duplicates: number },
): Promise<LoadOutcome['counts']> {
  const { spec, mapping } = context;
  const { table, allColumns, selectList } = plan;
  const run = (sql: string) => connection.run(sql);
  const loadable = `rows WHERE ok${found.duplicates > 0 ? ' AND rn NOT IN (SELECT rn FROM dups)' : ''}`;
  // The school as stored (its number) beside its id (for the audit of corrections).
  const schoolKey = mapping.school ? `(SELECT sk.school_key FROM ${SCHOOL_KEYS} sk WHERE sk.school_id = rows.school_id)` : plan.folderKey;
  const loadRows = `SELECT ${schoolKey} AS school_key, ${school} AS school_id, ${selectList.join(', ')}, ${mapping.extraHeaders.length > 0 ? 'extra' : 'NULL::JSON AS extra'} FROM ${loadable}`;
  const stored = `school_key, ${allColumns.join(', ')}, extra`;
  if (found.held === 0) {
    // Nothing of these schools in the warehouse yet: every good row is new.
    if (found.loaded > 0) await run(`INSERT INTO ${table} (${stored}) SELECT ${stored} FROM (${loadRows})`);
    return { fresh: found.loaded, changed: 0, unchanged: 0 };
  }
  const keyJoin = spec.key.map((k) => `e.${ident(k)} = l.${ident(k)}`).join(' AND ');
  // The columns the contract does not know, as a set of those holding a value: the same ones in
  // another order (a report whose columns were moved), or empty columns come or gone (Excel's
  // trailing commas), are the same row, not a correction. Compared only where the text differs.
  const extraSet = (alias: string) => `list_sort(list_filter(coalesce(map_entries(${alias}.extra::MAP(VARCHAR, VARCHAR)), []), x -> x.value IS NOT NULL))`;
  await run(`CREATE TEMP TABLE staged AS
      SELECT l.*, CASE
          WHEN e.school_key IS NULL THEN 'new'
          WHEN (${allColumns.map((c) => `l.${c}`).join(', ')}, l.extra::VARCHAR) IS NOT DISTINCT FROM (${allColumns.map((c) => `e.${c}`).join(', ')}, e.extra::VARCHAR) THEN 'unchanged'
          WHEN (${allColumns.map((c) => `l.${c}`).join(', ')}) IS NOT DISTINCT FROM (${allColumns.map((c) => `e.${c}`).join(', ')})
               AND ${extraSet('l')} IS NOT DISTINCT FROM ${extraSet('e')} THEN 'unchanged'
          ELSE 'changed' END AS load_status
      FROM (${loadRows}) l
      LEFT JOIN ${table} e ON e.school_key = l.school_key AND ${keyJoin}`);
  const counts = await queryOne<LoadOutcome['counts']>(
    connection,
    `SELECT count(*) FILTER (WHERE load_status = 'new')::INTEGER AS fresh,
         count(*) FILTER (WHERE load_status = 'changed')::INTEGER AS changed,
         count(*) FILTER (WHERE load_status = 'unchanged')::INTEGER AS unchanged
       FROM staged`,
  );
  // A correction replaces the earlier row: delete the old version (kept in raw.removed_rows), insert the new one.
  if (counts.changed > 0) {
    await run(`INSERT INTO raw.removed_rows
        SELECT ${literal(context.importId ?? '')}, ${literal(spec.name)}, l.school_id, ${keyJson(spec, 'held_row')}, ${heldRowJson(spec, 'held_row', 'l.school_id')}, 'corrected'
        FROM ${table} AS held_row JOIN staged l ON l.load_status = 'changed' AND held_row.school_key = l.school_key AND ${spec.key.map((k) => `held_row.${ident(k)} = l.${ident(k)}`).join(' AND ')}`);
    await run(`DELETE FROM ${table} AS e USING staged l WHERE l.load_status = 'changed' AND e.school_key = l.school_key AND ${keyJoin}`);
  }
  if (counts.fresh + counts.changed > 0) {
    await run(`INSERT INTO ${table} (${stored}) SELECT ${stored} FROM staged WHERE load_status <> 'unchanged'`);
  }
  return counts;
}
