import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { mark, modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * Nine school weeks from 8 Sep 2025 (half-term week 27 Oct left out). W has no negative events
 * until week 7, then 2 a week (no severity, so none serious):
 *   week 7: last 3 weeks 2/3 = 0.67 a week, not ≥ baseline 0 + 1 → not rising; but W is the only
 *     pupil with a risk score above 0: 2 (last 3 weeks) + ½ × 0 (3 weeks before) + 3 × 2/7 (per
 *     week this year) = 2.857 → 2.86, top 20 → listed, new;
 *   week 8: 4/3 = 1.33 ≥ 1 → rising; risk 4 + 0 + 3 × 4/8 = 5.5; listed the week before → not new;
 *   week 9: 6/3 = 2 → still rising; risk 6 + ½ × 0 + 3 × 6/9 = 8.
 * V was off (O) all of week 1 (10 of 80 sessions by week 8 → 87.5%, under 93%: 1 point) and missed
 *   two detentions in week 8 (1 point): 2 points of concern → listed in weeks 8–9 with risk 0,
 *   so ranked after W. No active intervention is a reason, not a point.
 * Q missed the same two detentions but attends: 1 point of concern alone is not enough, and a
 *   risk score of 0 is never "top 20" → never listed. Z is fine throughout and never listed.
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
      { week: '2025-10-20', rank: 1, score: 2.86, student_id: 'W', reasons_text: 'Top 20 risk score in the school; No active intervention', is_new: true, recent_negative_per_week: 0.67 },
      { week: '2025-11-03', rank: 1, score: 5.5, student_id: 'W', reasons_text: 'Top 20 risk score in the school; Negative behaviour rising against own baseline; No active intervention', is_new: false, recent_negative_per_week: 1.33 },
      { week: '2025-11-03', rank: 2, score: 0, student_id: 'V', reasons_text: 'Attendance below 93% this year; 2+ detentions missed in 4 weeks; No active intervention', is_new: true, recent_negative_per_week: 0 },
      { week: '2025-11-10', rank: 1, score: 8, student_id: 'W', reasons_text: 'Top 20 risk score in the school; Negative behaviour rising against own baseline; No active intervention', is_new: false, recent_negative_per_week: 2 },
      { week: '2025-11-10', rank: 2, score: 0, student_id: 'V', reasons_text: 'Attendance below 93% this year; 2+ detentions missed in 4 weeks; No active intervention', is_new: false, recent_negative_per_week: 0 },
    ]);
  });
});
