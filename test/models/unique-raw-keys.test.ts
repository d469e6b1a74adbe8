// sql/tests/unique_raw_keys.sql and unique_raw_attendance.sql: ingest keeps each raw table unique
// by school + key (there is no key constraint); the data tests find a key that occurs twice (the
// register marks in a test of their own, run by week in a refresh). The register marks are first
// checked a pupil and calendar year at a time (one bit per day of the year and session), and only
// the pupils that may repeat a key are grouped by the key: these check that every duplicate still
// comes out, spelled as its key, wherever its bit lies, and that marks sharing a bit without
// sharing a key (sessions other than AM and PM) are not called duplicates.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRawSchema } from '../../data-loaders/raw-schema.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { insertRaw } from '../helpers/raw-rows.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const KEYS_SQL = readFileSync(fileURLToPath(new URL('../../sql/tests/unique_raw_keys.sql', import.meta.url)), 'utf-8');
// Run whole, as the runner runs it whole: raw.<table>__all_rows is every row of raw.<table>
// (src/models/run-models.ts, runDataTests; its run by week: test/models/data-tests-incremental.test.ts).
const DATED_SQL = readFileSync(fileURLToPath(new URL('../../sql/tests/unique_raw_dated_keys.sql', import.meta.url)), 'utf-8').replace(/raw\.(\w+)__all_rows/g, 'raw.$1');
const TEST_SQL = readFileSync(fileURLToPath(new URL('../../sql/tests/unique_raw_attendance.sql', import.meta.url)), 'utf-8');

