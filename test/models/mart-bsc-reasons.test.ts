import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * 19 placements, 13 reasons, in the Autumn term 2025 (pupils A–R, all Year 9 but C in Year 8):
 *   Defiance 5: A on 8 and 9 Sep (the second a repeat), B, C and D on 8 Sep → 4 first, 1 repeat.
 *   Truancy 2 (E, F on 9 Sep), Vaping 2 (G, H on 10 Sep): a tie, Truancy placed first → ranks 2, 3.
 *   S01–S10 on 11 Sep, one pupil each (I–R): S01 has no reason ('Not recorded'), the others
 *   reasons 02–10 → ranks 4–13 by id.
 * 13 reasons > 12: the first 11 are kept (Defiance … reason 08), ranks 12 and 13 (reasons 09, 10)
 * are one row 'Other reasons (2)' with 2 placements. Rows add up to 19.
 * Year 8: C's one Defiance placement (a first placement).
 * Trust: only Defiance has 5 or more placements in the school; every other typed reason is
 * 'Other' (2 + 2 + 9 = 13), the blank one stays 'Not recorded' (1).
 */
describe('mart_bsc_reasons', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const pupils = 'ABCDEFGHIJKLMNOPQR'.split('');
    const days = weekdays('2025-09-08', '2025-09-26');
    const bsc = (id: string, student: string, date: string, reason: string) => ({ referral_id: id, student_id: student, date, reason });
    const singles = pupils.slice(8).map((p, i) => {
      const n = String(i + 1).padStart(2, '0');
      return bsc(`S${n}`, p, '2025-09-11', i === 0 ? '' : `Reason ${n}`);
    });
    warehouse = await modelledSchool({
      students: pupils.map((id) => ({ student_id: id, year_group: id === 'C' ? 8 : 9 })),
      attendance: registers(pupils, days),
      bsc: [
        bsc('D1', 'A', '2025-09-08', 'Defiance'),
        bsc('D2', 'A', '2025-09-09', 'Defiance'),
        bsc('D3', 'B', '2025-09-08', 'Defiance'),
        bsc('D4', 'C', '2025-09-08', 'Defiance'),
        bsc('D5', 'D', '2025-09-08', 'Defiance'),
        bsc('T1', 'E', '2025-09-09', 'Truancy'),
        bsc('T2', 'F', '2025-09-09', 'Truancy'),
        bsc('V1', 'G', '2025-09-10', 'Vaping'),
        bsc('V2', 'H', '2025-09-10', 'Vaping'),
        ...singles,
      ],
    });
  });
  afterAll(() => warehouse?.close());

  const reasons = (where: string) =>
    rows(warehouse, `SELECT reason, reason_order, placements, first_placements, repeat_placements FROM mart_bsc_reasons WHERE ${where} ORDER BY reason_order`);

  it('ranks the reasons, splits first placements from repeats and folds the rest into one row beyond 12', async () => {
    const all = await reasons("audience = 'staff' AND term = 'All' AND year_group = 0");
    expect(all).toEqual([
      { reason: 'Defiance', reason_order: 1, placements: 5, first_placements: 4, repeat_placements: 1 },
      { reason: 'Truancy', reason_order: 2, placements: 2, first_placements: 2, repeat_placements: 0 },
      { reason: 'Vaping', reason_order: 3, placements: 2, first_placements: 2, repeat_placements: 0 },
      { reason: 'Not recorded', reason_order: 4, placements: 1, first_placements: 1, repeat_placements: 0 },
      ...[2, 3, 4, 5, 6, 7, 8].map((n) => ({ reason: `Reason 0${n}`, reason_order: n + 3, placements: 1, first_placements: 1, repeat_placements: 0 })),
      { reason: 'Other reasons (2)', reason_order: 12, placements: 2, first_placements: 2, repeat_placements: 0 },
    ]);
    expect(await reasons("audience = 'staff' AND term = 'Autumn' AND year_group = 0")).toEqual(all);
  });

  it('keeps each year group to its own placements', async () => {
    expect(await reasons("audience = 'staff' AND term = 'All' AND year_group = 8")).toEqual([
      { reason: 'Defiance', reason_order: 1, placements: 1, first_placements: 1, repeat_placements: 0 },
    ]);
  });

  it('counts the week of 8 Sep per year group in mart_bsc_weekly: 18 placements of Year 9, C alone in Year 8', async () => {
    expect(await rows(warehouse, 'SELECT year_group, placements, first_placed FROM mart_bsc_weekly ORDER BY year_group')).toEqual([
      { year_group: 8, placements: 1, first_placed: '2025-09-08 D4' },
      { year_group: 9, placements: 18, first_placed: '2025-09-08 D1' },
    ]);
  });

  it("gives the trust build 'Other' for a reason with fewer than 5 of the school's placements", async () => {
    expect(await reasons("audience = 'trust' AND term = 'All' AND year_group = 0")).toEqual([
      { reason: 'Other', reason_order: 1, placements: 13, first_placements: 13, repeat_placements: 0 },
      { reason: 'Defiance', reason_order: 2, placements: 5, first_placements: 4, repeat_placements: 1 },
      { reason: 'Not recorded', reason_order: 3, placements: 1, first_placements: 1, repeat_placements: 0 },
    ]);
  });
});
