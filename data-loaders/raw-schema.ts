import type { DuckDBConnection } from '@duckdb/node-api';
import { SQL_TYPE } from './column-sql.ts';
import { CONTRACT, RECORD_TYPES, type FileSpec } from './contract.ts';
import { ident } from '../src/warehouse/warehouse.ts';

/**
 * The raw layer: one table per record type, typed by the contract, keyed by school + the
 * contract key. The primary key is what makes a re-import idempotent (INSERT OR REPLACE).
 */
export function rawTableDdl(spec: FileSpec): string {
  const columns = spec.columns.map((c) => {
    const notNull = spec.key.includes(c.name) ? ' NOT NULL' : '';
    return `${ident(c.name)} ${SQL_TYPE[c.type]}${notNull}`;
  });
  const key = ['school_id', ...spec.key].map(ident).join(', ');
  return `CREATE TABLE IF NOT EXISTS raw.${ident(spec.name)} (
  school_id VARCHAR NOT NULL,
  ${columns.join(',\n  ')},
  -- columns the export had beyond the contract, kept as JSON so nothing is thrown away
  extra JSON,
  PRIMARY KEY (${key})
)`;
}

export async function ensureRawSchema(connection: DuckDBConnection): Promise<void> {
  await connection.run('CREATE SCHEMA IF NOT EXISTS raw');
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
