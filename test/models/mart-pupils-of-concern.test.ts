import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * Six school weeks across the Christmas break: W1–W4 from 24 Nov 2025 (Autumn), W5–W6 from
 * 5 Jan 2026 (Spring). P's negative events a week: 0, 1, 2, 0, 3, 2 (none serious); BSC
 * placements in W3 and W5; a detention missed in W4 and one in W5. P is a pupil of concern in W3
 * (2 events and a placement), W5 (3) and W6 (2), never in W1, W2 or W4 (fewer than 2 events, no
 * placement). By hand:
 *   W3: previous weeks 0, 1 → mean 0.5; 2 ≥ 0.5 + 2? no → not rising; sparkline 0,1,2; this
 *       term: 1 placement, 0 detentions missed.
 *   W5: previous 4 weeks 0, 1, 2, 0 → 0.75 (0.8 rounded); 3 ≥ 2.75 → rising; sparkline 0,1,2,0,3;
 *       this term (Spring, W5 only): 1 placement (W3's is last term), 1 detention missed (W4's too).
 *   W6: previous 4 weeks 1, 2, 0, 3 → 1.5; 2 ≥ 3.5? no; sparkline 0,1,2,0,3,2; term: 1 and 1.
 * Every session attended → 100% for the year so far. Z is fine throughout and never listed.
 */
describe('mart_pupils_of_concern', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const days = weekdays('2025-11-24', '2026-01-16', weekdays('2025-12-22', '2026-01-02'));
    const w = (n: number) => days.slice((n - 1) * 5, n * 5);
    const events = [0, 1, 2, 0, 3, 2];
    warehouse = await modelledSchool({
      students: ['P', 'Z'].map((id) => ({ student_id: id, first_name: id, year_group: 9 })),
      attendance: registers(['P', 'Z'], days),
      behaviour: events.flatMap((count, i) =>
        Array.from({ length: count }, (_, k) => ({ event_id: `P${i + 1}${k}`, student_id: 'P', date: w(i + 1)[k], category: 'Defiance', points: -2 })),
      ),
      bsc: [3, 5].map((n) => ({
        referral_id: `B${n}`, student_id: 'P', date: w(n)[1], reason: 'Disruption', booklet: 'completed', conduct: 'good', outcome: 'completed', parent_contacted: 'N',
      })),
      detentions: [4, 5].map((n) => ({ detention_id: `D${n}`, student_id: 'P', date: w(n)[3], status: 'missed' })),
    });
  });
  afterAll(() => warehouse?.close());

  it('works out the previous weeks, the sparkline and the term so far across a term boundary', async () => {
    expect(
      await rows(
        warehouse,
        `SELECT strftime(week_start, '%Y-%m-%d') AS week, student_id, concern_rank, negative_events, bsc_placements,
           negative_events_prev_4wk_avg, rising, recent_negative_events, bsc_placements_term, detentions_missed_term, attendance_pct_ytd
         FROM mart_pupils_of_concern ORDER BY week_start, concern_rank`,
      ),
    ).toEqual([
      { week: '2025-12-08', student_id: 'P', concern_rank: 1, negative_events: 2, bsc_placements: 1, negative_events_prev_4wk_avg: 0.5, rising: false,
        recent_negative_events: '0,1,2', bsc_placements_term: 1, detentions_missed_term: 0, attendance_pct_ytd: 100 },
      { week: '2026-01-05', student_id: 'P', concern_rank: 1, negative_events: 3, bsc_placements: 1, negative_events_prev_4wk_avg: 0.8, rising: true,
        recent_negative_events: '0,1,2,0,3', bsc_placements_term: 1, detentions_missed_term: 1, attendance_pct_ytd: 100 },
      { week: '2026-01-12', student_id: 'P', concern_rank: 1, negative_events: 2, bsc_placements: 0, negative_events_prev_4wk_avg: 1.5, rising: false,
        recent_negative_events: '0,1,2,0,3,2', bsc_placements_term: 1, detentions_missed_term: 1, attendance_pct_ytd: 100 },
    ]);
  });
});
