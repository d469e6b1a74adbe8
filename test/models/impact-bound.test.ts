// The impact marts' interval bounds (impact_bound, sql/macros/impact.sql), hand-computed. The
// termly report (mart_termly_intervention_impact) gives its verdict from the unrounded interval
// and rounded the bounds to 1 decimal (attendance) or 2 (negative events): an attendance interval
// of +0.04 to +4.63 points said "better attendance than similar pupils" beside "0.0 to +4.6",
// which reads as including 0. A bound that is not 0 now keeps its first significant digit.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

describe('impact_bound', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    await warehouse.connection.run(readFileSync(new URL('../../sql/macros/impact.sql', import.meta.url), 'utf-8'));
  });
  afterAll(() => warehouse?.close());

  it('rounds a bound to the given decimals, but never a bound that is not 0 to 0', async () => {
    const [r] = await queryRows(
      warehouse.connection,
      `SELECT impact_bound(4.63::DOUBLE, 1) AS high, impact_bound(0.04::DOUBLE, 1) AS low_above_0,
              impact_bound(-0.003::DOUBLE, 2) AS high_below_0, impact_bound(0.0496::DOUBLE, 1) AS two_digits_to_one,
              impact_bound(0.05::DOUBLE, 1) AS rounds_up, impact_bound(-0.0004::DOUBLE, 3) AS thousandths,
              impact_bound(0::DOUBLE, 1) AS zero, impact_bound(NULL::DOUBLE, 1) AS none`,
    );
    // 0.0496 keeps its first significant digit, rounded: 0.05. 0.05 at 1 decimal is 0.1 already.
    expect(r).toEqual({ high: 4.6, low_above_0: 0.04, high_below_0: -0.003, two_digits_to_one: 0.05, rounds_up: 0.1, thousandths: -0.0004, zero: 0, none: null });
  });
});
