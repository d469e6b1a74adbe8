// The attendance codes are written in two places, each for its reader: the import contract
// (data-loaders/contract.ts: what ingest accepts, and how a retired code is read) and the SQL
// reference the models classify marks by (sql/staging/ref_attendance_codes.sql). They must
// agree code for code and class for class.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENDANCE_CODES, ATTENDANCE_CODES_BY_CLASS, RETIRED_ATTENDANCE, RETIRED_ATTENDANCE_CODES } from '../../data-loaders/contract.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const REF_SQL = fileURLToPath(new URL('../../sql/staging/ref_attendance_codes.sql', import.meta.url));

interface RefRow {
  code: string;
  class: string;
  is_retired: boolean;
}

const byCode = (rows: Array<[string, string]>) => Object.fromEntries([...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

describe('attendance codes: the contract and the SQL reference agree', () => {
  let warehouse: Warehouse;
  let ref: RefRow[];
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    ref = await queryRows<RefRow>(warehouse.connection, `SELECT code, class, is_retired FROM (${readFileSync(REF_SQL, 'utf-8')})`);
  });
  afterAll(() => warehouse?.close());

  it('lists each code once, on each side', () => {
    const contract = [...ATTENDANCE_CODES, ...RETIRED_ATTENDANCE_CODES];
    expect(new Set(contract).size).toBe(contract.length);
    expect(new Set(ref.map((r) => r.code)).size).toBe(ref.length);
  });

  it('has the same current codes with the same classes', () => {
    const contract = Object.entries(ATTENDANCE_CODES_BY_CLASS).flatMap(([cls, codes]) => codes.map((code): [string, string] => [code, cls]));
    const sql = ref.filter((r) => !r.is_retired).map((r): [string, string] => [r.code, r.class]);
    expect(byCode(sql)).toEqual(byCode(contract));
  });

  it('has the same retired codes, read as the same classes', () => {
    const contract = Object.entries(RETIRED_ATTENDANCE).map(([code, r]): [string, string] => [code, r.class]);
    const sql = ref.filter((r) => r.is_retired).map((r): [string, string] => [r.code, r.class]);
    expect(byCode(sql)).toEqual(byCode(contract));
  });

  it('matches the DfE table in DOMAIN terms for a few codes by hand', () => {
    const classOf = Object.fromEntries(ref.map((r) => [r.code, r.class]));
    expect([classOf['/'], classOf['\\'], classOf.L, classOf.B, classOf.J1, classOf.U, classOf['#'], classOf.Y7, classOf.H, classOf.Y]).toEqual([
      'present', 'present', 'present', 'approved', 'authorised', 'unauthorised', 'not_possible', 'not_possible', 'authorised', 'not_possible',
    ]);
  });
});
