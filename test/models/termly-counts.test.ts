import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { modelledExports } from '../helpers/school-builder.ts';
import { fixture } from '../helpers/warehouse.ts';

/*
 * The termly report's counts on the tiny hand-made school (test/fixtures/tiny-school), Autumn
 * 2025/26, worked by hand (see mart-yeargroup-week.test.ts for the week-by-week working):
 *   pupils on roll A, B, C (Year 9), D, E (Year 10) = 5; pupil-weeks 2 + 3 + 2 + 1 = 8.
 *   negative events E1 E2 E4 E5 E6 = 5 → 5 × 100 ÷ 8 = 62.5 per 100 pupils per week.
 *   possible sessions 20 + 24 + 16 + 8 = 68; absent A (I, I), B (O), C (E, E) = 5 → 7.4%;
 *   authorised 4, unauthorised 1. Persistent absence: A 2/18, C 2/8 ≥ 10%, B 1/18 not → 2 of 5.
 *   BSC: R1 → 1 placement, 1 pupil. Suspensions: S1 → 1.
 * Then the report: 5 pupils and 5 events are shown; everything else is a count below 5, hidden.
 */
describe('mart_termly_counts and mart_termly_report on the tiny school', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await modelledExports([fixture('tiny-school')]);
  });
  afterAll(() => warehouse?.close());

  it('counts the term by hand', async () => {
    const rows = await queryRows(
      warehouse.connection,
      `SELECT measure, count, base, pupils FROM mart_termly_counts
       WHERE term = 'Autumn' AND period = 'term' AND breakdown = 'school' AND measure IN
         ('pupils_on_roll', 'negative_per_100_per_week', 'absence_pct', 'authorised_absence_pct', 'unauthorised_absence_pct',
          'persistent_absence_pct', 'bsc_placements', 'suspensions')
       ORDER BY measure_order`,
    );
    expect(rows).toEqual([
      { measure: 'pupils_on_roll', count: 5, base: null, pupils: 5 },
      { measure: 'negative_per_100_per_week', count: 5, base: 8, pupils: 5 },
      { measure: 'absence_pct', count: 5, base: 68, pupils: 5 },
      { measure: 'authorised_absence_pct', count: 4, base: 68, pupils: 5 },
      { measure: 'unauthorised_absence_pct', count: 1, base: 68, pupils: 5 },
      { measure: 'persistent_absence_pct', count: 2, base: 5, pupils: 5 },
      { measure: 'bsc_placements', count: 1, base: 5, pupils: 5 },
      { measure: 'suspensions', count: 1, base: 5, pupils: 5 },
    ]);
  });

  it('shows only what rests on 5 or more, and hides the rest', async () => {
    const shown = await queryRows(
      warehouse.connection,
      `SELECT measure, label, count, value FROM mart_termly_report
       WHERE period = 'term' AND week_start IS NULL AND NOT suppressed ORDER BY measure_order, label`,
    );
    expect(shown).toEqual([
      { measure: 'pupils_on_roll', label: 'All', count: 5, value: 5 },
      { measure: 'negative_per_100_per_week', label: 'All', count: 5, value: 62.5 },
      { measure: 'absence_pct', label: 'All', count: 5, value: 7.4 },
    ]);
  });

  it('gives the pages no pupil-level column', async () => {
    for (const mart of ['mart_termly_report', 'mart_termly_intervention_impact']) {
      const columns = (await queryRows<{ column_name: string }>(warehouse.connection, `DESCRIBE ${mart}`)).map((c) => c.column_name);
      expect(columns.filter((c) => /student|pupil_id|upn|name|form|comment|note|staff/i.test(c))).toEqual([]);
    }
  });
});
