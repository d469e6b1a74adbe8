import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { modelledExports } from '../helpers/school-builder.ts';
import { fixture } from '../helpers/warehouse.ts';

/*
 * The tiny school (test/fixtures/tiny-school), worked by hand:
 * Week 1 (w/c 8 Sep, 5 school days). Year 9 on roll: A, B (C is admitted 15 Sep) = 2.
 *   Possible sessions 2 × 10 = 20; A absent Mon (I, I), B absent Fri PM (O) → 17 attending = 85.00%.
 *   B is late (L) Tue AM: present. Negative events: E1 (A) = 1 → 1 × 100 / 2 = 50.00 per 100.
 *   Positive: E3 (B, +2). Detentions: D1 (attended) → set 1, missed 0.
 *   PA so far: A 2/10 = 20% absent, B 1/10 = 10% → both ≥ 10% → 2.
 * Week 2 (w/c 15 Sep, Monday closed → 4 school days). Year 9: A, B, C = 3 pupils.
 *   Possible 3 × 8 = 24; C suspended Thu (E, E) → 22 attending = 91.67%.
 *   Negative: E2 (A, −2), E4 (C, −3), E6 (B, −1) = 3 events, 6 points → 100.00 per 100.
 *   Last week 50.00; term average (50 + 100) / 2 = 75.00. Attendance term: 39/44 = 88.64%.
 *   BSC: R1 → 1. Detentions: D2 missed, D3 cancelled (not counted as set) → set 1, missed 1.
 *   Suspensions: S1 → 1. PA so far: A 2/18 = 11.1% yes; B 1/18 no; C 2/8 = 25% yes → 2.
 * Year 10, week 1: D and E (E leaves Wed 10 Sep, still on roll that week) = 2 pupils; E5 → 50.00.
 *   Possible: D 10 + E 6 = 16, all present → 100.00%. Week 2: D only = 1 pupil, no events → 0.
 */
