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
