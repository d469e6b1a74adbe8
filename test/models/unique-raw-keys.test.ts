// sql/tests/unique_raw_keys.sql: ingest keeps each raw table unique by school + key (there is no
// key constraint); the data test finds a key that occurs twice. The register marks are grouped
// by a hash of the key first, so this checks the duplicate still comes out, spelled as its key.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRawSchema } from '../../data-loaders/raw-schema.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const TEST_SQL = readFileSync(fileURLToPath(new URL('../../sql/tests/unique_raw_keys.sql', import.meta.url)), 'utf-8');

describe('data test unique_raw_keys', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    await ensureRawSchema(warehouse.connection);
  });
  afterAll(() => warehouse?.close());

  const insertMark = (student: string, date: string, session: string, code: string) =>
    warehouse.connection.run(
      `INSERT INTO raw.attendance BY NAME SELECT 'urn1' AS school_id, '${student}' AS student_id, DATE '${date}' AS date, '${session}' AS session, '${code}' AS code`,
    );

  it('passes when every key occurs once, and names the one register mark that occurs twice', async () => {
    await insertMark('S1', '2025-09-08', 'AM', '/');
    await insertMark('S1', '2025-09-08', 'PM', '\\');
    await insertMark('S2', '2025-09-08', 'AM', '/');
    expect(await queryRows(warehouse.connection, TEST_SQL)).toEqual([]);
    await insertMark('S1', '2025-09-08', 'PM', 'N');
    const failing = await queryRows<{ record_type: string; school_id: string; record_key: string; n: bigint }>(warehouse.connection, TEST_SQL);
    expect(failing).toEqual([{ record_type: 'attendance', school_id: 'urn1', record_key: 'S1 2025-09-08 PM', n: 2n }]);
  });
});
