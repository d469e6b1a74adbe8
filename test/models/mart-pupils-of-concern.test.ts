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

/*
 * The previous 4 weeks across academic years, two weeks of each of three years: 8 and 15 July
 * 2024 (2023/24), 7 and 14 July 2025 (2024/25), 1 and 8 September 2025 (2025/26). Negative
 * events a week: Q (on roll from 2024/25) 1, 3, then 2, 4; R (on roll in 2023/24, off roll all
 * of 2024/25, back in 2025/26) 5, 5, then 2, 0. By hand:
 *   R, 8 Jul 2024: no weeks before → no mean; 5 ≥ 0 + 2 → rising. 15 Jul: mean 5.
 *   Q, 14 Jul 2025: mean 1 (Q had no earlier week); 3 ≥ 3 → rising (7 Jul: 1 event, not listed).
 *   1 Sep 2025: Q's weeks before are the year before's, 1 and 3 → mean 2, not rising. R's last
 *       weeks on roll are two years back, beyond the year before → no mean (over 5 and 5 it would
 *       be 5); 2 ≥ 0 + 2 → rising; R ranks first (same events and points, a larger rise).
 *   8 Sep 2025: Q's 4 weeks before are 2, then 1 and 3 → 2; 4 ≥ 4 → rising. The sparkline is
 *       this year's weeks only: 2,4.
 */
describe('mart_pupils_of_concern across academic years', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const y1 = weekdays('2024-07-08', '2024-07-19');
    const y2 = weekdays('2025-07-07', '2025-07-18');
    const y3 = weekdays('2025-09-01', '2025-09-12');
    const weeks = [y1.slice(0, 5), y1.slice(5), y2.slice(0, 5), y2.slice(5), y3.slice(0, 5), y3.slice(5)];
    const counts: Record<string, number[]> = { Q: [0, 0, 1, 3, 2, 4], R: [5, 5, 0, 0, 2, 0] };
    warehouse = await modelledSchool({
      // One row per pupil and year on roll (the export's academic_year): R has none for 2024/25.
      students: [
        ...['R', 'Z'].map((id) => ({ student_id: id, first_name: id, academic_year: '2023/24', year_group: 7 })),
        ...['Q', 'Z'].map((id) => ({ student_id: id, first_name: id, academic_year: '2024/25', year_group: 8 })),
        ...['Q', 'R', 'Z'].map((id) => ({ student_id: id, first_name: id, academic_year: '2025/26', year_group: 9 })),
      ],
      attendance: [...registers(['Q'], [...y2, ...y3]), ...registers(['R'], [...y1, ...y3]), ...registers(['Z'], [...y1, ...y2, ...y3])],
      behaviour: Object.entries(counts).flatMap(([pupil, perWeek]) =>
        perWeek.flatMap((count, i) =>
          Array.from({ length: count }, (_, k) => ({ event_id: `${pupil}${i}${k}`, student_id: pupil, date: weeks[i][k], category: 'Defiance', points: -2 })),
        ),
      ),
    });
  });
  afterAll(() => warehouse?.close());

  it('reaches back into the year before for the mean, and no further', async () => {
    expect(
      await rows(
        warehouse,
        `SELECT strftime(week_start, '%Y-%m-%d') AS week, student_id, concern_rank, negative_events, negative_events_prev_4wk_avg, rising, recent_negative_events
         FROM mart_pupils_of_concern ORDER BY week_start, concern_rank`,
      ),
    ).toEqual([
      { week: '2024-07-08', student_id: 'R', concern_rank: 1, negative_events: 5, negative_events_prev_4wk_avg: null, rising: true, recent_negative_events: '5' },
      { week: '2024-07-15', student_id: 'R', concern_rank: 1, negative_events: 5, negative_events_prev_4wk_avg: 5, rising: false, recent_negative_events: '5,5' },
      { week: '2025-07-14', student_id: 'Q', concern_rank: 1, negative_events: 3, negative_events_prev_4wk_avg: 1, rising: true, recent_negative_events: '1,3' },
      { week: '2025-09-01', student_id: 'R', concern_rank: 1, negative_events: 2, negative_events_prev_4wk_avg: null, rising: true, recent_negative_events: '2' },
      { week: '2025-09-01', student_id: 'Q', concern_rank: 2, negative_events: 2, negative_events_prev_4wk_avg: 2, rising: false, recent_negative_events: '2' },
      { week: '2025-09-08', student_id: 'Q', concern_rank: 1, negative_events: 4, negative_events_prev_4wk_avg: 2, rising: true, recent_negative_events: '2,4' },
    ]);
  });
});
