import type { DuckDBConnection } from '@duckdb/node-api';
import { SQL_TYPE } from './column-sql.ts';
import { CONTRACT, RECORD_TYPES, type FileSpec } from './contract.ts';
import { ident, queryRows } from '../src/warehouse/warehouse.ts';

/**
 * The raw layer: one table per record type, typed by the contract. Each row is unique by
 * school + the contract key; ingest keeps it so (a new key is inserted, a changed one deleted
 * and inserted again, an unchanged one left alone) instead of a PRIMARY KEY constraint, because
 * DuckDB's key index made loading several times slower than reading the file (docs/data-contract.md,
 * "Re-import and corrections").
 */
export function rawTableDdl(spec: FileSpec, tableName: string = spec.name): string {
  const columns = spec.columns.map((c) => {
    const notNull = spec.key.includes(c.name) ? ' NOT NULL' : '';
    return `${ident(c.name)} ${SQL_TYPE[c.type]}${notNull}`;
  });
  return `CREATE TABLE IF NOT EXISTS raw.${ident(tableName)} (
  school_id VARCHAR NOT NULL,
  ${columns.join(',\n  ')},
  -- columns the export had beyond the contract, kept as JSON so nothing is thrown away
  extra JSON
)`;
}

/**
 * Warehouses made before the key index was dropped have PRIMARY KEY constraints on the raw
 * tables: rebuild those tables without it (same rows), each in its own transaction.
 */
async function dropOldKeyIndexes(connection: DuckDBConnection): Promise<void> {
  const keyed = await queryRows<{ table_name: string }>(
    connection,
    "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE schema_name = 'raw' AND constraint_type = 'PRIMARY KEY'",
  );
  for (const { table_name } of keyed) {
    const spec = RECORD_TYPES.map((t) => CONTRACT[t]).find((s) => s.name === table_name);
    if (!spec) continue;
    const rebuilt = `${spec.name}__rebuilt`;
    await connection.run('BEGIN TRANSACTION');
    try {
      await connection.run(`DROP TABLE IF EXISTS raw.${ident(rebuilt)}`);
      await connection.run(rawTableDdl(spec, rebuilt));
      await connection.run(`INSERT INTO raw.${ident(rebuilt)} BY NAME SELECT * FROM raw.${ident(spec.name)}`);
      await connection.run(`DROP TABLE raw.${ident(spec.name)}`);
      await connection.run(`ALTER TABLE raw.${ident(rebuilt)} RENAME TO ${ident(spec.name)}`);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK');
      throw error;
    }
  }
}

/**
 * Creates the raw layer where it is missing. `rebuildKeyed: false` leaves tables made with the
 * old key index as they are (`pastoral check` changes nothing; loading works either way).
 */
export async function ensureRawSchema(connection: DuckDBConnection, options: { rebuildKeyed?: boolean } = {}): Promise<void> {
  await connection.run('CREATE SCHEMA IF NOT EXISTS raw');
  if (options.rebuildKeyed ?? true) await dropOldKeyIndexes(connection);
  for (const type of RECORD_TYPES) await connection.run(rawTableDdl(CONTRACT[type]));
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
