// sql/tests/accepted_values_int_pupil_records.sql and unique_int_pupil_records.sql on hand-made
// rows: every record of the pupil timeline is of a known kind, and its id occurs once per kind
// (behaviour events and interventions once per pupil). The ids are grouped by a hash first, so
// these check that a repeated id still comes out, with its key, and that an id shared only where
// it may be is not.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const testSql = (name: string) => readFileSync(fileURLToPath(new URL(`../../sql/tests/${name}.sql`, import.meta.url)), 'utf-8');
const KINDS = testSql('accepted_values_int_pupil_records');
const UNIQUE = testSql('unique_int_pupil_records');

describe('data tests accepted_values_int_pupil_records and unique_int_pupil_records', () => {
  let warehouse: Warehouse;
  const failing = () =>
    queryRows<{ school_id: string; kind: string; record_id: string | null; test: string }>(
      warehouse.connection,
      `SELECT school_id, kind, record_id, 'kind' AS test FROM (${KINDS}) UNION ALL SELECT school_id, kind, record_id, 'unique' FROM (${UNIQUE}) ORDER BY ALL`,
    );
  const add = (school: string, student: string, kind: string, record: string | null) =>
    warehouse.connection.run(`INSERT INTO int_pupil_records VALUES ('${school}', '${student}', '${kind}', ${record === null ? 'NULL' : `'${record}'`})`);

  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    await warehouse.connection.run('CREATE TABLE int_pupil_records (school_id VARCHAR, student_id VARCHAR, kind VARCHAR, record_id VARCHAR)');
  });
  afterAll(() => warehouse?.close());

  it('passes ids shared where they may be: one incident of two pupils, the same id in two schools or of two kinds, the weeks', async () => {
    await add('s1', 'P1', 'behaviour', 'E1');
    await add('s1', 'P2', 'behaviour', 'E1');
    await add('s1', 'P1', 'intervention', 'I1');
    await add('s1', 'P2', 'intervention', 'I1');
    await add('s1', 'P1', 'contact', 'E1');
    await add('s2', 'P1', 'contact', 'C1');
    await add('s1', 'P1', 'contact', 'C1');
    await add('s1', 'P1', 'attendance_week', null);
    await add('s1', 'P1', 'attendance_week', null);
    expect(await failing()).toEqual([]);
  });

  it('finds an id repeated within a kind (per pupil for behaviour), an unknown kind', async () => {
    await add('s1', 'P1', 'behaviour', 'E1');
    await add('s1', 'P2', 'detention', 'D1');
    await add('s1', 'P1', 'detention', 'D1');
    await add('s2', 'P1', 'letter', 'L1');
    expect(await failing()).toEqual([
      { school_id: 's1', kind: 'behaviour', record_id: 'E1', test: 'unique' },
      { school_id: 's1', kind: 'detention', record_id: 'D1', test: 'unique' },
      { school_id: 's2', kind: 'letter', record_id: 'L1', test: 'kind' },
    ]);
  });
});
