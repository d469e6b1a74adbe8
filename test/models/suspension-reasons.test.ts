// DfE suspension reasons are written twice, each for its reader: the SQL reference the marts
// use (sql/staging/ref_suspension_reasons.sql) and the words the pupil page shows
// (reports/components/suspension-reasons.js). They must agree code for code and word for word,
// and cover DfE's list (DOMAIN.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DFE_REASONS } from '../../reports/components/suspension-reasons.js';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const REF_SQL = fileURLToPath(new URL('../../sql/staging/ref_suspension_reasons.sql', import.meta.url));

describe('DfE suspension reasons: the SQL reference and the page agree', () => {
  let warehouse: Warehouse;
  let ref: Array<{ reason: string; description: string }>;
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    ref = await queryRows(warehouse.connection, `SELECT reason, description FROM (${readFileSync(REF_SQL, 'utf-8')}) ORDER BY reason`);
  });
  afterAll(() => warehouse?.close());

  it('have the same codes and the same words', () => {
    expect(Object.fromEntries(ref.map((r) => [r.reason, r.description]))).toEqual({ ...DFE_REASONS });
  });

  it("cover DfE's sixteen codes, each once", () => {
    expect(ref.map((r) => r.reason)).toEqual(['BU', 'DA', 'DM', 'DS', 'LG', 'MT', 'OT', 'OW', 'PA', 'PD', 'PP', 'RA', 'SM', 'TH', 'VA', 'VP']);
  });
});
