import type { DuckDBConnection } from '@duckdb/node-api';
import { WAREHOUSE_STORAGE_VERSION, queryRows } from './warehouse.ts';

/**
 * The storage format of the open database file as DuckDB tags it (`v1.0.0+` for a file in
 * DuckDB's default format, as warehouses were made before session 45; `v1.5.0+` for the 1.5
 * format); null for a database in memory.
 */
export async function storageVersionOf(connection: DuckDBConnection): Promise<string | null> {
  const [row] = await queryRows<{ v: string | null }>(
    connection,
    "SELECT tags['storage_version'] AS v FROM duckdb_databases() WHERE database_name = current_database()",
  );
  return row?.v ?? null;
}

/**
 * A line for a warehouse written in an older storage format than a new one gets (it keeps its
 * format until rewritten): how to move it, and why. Null when it is current, or in memory.
 */
export function olderFormatHint(version: string | null, dbPath: string): string | null {
  if (version === null || version.startsWith(WAREHOUSE_STORAGE_VERSION)) return null;
  return (
    `This warehouse is in an older DuckDB storage format (${version}): \`npx pastoral compact --db ${dbPath}\` rewrites it ` +
    `in the ${WAREHOUSE_STORAGE_VERSION} format, in which model runs take less CPU (docs/performance.md, session 45).`
  );
}