describe('data tests unique_raw_keys and unique_raw_attendance', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    await ensureRawSchema(warehouse.connection);
  });
  afterAll(() => warehouse?.close());

  const insertMark = (student: string, date: string, session: string, code: string) =>
    insertRaw(
      warehouse.connection,
      'attendance',
      `SELECT 'urn1' AS school_id, '${student}' AS student_id, DATE '${date}' AS date, '${session}' AS session, '${code}' AS code`,
    );

  it('passes when every key occurs once, and names the one register mark that occurs twice', async () => {
    await insertMark('S1', '2025-09-08', 'AM', '/');
    await insertMark('S1', '2025-09-08', 'PM', '\\');
    await insertMark('S2', '2025-09-08', 'AM', '/');
    expect(await queryRows(warehouse.connection, TEST_SQL)).toEqual([]);
    await insertMark('S1', '2025-09-08', 'PM', 'N');
    const failing = await queryRows<{ record_type: string; school_id: string; record_key: string; n: bigint }>(warehouse.connection, TEST_SQL);
    expect(failing).toEqual([{ record_type: 'attendance', school_id: 'urn1', record_key: 'S1 2025-09-08 PM', n: 2n }]);
    await warehouse.connection.run(`DELETE FROM raw_rows.attendance`);
  });

  it('finds a repeated mark on the first and last day of a (leap) year, and only those', async () => {
    // 1 January AM is the first bit of a pupil's calendar year, 31 December of a leap year PM the last.
    for (const [date, session] of [['2024-01-01', 'AM'], ['2024-01-01', 'PM'], ['2024-12-31', 'AM'], ['2024-12-31', 'PM'], ['2025-01-01', 'AM'], ['2023-12-31', 'PM']]) {
      await insertMark('S3', date, session, '/');
    }
    expect(await queryRows(warehouse.connection, TEST_SQL)).toEqual([]);
    await insertMark('S3', '2024-01-01', 'AM', 'N');
    await insertMark('S3', '2024-12-31', 'PM', 'N');
    const failing = await queryRows<{ record_key: string }>(warehouse.connection, `SELECT record_key FROM (${TEST_SQL}) ORDER BY 1`);
    expect(failing.map((r) => r.record_key)).toEqual(['S3 2024-01-01 AM', 'S3 2024-12-31 PM']);
    await warehouse.connection.run(`DELETE FROM raw_rows.attendance`);
  });

  it('decides on the key itself for sessions other than AM and PM: two such sessions a day are two keys, one twice is a duplicate', async () => {
    await insertMark('S4', '2025-09-08', 'AM', '/');
    await insertMark('S4', '2025-09-08', 'X1', '/');
    await insertMark('S4', '2025-09-08', 'X2', '/');
    expect(await queryRows(warehouse.connection, TEST_SQL)).toEqual([]);
    await insertMark('S4', '2025-09-08', 'X2', 'N');
    const failing = await queryRows<{ record_key: string; n: bigint }>(warehouse.connection, TEST_SQL);
    expect(failing.map((r) => [r.record_key, r.n])).toEqual([['S4 2025-09-08 X2', 2n]]);
    await warehouse.connection.run(`DELETE FROM raw_rows.attendance`);
  });

  it('names a repeated key of the dated record types (unique_raw_dated_keys), not the register marks', async () => {
    const event = (id: string, student: string) =>
      insertRaw(warehouse.connection, 'behaviour', `SELECT 'urn1' AS school_id, '${id}' AS event_id, '${student}' AS student_id, DATE '2025-09-08' AS date`);
    await event('E1', 'S1');
    await event('E1', 'S2');
    await insertMark('S5', '2025-09-08', 'AM', '/');
    await insertMark('S5', '2025-09-08', 'AM', 'N');
    expect(await queryRows(warehouse.connection, DATED_SQL)).toEqual([]);
    await event('E1', 'S1');
    const failing = await queryRows<{ record_type: string; record_key: string; n: bigint }>(warehouse.connection, DATED_SQL);
    expect(failing).toEqual([{ record_type: 'behaviour', school_id: 'urn1', record_key: 'E1 S1', n: 2n }]);
    expect((await queryRows<{ record_key: string }>(warehouse.connection, TEST_SQL)).map((r) => r.record_key)).toEqual(['S5 2025-09-08 AM']);
    await warehouse.connection.run(`DELETE FROM raw_rows.attendance`);
    await warehouse.connection.run(`DELETE FROM raw_rows.behaviour`);
  });

  it('names a repeated key of the undated record types (unique_raw_keys): a pupil in a year, a term, a period', async () => {
    const pupil = () => insertRaw(warehouse.connection, 'students', `SELECT 'urn1' AS school_id, 'S1' AS student_id, '2025/26' AS academic_year`);
    await pupil();
    await insertRaw(warehouse.connection, 'students', `SELECT 'urn1' AS school_id, 'S1' AS student_id, '2024/25' AS academic_year`);
    expect(await queryRows(warehouse.connection, KEYS_SQL)).toEqual([]);
    await pupil();
    expect(await queryRows(warehouse.connection, KEYS_SQL)).toEqual([{ record_type: 'students', school_id: 'urn1', record_key: 'S1 2025/26', n: 2n }]);
    await warehouse.connection.run(`DELETE FROM raw_rows.students`);
  });

  it('names each dated record type\'s repeated key, the two rows in different weeks', async () => {
    const rows: Array<[string, string]> = [
      ['bsc', `SELECT 'urn1' AS school_id, 'R1' AS referral_id, 'S1' AS student_id, DATE '2025-09-08' + (7 * i)::INTEGER AS date FROM range(2) t(i)`],
      ['detentions', `SELECT 'urn1' AS school_id, 'D1' AS detention_id, 'S1' AS student_id, DATE '2025-09-08' + (7 * i)::INTEGER AS date FROM range(2) t(i)`],
      ['interventions', `SELECT 'urn1' AS school_id, 'I1' AS intervention_id, 'S1' AS student_id, DATE '2025-09-08' + (7 * i)::INTEGER AS start_date FROM range(2) t(i)`],
      ['suspensions', `SELECT 'urn1' AS school_id, 'X1' AS suspension_id, 'S1' AS student_id, DATE '2025-09-08' + (7 * i)::INTEGER AS start_date FROM range(2) t(i)`],
      ['contacts', `SELECT 'urn1' AS school_id, 'C1' AS contact_id, 'S1' AS student_id, DATE '2025-09-08' + (7 * i)::INTEGER AS date FROM range(2) t(i)`],
    ];
    for (const [table, select] of rows) await insertRaw(warehouse.connection, table, select);
    const failing = await queryRows<{ record_type: string; record_key: string; n: bigint }>(warehouse.connection, `SELECT * FROM (${DATED_SQL}) ORDER BY 1`);
    expect(failing.map((r) => [r.record_type, r.record_key, r.n])).toEqual([
      ['bsc', 'R1', 2n], ['contacts', 'C1', 2n], ['detentions', 'D1', 2n], ['interventions', 'I1 S1', 2n], ['suspensions', 'X1', 2n],
    ]);
    for (const [table] of rows) await warehouse.connection.run(`DELETE FROM raw_rows.${table}`);
  });
});
