import type { DuckDBConnection } from '@duckdb/node-api';
import { SQL_TYPE } from './column-sql.ts';
import { CONTRACT, RECORD_TYPES, type FileSpec } from './contract.ts';
import { RAW_ROWS_SCHEMA, SCHOOL_KEYS, rawRowsTable } from '../src/warehouse/raw-rows.ts';
import { ident, literal, queryRows } from '../src/warehouse/warehouse.ts';

/**
 * The raw layer: one table per record type, typed by the contract, stored as `raw_rows.<type>`
 * with the school as a number (`school_key`, src/warehouse/raw-rows.ts) and read as the view
 * `raw.<type>`, which has the school's id in its place. Each row is unique by school + the
 * contract key; ingest keeps it so (a new key is inserted, a changed one deleted and inserted
 * again, an unchanged one left alone) instead of a PRIMARY KEY constraint, because DuckDB's key
 * index made loading several times slower than reading the file (docs/data-contract.md,
 * "Re-import and corrections").
 */
export function rawTableDdl(spec: FileSpec): string {
  const columns = spec.columns.map((c) => {
    const notNull = spec.key.includes(c.name) ? ' NOT NULL' : '';
    return `${ident(c.name)} ${SQL_TYPE[c.type]}${notNull}`;
  });
  return `CREATE TABLE IF NOT EXISTS ${rawRowsTable(spec.name)} (
  school_key USMALLINT NOT NULL,
  ${columns.join(',\n  ')},
  -- columns the export had beyond the contract, kept as JSON so nothing is thrown away
  extra JSON
)`;
}

/** `raw.<type>`: the stored rows with the school's id in place of its number, the columns as they always were. */
function rawViewDdl(spec: FileSpec): string {
  const columns = [...spec.columns.map((c) => ident(c.name)), 'extra'].map((c) => `r.${c}`);
  return `CREATE VIEW IF NOT EXISTS raw.${ident(spec.name)} AS
  SELECT k.school_id, ${columns.join(', ')}
  FROM ${rawRowsTable(spec.name)} r JOIN ${SCHOOL_KEYS} k ON k.school_key = r.school_key`;
}

/** Gives the schools `ids` (SQL: a query of distinct school_id) that have no number the next ones, in id order. */
async function numberSchools(connection: DuckDBConnection, ids: string): Promise<void> {
  await connection.run(`INSERT INTO ${SCHOOL_KEYS}
    SELECT (SELECT coalesce(max(school_key), 0) FROM ${SCHOOL_KEYS}) + row_number() OVER (ORDER BY school_id), school_id
    FROM (${ids}) WHERE school_id NOT IN (SELECT school_id FROM ${SCHOOL_KEYS})`);
}

/**
 * Numbers the schools not numbered yet (in id order, after the highest number given) and
 * returns every given school's number. Inside an import's transaction, so a failed import
 * numbers nothing.
 */
export async function keySchools(connection: DuckDBConnection, schoolIds: readonly string[]): Promise<Map<string, number>> {
  if (schoolIds.length === 0) return new Map();
  const ids = [...new Set(schoolIds)].map(literal).join(', ');
  await numberSchools(connection, `SELECT unnest([${ids}]) AS school_id`);
  const rows = await queryRows<{ school_id: string; school_key: number }>(connection, `SELECT school_id, school_key FROM ${SCHOOL_KEYS} WHERE school_id IN (${ids})`);
  return new Map(rows.map((r) => [r.school_id, r.school_key]));
}

/**
 * A raw table as warehouses made before session 18 have it (`raw.<type>` a table with the
 * school's id on every row, perhaps with the PRIMARY KEY of the first version): its rows move
 * to `raw_rows.<type>`, numbered by school, and the view takes its place. Same rows, same columns.
 */
async function moveToRawRows(connection: DuckDBConnection, spec: FileSpec): Promise<void> {
  const old = `raw.${ident(spec.name)}`;
  await numberSchools(connection, `SELECT DISTINCT school_id FROM ${old}`);
  await connection.run(rawTableDdl(spec));
  await connection.run(`INSERT INTO ${rawRowsTable(spec.name)} BY NAME
    SELECT k.school_key, t.* EXCLUDE (school_id) FROM ${old} t JOIN ${SCHOOL_KEYS} k ON k.school_id = t.school_id`);
  await connection.run(`DROP TABLE ${old}`);
}

/**
 * Moves the raw tables of a warehouse made before session 18 (see moveToRawRows), if it has any.
 * `inTransaction`: the caller's transaction is open, and the move is part of it (`pastoral check`
 * rolls back, so it changes nothing, not even the tables' shape); otherwise each table moves in a
 * transaction of its own.
 */
