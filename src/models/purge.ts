/**
 * Retention: remove every record of pupils who left before a date (docs/serving.md, "Retention").
 *
 *   const report = await purgeLeavers(connection, "2019-08-31");
 *   // report.pupils: how many pupils; report.tables: rows removed per raw table
 *
 * A pupil has left when the row of their latest academic year in raw.students (a row with no
 * academic year counts as the latest: it is the export as it stands) has a leaving_date, and
 * that date is before the cut-off. A pupil who left and came back has a later row without one,
 * and is kept.
 *
 * One transaction removes, for those pupils: their rows in every raw.* table with school_id and
 * student_id (found from the catalogue, so a record type added later is covered too); the
 * raw.rejects rows whose value is one of their ids, UPNs or names; and every model table
 * (staging, intermediate, marts), which still hold copies until `pastoral models` rebuilds
 * them. raw.import_log keeps its rows (file names, hashes and counts: no pupil data) and
 * raw.purge_log records the purge (date, cut-off and counts: no pupil data). On any error the
 * warehouse is left as it was.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readModels, STAGED_PREFIX } from './model-files.ts';
import { rawRowsTable, SCHOOL_KEYS } from '../warehouse/raw-rows.ts';
import { ident, literal, queryRows } from '../warehouse/warehouse.ts';

export interface PurgeReport {
  leftBefore: string;
  /** Pupils (school + student id) removed. */
  pupils: number;
  /** Rows removed per table, e.g. `raw.behaviour`, in table-name order (raw.students first). */
  tables: { table: string; rows: number }[];
  /** Model tables dropped (rebuild them with runModels / `pastoral models`). */
  modelsDropped: string[];
  /** Whether anything was removed (false on a dry run). */
  committed: boolean;
}

export interface PurgeOptions {
  /** Count what would go, then roll back. */
  dryRun?: boolean;
  /** Test hook: called inside the open transaction, after the deletes. */
  beforeCommit?: () => Promise<void> | void;
}

/** A calendar date `YYYY-MM-DD` that exists, or null. */
export function parseIsoDate(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text ? text : null;
}

async function rawPupilTables(connection: DuckDBConnection): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    connection,
    `SELECT table_name FROM duckdb_columns()
     WHERE schema_name = 'raw' AND database_name = current_database() AND column_name IN ('school_id', 'student_id')
     GROUP BY table_name HAVING count(DISTINCT column_name) = 2
     ORDER BY table_name = 'students' DESC, table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function hasRawTable(connection: DuckDBConnection, table: string): Promise<boolean> {
  const [{ n }] = await queryRows<{ n: number }>(
    connection,
    `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = ${literal(table)} AND table_catalog = current_database()`,
  );
  return n > 0;
}

/** The model tables this warehouse holds (they copied pupils' rows, so the purge drops them). */
async function builtModelTables(connection: DuckDBConnection): Promise<string[]> {
  const existing = new Set(
    (await queryRows<{ table_name: string }>(connection, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database()")).map(
      (r) => r.table_name,
    ),
  );
  // A killed model run's `__next__` tables (the next run drops them) hold pupils' rows too.
  return [...readModels().map((m) => m.name).filter((name) => existing.has(name)), ...[...existing].filter((name) => name.startsWith(STAGED_PREFIX)).sort()];
}

/** Fills the temp tables purge_pupils (the leavers) and purge_identifiers; returns how many pupils. */
async function markLeavers(connection: DuckDBConnection, date: string): Promise<number> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE purge_pupils AS
    SELECT school_id, student_id FROM (
      SELECT school_id, student_id, leaving_date,
        row_number() OVER (PARTITION BY school_id, student_id ORDER BY academic_year DESC NULLS FIRST) AS latest
      FROM raw.students
    )
    WHERE latest = 1 AND leaving_date < ${literal(date)}::DATE`);
  const [{ n: pupils }] = await queryRows<{ n: number }>(connection, 'SELECT count(*)::INTEGER AS n FROM purge_pupils');

  // What identifies them in a reject's value (a reject names a file line and one cell).
  await connection.run(`CREATE OR REPLACE TEMP TABLE purge_identifiers AS
    SELECT DISTINCT s.school_id, v AS value
    FROM raw.students s JOIN purge_pupils p USING (school_id, student_id),
      unnest([s.student_id, s.upn, s.first_name, s.last_name, s.first_name || ' ' || s.last_name]) AS t(v)
    WHERE v IS NOT NULL AND trim(v) <> ''`);
  return pupils;
}

/** One table's share of the purge: counts the rows `countSql` finds, then runs `deleteSql`. */
async function countThenDelete(connection: DuckDBConnection, table: string, countSql: string, deleteSql: string): Promise<PurgeReport['tables'][number]> {
  const [{ n }] = await queryRows<{ n: number }>(connection, countSql);
  await connection.run(deleteSql);
  return { table, rows: n };
}

