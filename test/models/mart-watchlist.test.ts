import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { mark, modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * Nine school weeks from 8 Sep 2025. W has no negative events until week 7, then 2 a week:
 *   week 7: last 3 weeks 2/3 = 0.67 a week, not ≥ baseline 0 + 1 → not rising;
 *   week 8: 4/3 = 1.33 ≥ 1 → rising (score 3 + 1 for no active intervention = 4), new on the list;
 *   week 9: 6/3 = 2 → still rising, no longer new.
 * V was off (O) all of week 1 (10 of 80 sessions by week 8 → 87.5%, under 93%: 1 point) and missed
 *   two detentions in week 8 (1 point): 2 points of concern → listed in weeks 8–9, score 2 + 1 = 3.
 * Q missed the same two detentions but attends: 1 point of concern alone is not enough → never listed.
 * Z is fine throughout and never listed.
 */
describe('mart_watchlist', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const days = weekdays('2025-09-08', '2025-11-14', weekdays('2025-10-27', '2025-10-31'));
    const w = (n: number) => days.slice((n - 1) * 5, n * 5);
    warehouse = await modelledSchool({
      students: ['W', 'V', 'Q', 'Z'].map((id) => ({ student_id: id, first_name: id, year_group: 8 })),
      attendance: registers(['W', 'V', 'Q', 'Z'], days, mark('V', w(1), 'O')),
      behaviour: [7, 8, 9].flatMap((n) => [0, 1].map((i) => ({ event_id: `W${n}${i}`, student_id: 'W', date: w(n)[i], category: 'Defiance', points: -2 }))),
      detentions: [
        { detention_id: 'D1', student_id: 'Q', date: w(8)[0], status: 'missed' },
        { detention_id: 'D2', student_id: 'Q', date: w(8)[2], status: 'missed' },
        { detention_id: 'D3', student_id: 'V', date: w(8)[0], status: 'missed' },
        { detention_id: 'D4', student_id: 'V', date: w(8)[2], status: 'missed' },
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it('lists pupils with the reasons that put them there, ranked, marking who is new', async () => {
    const list = await rows(
      warehouse,
      `SELECT strftime(as_of_week, '%Y-%m-%d') AS week, rank, score, student_id, reasons_text, is_new, recent_negative_per_week
       FROM mart_watchlist ORDER BY as_of_week, rank`,
    );
    expect(list).toEqual([
      { week: '2025-11-03', rank: 1, score: 4, student_id: 'W', reasons_text: 'Negative behaviour rising against own baseline; No active intervention', is_new: true, recent_negative_per_week: 1.33 },
      { week: '2025-11-03', rank: 2, score: 3, student_id: 'V', reasons_text: 'Attendance below 93% this year; 2+ detentions missed in 4 weeks; No active intervention', is_new: true, recent_negative_per_week: 0 },
      { week: '2025-11-10', rank: 1, score: 4, student_id: 'W', reasons_text: 'Negative behaviour rising against own baseline; No active intervention', is_new: false, recent_negative_per_week: 2 },
      { week: '2025-11-10', rank: 2, score: 3, student_id: 'V', reasons_text: 'Attendance below 93% this year; 2+ detentions missed in 4 weeks; No active intervention', is_new: false, recent_negative_per_week: 0 },
    ]);
  });
});