export async function moveOldRawTables(connection: DuckDBConnection, options: { inTransaction?: boolean } = {}): Promise<void> {
  const tables = await oldRawTables(connection);
  const old = RECORD_TYPES.map((t) => CONTRACT[t]).filter((spec) => tables.has(spec.name));
  if (old.length === 0) return;
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${RAW_ROWS_SCHEMA}`);
  await connection.run(SCHOOL_KEYS_DDL);
  for (const spec of old) {
    if (!options.inTransaction) await connection.run('BEGIN TRANSACTION');
    try {
      await moveToRawRows(connection, spec);
      await connection.run(rawViewDdl(spec));
      if (!options.inTransaction) await connection.run('COMMIT');
    } catch (error) {
      if (!options.inTransaction) await connection.run('ROLLBACK');
      throw error;
    }
  }
}

/** Record types whose `raw.<type>` is still a table (a warehouse made before session 18). */
async function oldRawTables(connection: DuckDBConnection): Promise<Set<string>> {
  const rows = await queryRows<{ table_name: string }>(connection, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw' AND database_name = current_database()");
  return new Set(rows.map((r) => r.table_name).filter((t) => (RECORD_TYPES as readonly string[]).includes(t)));
}

const SCHOOL_KEYS_DDL = `CREATE TABLE IF NOT EXISTS ${SCHOOL_KEYS} (school_key USMALLINT NOT NULL, school_id VARCHAR NOT NULL)`;

/**
 * Creates the raw layer where it is missing, after moving an older warehouse's tables
 * (moveOldRawTables). `moveOld: false` leaves those as they are (`pastoral check` moves them
 * inside the transaction it rolls back).
 */
export async function ensureRawSchema(connection: DuckDBConnection, options: { moveOld?: boolean } = {}): Promise<void> {
  await connection.run('CREATE SCHEMA IF NOT EXISTS raw');
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${RAW_ROWS_SCHEMA}`);
  await connection.run(SCHOOL_KEYS_DDL);
  if (options.moveOld ?? true) await moveOldRawTables(connection);
  const old = await oldRawTables(connection);
  for (const spec of RECORD_TYPES.map((t) => CONTRACT[t]).filter((s) => !old.has(s.name))) {
    await connection.run(rawTableDdl(spec));
    await connection.run(rawViewDdl(spec));
  }
  await connection.run(`CREATE TABLE IF NOT EXISTS raw.import_log (
    import_id VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    school_id VARCHAR NOT NULL,
    record_type VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_path VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,
    encoding VARCHAR NOT NULL,
    delimiter VARCHAR NOT NULL,
    profile VARCHAR NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    rows_new INTEGER NOT NULL,
    rows_changed INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL
  )`);
  // Added with windows and removals (docs/data-contract.md): older warehouses gain the columns.
  for (const column of [
    'rows_removed INTEGER DEFAULT 0',
    'window_from DATE',
    'window_to DATE',
    "window_kind VARCHAR DEFAULT 'rows'",
  ]) {
    await connection.run(`ALTER TABLE raw.import_log ADD COLUMN IF NOT EXISTS ${column}`);
  }
  // Rows that left the warehouse: removed (inside a file's window, absent from it) or replaced
  // by a correction. Re-importing the older file puts them back.
  await connection.run(`CREATE TABLE IF NOT EXISTS raw.removed_rows (
    import_id VARCHAR NOT NULL,
    record_type VARCHAR NOT NULL,
    school_id VARCHAR NOT NULL,
    "key" JSON NOT NULL,
    "row" JSON NOT NULL,
    change VARCHAR NOT NULL
  )`);
  // One row per pastoral refresh: what it imported and what changed (shown on the home page).
  await connection.run(`CREATE TABLE IF NOT EXISTS raw.refresh_log (
    refresh_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    inbox VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    import_ids VARCHAR[] NOT NULL,
    data_up_to DATE,
    summary JSON NOT NULL,
    site VARCHAR,
    pdfs VARCHAR[],
    -- school/pupil ids on the watchlist in its latest week, so the next refresh can say who is new
    watchlist VARCHAR[]
  )`);
  await connection.run(`CREATE TABLE IF NOT EXISTS raw.rejects (
    import_id VARCHAR NOT NULL,
    school_id VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    line INTEGER,
    "column" VARCHAR,
    value VARCHAR,
    reason VARCHAR NOT NULL
  )`);
}
