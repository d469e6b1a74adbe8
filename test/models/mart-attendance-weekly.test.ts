import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { mark, modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * Four school weeks, w/c 8, 15, 22 and 29 Sep 2025 (10 sessions a pupil a week). Year 9: P, A, R, E, U, L; Year 10: T.
 *   P: always present.
 *   A: ill (I) 22–23 Sep = 4 sessions. Year to date: 100%, 100%, 26/30 = 86.67% (enters persistent absence
 *      in week 3: 20 sessions before it), 36/40 = 90.00% (still PA, and in the 90–92.9% band, but climbing
 *      into it from below, so not "fell into the band").
 *   R: unauthorised (O) on the mornings of 15, 22 and 29 Sep: 95%, 28/30 = 93.33%, 37/40 = 92.50% → falls
 *      into the 90–92.9% band in week 4.
 *   E: ill all of week 1: 0%, 50% (severe), 66.67%, 75%: persistently absent from the start, so never
 *      "entered" (the first two weeks are not judged).
 *   U: O ×5 in week 1; O ×4 and U (30 minutes late, after the register closed) in week 2 → 10 unauthorised
 *      sessions in 10 weeks in week 2: reaches the penalty-notice threshold then, and stays at 10.
 *   L: late before the register closed (L) 10 minutes on 8 and 9 Sep, 5 minutes on 29 Sep: present.
 */
const days = weekdays('2025-09-08', '2025-10-03');

describe('attendance by week: thresholds, crossings and codes on hand-made pupils', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const codes = {
      ...mark('A', ['2025-09-22', '2025-09-23'], 'I'),
      ...mark('R', ['2025-09-15', '2025-09-22', '2025-09-29'], 'O', ['AM']),
      ...mark('E', ['2025-09-08', '2025-09-09', '2025-09-10', '2025-09-11', '2025-09-12'], 'I'),
      ...mark('U', ['2025-09-08', '2025-09-09', '2025-09-15', '2025-09-16'], 'O'),
      ...mark('U', ['2025-09-10'], 'O', ['AM']),
      ...mark('U', ['2025-09-17'], 'U:30', ['AM']),
      ...mark('L', ['2025-09-08', '2025-09-09'], 'L:10', ['AM']),
      ...mark('L', ['2025-09-29'], 'L:5', ['AM']),
    };
    const year9 = ['P', 'A', 'R', 'E', 'U', 'L'];
    warehouse = await modelledSchool({
      students: [
        ...year9.map((id) => ({ student_id: id, first_name: `First${id}`, last_name: `Last${id}`, year_group: 9, form: '9X' })),
        { student_id: 'T', first_name: 'FirstT', last_name: 'LastT', year_group: 10, form: '10X' },
      ],
      attendance: registers([...year9, 'T'], days, codes),
      interventions: [
        // Running on the last school day (3 Oct), review date passed: overdue.
        { intervention_id: 'I1', student_id: 'P', type: 'Mentoring', focus: 'behaviour', start_date: '2025-09-15', end_date: '2025-12-19', review_date: '2025-09-26', status: 'active', sessions_planned: 10, sessions_attended: 3 },
        { intervention_id: 'I2', student_id: 'A', type: 'Report card', focus: 'behaviour', start_date: '2025-09-08', end_date: '2025-09-19', review_date: '2025-09-19', status: 'completed', sessions_planned: 10, sessions_attended: 10 },
        { intervention_id: 'I3', student_id: 'R', type: 'Resilience group', focus: 'wellbeing', start_date: '2025-09-22', review_date: '2025-10-10', status: 'withdrawn', sessions_planned: 6, sessions_attended: 1 },
        { intervention_id: 'I4', student_id: 'U', type: 'Attendance improvement plan', focus: 'attendance', start_date: '2025-09-29', end_date: '2025-11-28', review_date: '2025-10-17', status: 'active', sessions_planned: 0, sessions_attended: 0 },
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it('adds up each year group and week exactly (mart_attendance_yeargroup_week)', async () => {
    const result = await rows(
      warehouse,
      `SELECT strftime(week_start, '%Y-%m-%d') AS week, pupils_on_roll, pupils_measured, possible_sessions, attending_sessions,
         attendance_pct, attendance_pct_to_date, persistently_absent, severely_absent, at_risk_band,
         band_green, band_amber, band_amber_red, band_red, penalty_threshold_now,
         late_before_close_sessions, late_after_close_sessions, minutes_late_before_close, minutes_late_after_close,
         entered_persistent_absence, entered_severe_absence, entered_at_risk_band, reached_penalty_threshold
       FROM mart_attendance_yeargroup_week WHERE year_group = 9 ORDER BY week_start`,
    );
    const common = { pupils_on_roll: 6, pupils_measured: 6, possible_sessions: 60 };
    expect(result).toEqual([
      { week: '2025-09-08', ...common, attending_sessions: 45, attendance_pct: 75, attendance_pct_to_date: 75,
        persistently_absent: 2, severely_absent: 2, at_risk_band: 0, band_green: 4, band_amber: 0, band_amber_red: 0, band_red: 2,
        penalty_threshold_now: 0, late_before_close_sessions: 2, late_after_close_sessions: 0, minutes_late_before_close: 20, minutes_late_after_close: 0,
        entered_persistent_absence: 0, entered_severe_absence: 0, entered_at_risk_band: 0, reached_penalty_threshold: 0 },
      { week: '2025-09-15', ...common, attending_sessions: 54, attendance_pct: 90, attendance_pct_to_date: 82.5,
        persistently_absent: 2, severely_absent: 2, at_risk_band: 0, band_green: 3, band_amber: 1, band_amber_red: 0, band_red: 2,
        penalty_threshold_now: 1, late_before_close_sessions: 0, late_after_close_sessions: 1, minutes_late_before_close: 0, minutes_late_after_close: 30,
        entered_persistent_absence: 0, entered_severe_absence: 0, entered_at_risk_band: 0, reached_penalty_threshold: 1 },
      { week: '2025-09-22', ...common, attending_sessions: 55, attendance_pct: 91.67, attendance_pct_to_date: 85.56,
        persistently_absent: 3, severely_absent: 0, at_risk_band: 0, band_green: 2, band_amber: 1, band_amber_red: 0, band_red: 3,
        penalty_threshold_now: 1, late_before_close_sessions: 0, late_after_close_sessions: 0, minutes_late_before_close: 0, minutes_late_after_close: 0,
        entered_persistent_absence: 1, entered_severe_absence: 0, entered_at_risk_band: 0, reached_penalty_threshold: 0 },
      { week: '2025-09-29', ...common, attending_sessions: 59, attendance_pct: 98.33, attendance_pct_to_date: 88.75,
        persistently_absent: 3, severely_absent: 0, at_risk_band: 2, band_green: 2, band_amber: 0, band_amber_red: 2, band_red: 2,
        penalty_threshold_now: 1, late_before_close_sessions: 1, late_after_close_sessions: 0, minutes_late_before_close: 5, minutes_late_after_close: 0,
        entered_persistent_absence: 0, entered_severe_absence: 0, entered_at_risk_band: 1, reached_penalty_threshold: 0 },
    ]);
    const year10 = await rows(warehouse, 'SELECT count(*)::INTEGER AS weeks, min(attendance_pct) AS low, sum(persistently_absent)::INTEGER AS pa FROM mart_attendance_yeargroup_week WHERE year_group = 10');
    expect(year10).toEqual([{ weeks: 4, low: 100, pa: 0 }]);
  });

  it('adds the whole school as year group 0, with percentages and changes vs last week (mart_attendance_week)', async () => {
    // Year 10 is T alone: 10 of 10 sessions every week, never flagged. All year groups = Year 9 + T:
    //   attending 45+10, 54+10, 55+10, 59+10 of 70 → 78.5714, 91.4286, 92.8571, 98.5714%;
    //   to date 55/70, 119/140 = 85, 184/210 = 87.6190, 253/280 = 90.3571%;
    //   change vs last week: 9/70, 1/70, 4/70 × 100 = 12.8571, 1.4286, 5.7143 points;
    //   persistently absent 2, 2, 3, 3 of 7 measured → 28.5714, 28.5714, 42.8571, 42.8571%;
    //   at-risk band 0, 0, 0, 2 → change 0, 0, +2.
    const allYears = await rows(
      warehouse,
      `SELECT strftime(week_start, '%Y-%m-%d') AS week, week_number, pupils_measured, possible_sessions, attending_sessions,
         round(attendance_pct, 4) AS pct, round(attendance_pct_to_date, 4) AS to_date,
         round(attendance_pct_change_vs_last_week, 4) AS change, persistently_absent, round(persistent_pct, 4) AS pa_pct,
         at_risk_band, at_risk_band_change_vs_last_week AS at_risk_change
       FROM mart_attendance_week WHERE year_group = 0 ORDER BY week_start`,
    );
    expect(allYears).toEqual([
      { week: '2025-09-08', week_number: 1, pupils_measured: 7, possible_sessions: 70, attending_sessions: 55, pct: 78.5714, to_date: 78.5714, change: null, persistently_absent: 2, pa_pct: 28.5714, at_risk_band: 0, at_risk_change: null },
      { week: '2025-09-15', week_number: 2, pupils_measured: 7, possible_sessions: 70, attending_sessions: 64, pct: 91.4286, to_date: 85, change: 12.8571, persistently_absent: 2, pa_pct: 28.5714, at_risk_band: 0, at_risk_change: 0 },
      { week: '2025-09-22', week_number: 3, pupils_measured: 7, possible_sessions: 70, attending_sessions: 65, pct: 92.8571, to_date: 87.619, change: 1.4286, persistently_absent: 3, pa_pct: 42.8571, at_risk_band: 0, at_risk_change: 0 },
      { week: '2025-09-29', week_number: 4, pupils_measured: 7, possible_sessions: 70, attending_sessions: 69, pct: 98.5714, to_date: 90.3571, change: 5.7143, persistently_absent: 3, pa_pct: 42.8571, at_risk_band: 2, at_risk_change: 2 },
    ]);
    // A year group's own rows: Year 9's attendance 75, 90, 91.6667, 98.3333% → changes 15, 1.6667, 6.6667 points.
    const year9 = await rows(
      warehouse,
      `SELECT round(attendance_pct, 4) AS pct, round(attendance_pct_change_vs_last_week, 4) AS change, round(severe_pct, 4) AS severe_pct
       FROM mart_attendance_week WHERE year_group = 9 ORDER BY week_start`,
    );
    expect(year9).toEqual([
      { pct: 75, change: null, severe_pct: 33.3333 },
      { pct: 90, change: 15, severe_pct: 33.3333 },
      { pct: 91.6667, change: 1.6667, severe_pct: 0 },
      { pct: 98.3333, change: 6.6667, severe_pct: 0 },
    ]);
    const perGroup = await rows(warehouse, 'SELECT year_group, count(*)::INTEGER AS weeks FROM mart_attendance_week GROUP BY year_group ORDER BY year_group');
    expect(perGroup).toEqual([{ year_group: 0, weeks: 4 }, { year_group: 9, weeks: 4 }, { year_group: 10, weeks: 4 }]);
  });

  it('compares the year so far with the latest whole-year national figures (int_national_latest, mart_attendance_week)', async () => {
    // ref_national_benchmarks: overall absence 9.0% (2022/23) and 8.9% (2023/24) → 2023/24's, and
    // attendance 100 − 8.9 = 91.1%; persistent absence 26.5% for the year (not the autumn's 24.6%); severe 2.3%.
    expect(await rows(warehouse, `
      SELECT measure, academic_year, value FROM int_national_latest
      WHERE measure IN ('overall_absence_pct', 'overall_attendance_pct', 'persistent_absence_pct', 'severe_absence_pct') ORDER BY measure`)).toEqual([
      { measure: 'overall_absence_pct', academic_year: '2023/24', value: 8.9 },
      { measure: 'overall_attendance_pct', academic_year: '2023/24', value: 91.1 },
      { measure: 'persistent_absence_pct', academic_year: '2023/24', value: 26.5 },
      { measure: 'severe_absence_pct', academic_year: '2023/24', value: 2.3 },
    ]);
    // All year groups, week 1: attendance to date 78.5714 − 91.1 = −12.5286 points; persistent 2 of 7 =
    // 28.5714 − 26.5 = 2.0714; severe 2 of 7 (E and U) = 28.5714 − 2.3 = 26.2714. Week 4: 90.3571 − 91.1 = −0.7429;
    // persistent 3 of 7 = 42.8571 − 26.5 = 16.3571; severe 0 − 2.3.
    expect(await rows(warehouse, `
      SELECT round(attendance_pct_to_date_vs_national, 4) AS attendance, round(persistent_pct_vs_national, 4) AS persistent,
        round(severe_pct_vs_national, 4) AS severe
      FROM mart_attendance_week WHERE year_group = 0 AND week_start IN ('2025-09-08', '2025-09-29') ORDER BY week_start`)).toEqual([
      { attendance: -12.5286, persistent: 2.0714, severe: 26.2714 },
      { attendance: -0.7429, persistent: 16.3571, severe: -2.3 },
    ]);
  });

  it('sums the late marks over the year so far, with minutes late per mark (mart_attendance_week)', async () => {
    // L's L marks: 2 in week 1 (10 + 10 minutes), 1 in week 4 (5 minutes) → 2, 2, 2, 3 marks to date,
    //   20, 20, 20, 25 minutes: 10, 10, 10, 25 ÷ 3 = 8.3333 minutes a mark.
    // U's U mark: week 2, 30 minutes → 0, 1, 1, 1 and 30 minutes a mark from week 2 (none before).
    // T (Year 10) is never late, so all year groups (0) and Year 9 agree; Year 10 stays at 0.
    const late = (yearGroup: number) => rows(
      warehouse,
      `SELECT late_before_close_sessions_to_date AS l, minutes_late_before_close_to_date AS l_min, round(avg_minutes_late_before_close_to_date, 4) AS l_avg,
         late_after_close_sessions_to_date AS u, minutes_late_after_close_to_date AS u_min, avg_minutes_late_after_close_to_date AS u_avg
       FROM mart_attendance_week WHERE year_group = ${yearGroup} ORDER BY week_start`,
    );
    const expected = [
      { l: 2, l_min: 20, l_avg: 10, u: 0, u_min: 0, u_avg: null },
      { l: 2, l_min: 20, l_avg: 10, u: 1, u_min: 30, u_avg: 30 },
      { l: 2, l_min: 20, l_avg: 10, u: 1, u_min: 30, u_avg: 30 },
      { l: 3, l_min: 25, l_avg: 8.3333, u: 1, u_min: 30, u_avg: 30 },
    ];
    expect(await late(0)).toEqual(expected);
    expect(await late(9)).toEqual(expected);
    expect(await late(10)).toEqual(Array(4).fill({ l: 0, l_min: 0, l_avg: null, u: 0, u_min: 0, u_avg: null }));
  });

  it('names the pupils who crossed a threshold, in the week they crossed it (mart_attendance_threshold_crossings)', async () => {
    const result = await rows(
      warehouse,
      `SELECT strftime(week_start, '%Y-%m-%d') AS week, student_id, first_name, last_name, year_group, form, threshold,
         attendance_pct_to_date, previous_attendance_pct_to_date, unauthorised_last_10_weeks
       FROM mart_attendance_threshold_crossings ORDER BY week_start, threshold_order, student_id`,
    );
    expect(result).toEqual([
      { week: '2025-09-15', student_id: 'U', first_name: 'FirstU', last_name: 'LastU', year_group: 9, form: '9X',
        threshold: 'Reached 10 unauthorised sessions in 10 weeks', attendance_pct_to_date: 50, previous_attendance_pct_to_date: 50, unauthorised_last_10_weeks: 10 },
      { week: '2025-09-22', student_id: 'A', first_name: 'FirstA', last_name: 'LastA', year_group: 9, form: '9X',
        threshold: 'Entered persistent absence', attendance_pct_to_date: 86.67, previous_attendance_pct_to_date: 100, unauthorised_last_10_weeks: 0 },
      { week: '2025-09-29', student_id: 'R', first_name: 'FirstR', last_name: 'LastR', year_group: 9, form: '9X',
        threshold: 'Fell into the 90–92.9% band', attendance_pct_to_date: 92.5, previous_attendance_pct_to_date: 93.33, unauthorised_last_10_weeks: 3 },
    ]);
  });

  it('counts register codes by class, with minutes late for L and U (mart_attendance_codes)', async () => {
    // 120 morning marks less A 2, R 3, E 5, U 6 (5 O + 1 U) and L 3 → 101 '/';
    // 120 afternoon marks less A 2, E 5, U 4 → 109 '\'.
    const result = await rows(
      warehouse,
      `SELECT code, class, is_retired, sum(sessions)::INTEGER AS sessions, sum(minutes_late)::INTEGER AS minutes_late
       FROM mart_attendance_codes WHERE year_group = 9 AND term = 'Autumn' GROUP BY ALL ORDER BY code`,
    );
    expect(result).toEqual([
      { code: '/', class: 'present', is_retired: false, sessions: 101, minutes_late: 0 },
      { code: 'I', class: 'authorised', is_retired: false, sessions: 14, minutes_late: 0 },
      { code: 'L', class: 'present', is_retired: false, sessions: 3, minutes_late: 25 },
      { code: 'O', class: 'unauthorised', is_retired: false, sessions: 12, minutes_late: 0 },
      { code: 'U', class: 'unauthorised', is_retired: false, sessions: 1, minutes_late: 30 },
      { code: '\\', class: 'present', is_retired: false, sessions: 109, minutes_late: 0 },
    ]);
  });

  it('adds the whole year (term All) and all year groups (0) to the register codes, with the present marks named (mart_attendance_codes)', async () => {
    // One term of data, so the whole year is the Autumn term. Year 10 is T alone: 20 '/' and 20 '\\'.
    // All year groups: 101 + 20 = 121 '/', 109 + 20 = 129 '\\' → 250 present marks; Year 9: 210; Year 10: 40.
    const result = await rows(
      warehouse,
      `SELECT year_group, code, sessions, minutes_late, is_present_mark, present_mark_sessions
       FROM mart_attendance_codes WHERE term = 'All' ORDER BY year_group, code`,
    );
    expect(result).toEqual([
      { year_group: 0, code: '/', sessions: 121, minutes_late: 0, is_present_mark: true, present_mark_sessions: 250 },
      { year_group: 0, code: 'I', sessions: 14, minutes_late: 0, is_present_mark: false, present_mark_sessions: 250 },
      { year_group: 0, code: 'L', sessions: 3, minutes_late: 25, is_present_mark: false, present_mark_sessions: 250 },
      { year_group: 0, code: 'O', sessions: 12, minutes_late: 0, is_present_mark: false, present_mark_sessions: 250 },
      { year_group: 0, code: 'U', sessions: 1, minutes_late: 30, is_present_mark: false, present_mark_sessions: 250 },
      { year_group: 0, code: '\\', sessions: 129, minutes_late: 0, is_present_mark: true, present_mark_sessions: 250 },
      { year_group: 9, code: '/', sessions: 101, minutes_late: 0, is_present_mark: true, present_mark_sessions: 210 },
      { year_group: 9, code: 'I', sessions: 14, minutes_late: 0, is_present_mark: false, present_mark_sessions: 210 },
      { year_group: 9, code: 'L', sessions: 3, minutes_late: 25, is_present_mark: false, present_mark_sessions: 210 },
      { year_group: 9, code: 'O', sessions: 12, minutes_late: 0, is_present_mark: false, present_mark_sessions: 210 },
      { year_group: 9, code: 'U', sessions: 1, minutes_late: 30, is_present_mark: false, present_mark_sessions: 210 },
      { year_group: 9, code: '\\', sessions: 109, minutes_late: 0, is_present_mark: true, present_mark_sessions: 210 },
      { year_group: 10, code: '/', sessions: 20, minutes_late: 0, is_present_mark: true, present_mark_sessions: 40 },
      { year_group: 10, code: '\\', sessions: 20, minutes_late: 0, is_present_mark: true, present_mark_sessions: 40 },
    ]);
    // The Autumn term for all year groups is the same as the whole year here.
    const autumn = await rows(warehouse, `SELECT code, sessions, present_mark_sessions FROM mart_attendance_codes WHERE term = 'Autumn' AND year_group = 0 ORDER BY code`);
    expect(autumn).toEqual(result.slice(0, 6).map(({ code, sessions, present_mark_sessions }) => ({ code, sessions, present_mark_sessions })));
  });

  it('lists interventions with their pupil, running status and overdue reviews (mart_intervention_list)', async () => {
    const result = await rows(
      warehouse,
      `SELECT intervention_id, first_name, year_group, form, status, strftime(as_of_date, '%Y-%m-%d') AS as_of, is_running, review_overdue,
         sessions_attended_pct
       FROM mart_intervention_list ORDER BY intervention_id`,
    );
    expect(result).toEqual([
      { intervention_id: 'I1', first_name: 'FirstP', year_group: 9, form: '9X', status: 'active', as_of: '2025-10-03', is_running: true, review_overdue: true, sessions_attended_pct: 30 },
      { intervention_id: 'I2', first_name: 'FirstA', year_group: 9, form: '9X', status: 'completed', as_of: '2025-10-03', is_running: false, review_overdue: false, sessions_attended_pct: 100 },
      { intervention_id: 'I3', first_name: 'FirstR', year_group: 9, form: '9X', status: 'withdrawn', as_of: '2025-10-03', is_running: false, review_overdue: false, sessions_attended_pct: 16.7 },
      { intervention_id: 'I4', first_name: 'FirstU', year_group: 9, form: '9X', status: 'active', as_of: '2025-10-03', is_running: true, review_overdue: false, sessions_attended_pct: null },
    ]);
  });
});