describe('mart_yeargroup_week on the tiny hand-made school', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await modelledExports([fixture('tiny-school')]);
  });
  afterAll(() => warehouse?.close());

  it('matches the hand-computed figures exactly', async () => {
    const rows = await queryRows(
      warehouse.connection,
      `SELECT year_group, strftime(week_start, '%Y-%m-%d') AS week, week_number, term, pupils_on_roll, negative_events, positive_events,
         negative_points, positive_points, negative_per_100, negative_per_100_last_week, negative_per_100_term_avg,
         bsc_placements, detentions_set, detentions_missed, suspensions, possible_sessions, attending_sessions,
         attendance_pct, attendance_pct_term, pupils_persistently_absent, negative_per_100_last_year
       FROM mart_yeargroup_week ORDER BY year_group, week_start`,
    );
    expect(rows).toEqual([
      { year_group: 9, week: '2025-09-08', week_number: 1, term: 'Autumn', pupils_on_roll: 2, negative_events: 1, positive_events: 1,
        negative_points: 1, positive_points: 2, negative_per_100: 50, negative_per_100_last_week: null, negative_per_100_term_avg: 50,
        bsc_placements: 0, detentions_set: 1, detentions_missed: 0, suspensions: 0, possible_sessions: 20, attending_sessions: 17,
        attendance_pct: 85, attendance_pct_term: 85, pupils_persistently_absent: 2, negative_per_100_last_year: null },
      { year_group: 9, week: '2025-09-15', week_number: 2, term: 'Autumn', pupils_on_roll: 3, negative_events: 3, positive_events: 0,
        negative_points: 6, positive_points: 0, negative_per_100: 100, negative_per_100_last_week: 50, negative_per_100_term_avg: 75,
        bsc_placements: 1, detentions_set: 1, detentions_missed: 1, suspensions: 1, possible_sessions: 24, attending_sessions: 22,
        attendance_pct: 91.67, attendance_pct_term: 88.64, pupils_persistently_absent: 2, negative_per_100_last_year: null },
      { year_group: 10, week: '2025-09-08', week_number: 1, term: 'Autumn', pupils_on_roll: 2, negative_events: 1, positive_events: 0,
        negative_points: 1, positive_points: 0, negative_per_100: 50, negative_per_100_last_week: null, negative_per_100_term_avg: 50,
        bsc_placements: 0, detentions_set: 0, detentions_missed: 0, suspensions: 0, possible_sessions: 16, attending_sessions: 16,
        attendance_pct: 100, attendance_pct_term: 100, pupils_persistently_absent: 0, negative_per_100_last_year: null },
      { year_group: 10, week: '2025-09-15', week_number: 2, term: 'Autumn', pupils_on_roll: 1, negative_events: 0, positive_events: 0,
        negative_points: 0, positive_points: 0, negative_per_100: 0, negative_per_100_last_week: 50, negative_per_100_term_avg: 25,
        bsc_placements: 0, detentions_set: 0, detentions_missed: 0, suspensions: 0, possible_sessions: 8, attending_sessions: 8,
        attendance_pct: 100, attendance_pct_term: 100, pupils_persistently_absent: 0, negative_per_100_last_year: null },
    ]);
  });

  it('works out the weekly review\'s changes vs last week and the term (mart_weekly_review)', async () => {
    // Year 9, week 2 (4 school days): 100 − 50 = +50 per 100 vs last week, 100 − 75 = +25 vs the term average;
    //   per 100 per school day 100 × 3 / (3 × 4) = 25.00 against 100 × 1 / (2 × 5) = 10.00 (+15) and the
    //   term's 100 × 4 / 22 = 18.18 (+6.82); attendance 91.67 − 85 = +6.67 and − 88.64 = +3.03 points;
    //   BSC 1 − 0 = +1 (a day: 1/4 − 0 = +0.25); detentions missed 1 − 0 = +1 (+0.25 a day).
    // Year 10, week 2: 0 − 50 = −50 vs last week, 0 − 25 = −25 vs the term; attendance 100 − 100 = 0.
    // Week 1 has no last week: every change vs last week is null; vs the term it is 0.
    const rows = await queryRows(
      warehouse.connection,
      `SELECT year_group, week_number, negative_per_100_change_vs_last_week AS neg_lw, negative_per_100_change_vs_term_avg AS neg_term,
         round(negative_per_100_per_day_change_vs_last_week, 2) AS day_lw, round(negative_per_100_per_day_change_vs_term, 2) AS day_term,
         round(attendance_pct_change_vs_last_week, 2) AS att_lw, round(attendance_pct_change_vs_term, 2) AS att_term,
         bsc_placements_change_vs_last_week AS bsc_lw, round(bsc_placements_per_day_change_vs_last_week, 2) AS bsc_day_lw,
         detentions_missed_change_vs_last_week AS det_lw, round(detentions_missed_per_day_change_vs_last_week, 2) AS det_day_lw
       FROM mart_weekly_review ORDER BY year_group, week_start`,
    );
    const firstWeek = { neg_lw: null, day_lw: null, att_lw: null, bsc_lw: null, bsc_day_lw: null, det_lw: null, det_day_lw: null };
    expect(rows).toEqual([
      { year_group: 9, week_number: 1, ...firstWeek, neg_term: 0, day_term: 0, att_term: 0 },
      { year_group: 9, week_number: 2, neg_lw: 50, neg_term: 25, day_lw: 15, day_term: 6.82, att_lw: 6.67, att_term: 3.03, bsc_lw: 1, bsc_day_lw: 0.25, det_lw: 1, det_day_lw: 0.25 },
      { year_group: 10, week_number: 1, ...firstWeek, neg_term: 0, day_term: 0, att_term: 0 },
      { year_group: 10, week_number: 2, neg_lw: -50, neg_term: -25, day_lw: -10, day_term: -7.14, att_lw: 0, att_term: 0, bsc_lw: 0, bsc_day_lw: 0, det_lw: 0, det_day_lw: 0 },
    ]);
    // Every row of mart_yeargroup_week is there, once.
    const [{ missing }] = await queryRows<{ missing: number }>(
      warehouse.connection,
      `SELECT count(*)::INTEGER AS missing FROM mart_yeargroup_week y ANTI JOIN mart_weekly_review r USING (school_id, academic_year, year_group, week_start)`,
    );
    expect(missing).toBe(0);
  });

  it('puts the weekday × period hotspots where the events happened', async () => {
    const rows = await queryRows(
      warehouse.connection,
      `SELECT weekday, period, negative_events FROM mart_behaviour_hotspots
       WHERE dimension = 'weekday_period' AND year_group = 9 AND week_start = DATE '2025-09-15' ORDER BY weekday`,
    );
    expect(rows).toEqual([
      { weekday: 2, period: 'Lunch', negative_events: 1 },
      { weekday: 3, period: 'P5', negative_events: 1 },
      { weekday: 5, period: 'Registration', negative_events: 1 },
    ]);
  });
});
