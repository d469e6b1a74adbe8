import type { DuckDBConnection } from '@duckdb/node-api';
import { keySchools } from '../../data-loaders/raw-schema.ts';
import { rawRowsTable, SCHOOL_KEYS } from '../../src/warehouse/raw-rows.ts';
import { queryRows } from '../../src/warehouse/warehouse.ts';

/**
 * Hand-made rows into `raw.<type>` as ingest stores them (src/warehouse/raw-rows.ts): `select`
 * names the view's columns (school_id and any of the contract's), the school is numbered and the
 * row stored with its number. (raw.<type> is a view: rows cannot be inserted into it.)
 */
export async function insertRaw(connection: DuckDBConnection, type: string, select: string): Promise<void> {
  const schools = await queryRows<{ school_id: string }>(connection, `SELECT DISTINCT school_id FROM (${select})`);
  await keySchools(
    connection,
    schools.map((s) => s.school_id),
  );
  await connection.run(`INSERT INTO ${rawRowsTable(type)} BY NAME
    SELECT k.school_key, r.* EXCLUDE (school_id) FROM (${select}) r JOIN ${SCHOOL_KEYS} k USING (school_id)`);
}
