import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openWarehouse, queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);

/** A fresh warehouse file in a temporary folder. */
export function tempDbPath(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-db-')), 'test.duckdb');
}

export async function openTempWarehouse(): Promise<Warehouse> {
  return openWarehouse(tempDbPath());
}

/** Every raw table's rows, ordered, as one comparable snapshot of the warehouse's content. */
export async function rawSnapshot(connection: DuckDBConnection): Promise<Record<string, string[]>> {
  const tables = await queryRows<{ table_name: string }>(
    connection,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' AND table_name NOT IN ('import_log', 'rejects') ORDER BY 1",
  );
  const snapshot: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    const rows = await queryRows<{ r: string }>(connection, `SELECT CAST(t AS VARCHAR) AS r FROM raw."${table_name}" t ORDER BY r`);
    snapshot[table_name] = rows.map((x) => x.r);
  }
  return snapshot;
}