/** The leavers' rows in every raw table keyed by school and pupil, raw.students first. */
async function deleteFromPupilTables(connection: DuckDBConnection): Promise<PurgeReport['tables']> {
  const tables: PurgeReport['tables'] = [];
  for (const table of await rawPupilTables(connection)) {
    tables.push(
      await countThenDelete(
        connection,
        `raw.${table}`,
        `SELECT count(*)::INTEGER AS n FROM raw.${ident(table)} t JOIN purge_pupils p USING (school_id, student_id)`,
        // The rows are stored with the school as a number (src/warehouse/raw-rows.ts): raw.<table> is a view of them.
        `DELETE FROM ${rawRowsTable(table)} t USING purge_pupils p JOIN ${SCHOOL_KEYS} k USING (school_id)
         WHERE t.school_key = k.school_key AND t.student_id = p.student_id`,
      ),
    );
  }
  return tables;
}

/** The rejects whose value is one of the leavers' ids, UPNs or names. */
function deleteFromRejects(connection: DuckDBConnection): Promise<PurgeReport['tables'][number]> {
  const leaverValue = 'EXISTS (SELECT 1 FROM purge_identifiers i WHERE i.school_id = r.school_id AND i.value = r.value)';
  return countThenDelete(connection, 'raw.rejects', `SELECT count(*)::INTEGER AS n FROM raw.rejects r WHERE ${leaverValue}`, `DELETE FROM raw.rejects r WHERE ${leaverValue}`);
}

/**
 * The audit of removed and corrected rows (data-loaders/windows.ts) holds old versions of
 * pupils' rows as JSON: the leavers' go too. Null when the warehouse has no audit table.
 */
async function deleteFromRemovedRows(connection: DuckDBConnection): Promise<PurgeReport['tables'][number] | null> {
  if (!(await hasRawTable(connection, 'removed_rows'))) return null;
  const leaverRow = `EXISTS (SELECT 1 FROM purge_pupils p WHERE p.school_id = r.school_id AND p.student_id = json_extract_string(r."row", '$.student_id'))`;
  return countThenDelete(connection, 'raw.removed_rows', `SELECT count(*)::INTEGER AS n FROM raw.removed_rows r WHERE ${leaverRow}`, `DELETE FROM raw.removed_rows r WHERE ${leaverRow}`);
}

/** One raw.purge_log row per table: when, the cut-off and how many rows (no pupil data). */
async function logPurge(connection: DuckDBConnection, date: string, tables: PurgeReport['tables']): Promise<void> {
  await connection.run(`CREATE TABLE IF NOT EXISTS raw.purge_log (
    purged_at TIMESTAMP NOT NULL,
    left_before DATE NOT NULL,
    table_name VARCHAR NOT NULL,
    rows_removed INTEGER NOT NULL
  )`);
  for (const t of tables) {
    await connection.run(`INSERT INTO raw.purge_log VALUES (current_localtimestamp(), ${literal(date)}::DATE, ${literal(t.table)}, ${t.rows})`);
  }
}

/** Inside the open transaction: every deletion, the dropped models and the log, in this order. */
async function purgeInTransaction(connection: DuckDBConnection, date: string, models: readonly string[]): Promise<{ pupils: number; tables: PurgeReport['tables'] }> {
  const pupils = await markLeavers(connection, date);
  const tables = await deleteFromPupilTables(connection);
  tables.push(await deleteFromRejects(connection));
  const audit = await deleteFromRemovedRows(connection);
  if (audit) tables.push(audit);
  for (const name of models) await connection.run(`DROP TABLE IF EXISTS main.${ident(name)}`);
  await logPurge(connection, date, tables);
  await connection.run('DROP TABLE purge_pupils');
  await connection.run('DROP TABLE purge_identifiers');
  return { pupils, tables };
}

export async function purgeLeavers(connection: DuckDBConnection, leftBefore: string, options: PurgeOptions = {}): Promise<PurgeReport> {
  const date = parseIsoDate(leftBefore);
  if (date === null) throw new Error(`--left-before must be a date as YYYY-MM-DD, got "${leftBefore}"`);
  if (!(await hasRawTable(connection, 'students'))) throw new Error('this warehouse has no raw.students table: nothing was ever imported');
  const models = await builtModelTables(connection);

  await connection.run('BEGIN TRANSACTION');
  try {
    const { pupils, tables } = await purgeInTransaction(connection, date, models);
    await options.beforeCommit?.();
    if (options.dryRun) await connection.run('ROLLBACK');
    else {
      await connection.run('COMMIT');
      // Write the change into the database file now, not only its write-ahead log.
      await connection.run('CHECKPOINT');
    }
    return { leftBefore: date, pupils, tables, modelsDropped: options.dryRun ? [] : models, committed: !options.dryRun };
  } catch (error) {
    // After a failed COMMIT (or the CHECKPOINT after it) there is no transaction left to roll
    // back, and DuckDB's "no transaction is active" must not hide the error that matters.
    await connection.run('ROLLBACK').catch(() => {});
    throw error;
  }
}
