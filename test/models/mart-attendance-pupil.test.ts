import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { mark, modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * 11 school weeks, 8 Sep – 28 Nov 2025, half-term 27–31 Oct (no marks): 55 days, 110 sessions.
 *   P: always present → 100%, green.
 *   A: ill (I) 8–12 and 15 Sep = 12 sessions → 98/110 = 89.09%: PA (10.9% ≥ 10%), red.
 *   R: unauthorised (O) 8 AM sessions → 102/110 = 92.73%: the 90–92% at-risk band, amber/red, not PA.
 *   U1: 5 O in week 1 and 5 in week 11: no 10-school-week window holds 10 → no penalty threshold.
 *   U2: 5 O in week 2 and 5 in week 11: weeks 2–11 hold 10 → threshold reached, first in w/c 24 Nov.
 *   S: ill for the first 30 days = 60 sessions → 54.5% absence: severe and PA.
 *   L: L (5, 10, 0 min) three mornings, U (20 min) once, V both sessions of 12 Sep:
 *      present 107, approved 2, attending 109, unauthorised 1, late 3 + 1, 35 minutes → 99.09%.
 *   N: every session X (not required) → no possible sessions: no figure, no flags.
 *   J: admitted 6 Oct: 7 weeks = 70 sessions, O on 6 Oct ×2 → 68/70 = 97.14%, green.
 */
const days = weekdays('2025-09-08', '2025-11-28', weekdays('2025-10-27', '2025-10-31'));

describe('mart_attendance_pupil (DfE rules) on a hand-made term', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const codes = {
      ...mark('A', ['2025-09-08', '2025-09-09', '2025-09-10', '2025-09-11', '2025-09-12', '2025-09-15'], 'I'),
      ...mark('R', ['2025-09-08', '2025-09-09', '2025-09-10', '2025-09-11', '2025-09-12', '2025-09-15', '2025-09-16', '2025-09-17'], 'O', ['AM']),
      ...mark('U1', ['2025-09-08', '2025-09-09'], 'O'), ...mark('U1', ['2025-09-10'], 'O', ['AM']),
      ...mark('U1', ['2025-11-24', '2025-11-25'], 'O'), ...mark('U1', ['2025-11-26'], 'O', ['AM']),
      ...mark('U2', ['2025-09-15', '2025-09-16'], 'O'), ...mark('U2', ['2025-09-17'], 'O', ['AM']),
      ...mark('U2', ['2025-11-24', '2025-11-25'], 'O'), ...mark('U2', ['2025-11-26'], 'O', ['AM']),
      ...mark('S', days.slice(0, 30), 'I'),
      ...mark('L', ['2025-09-08'], 'L:5', ['AM']), ...mark('L', ['2025-09-09'], 'L:10', ['AM']), ...mark('L', ['2025-09-10'], 'L:0', ['AM']),
      ...mark('L', ['2025-09-11'], 'U:20', ['AM']), ...mark('L', ['2025-09-12'], 'V'),
      ...mark('N', days, 'X'),
      ...mark('J', ['2025-10-06'], 'O'),
    };
    const students = ['P', 'A', 'R', 'U1', 'U2', 'S', 'L', 'N', 'J'];
    warehouse = await modelledSchool({
      students: students.map((id) => ({ student_id: id, year_group: 9, admission_date: id === 'J' ? '2025-10-06' : '' })),
      attendance: [
        ...registers(students.filter((s) => s !== 'J'), days, codes),
        ...registers(['J'], days.filter((d) => d >= '2025-10-06'), codes),
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it('has the 11 school weeks and 55 school days of the term, the half-term excluded', async () => {
    expect(await rows(warehouse, 'SELECT count(*)::INTEGER AS n FROM int_school_days')).toEqual([{ n: 55 }]);
    expect(await rows(warehouse, 'SELECT count(*)::INTEGER AS n FROM int_school_weeks')).toEqual([{ n: 11 }]);
  });

  it('computes each pupil exactly', async () => {
    const result = await rows(
      warehouse,
      `SELECT student_id, possible_sessions, attending_sessions, present_sessions, approved_activity_sessions, authorised_sessions,
         unauthorised_sessions, late_before_close_sessions, late_after_close_sessions, minutes_late, attendance_pct,
         persistently_absent, severely_absent, at_risk_band, attendance_band, max_unauthorised_in_10_weeks,
         penalty_threshold_reached, penalty_threshold_now, strftime(penalty_threshold_first_week, '%Y-%m-%d') AS penalty_week
       FROM mart_attendance_pupil ORDER BY student_id`,
    );
    const byId = Object.fromEntries(result.map((r) => [r.student_id, r]));
    expect(byId.P).toMatchObject({ possible_sessions: 110, attending_sessions: 110, attendance_pct: 100, persistently_absent: false, attendance_band: 'green' });
    expect(byId.A).toMatchObject({ possible_sessions: 110, attending_sessions: 98, authorised_sessions: 12, attendance_pct: 89.09, persistently_absent: true, severely_absent: false, at_risk_band: false, attendance_band: 'red' });
    expect(byId.R).toMatchObject({ attending_sessions: 102, unauthorised_sessions: 8, attendance_pct: 92.73, persistently_absent: false, at_risk_band: true, attendance_band: 'amber/red', penalty_threshold_reached: false });
    expect(byId.U1).toMatchObject({ unauthorised_sessions: 10, max_unauthorised_in_10_weeks: 5, penalty_threshold_reached: false, penalty_threshold_now: false, penalty_week: null });
    expect(byId.U2).toMatchObject({ unauthorised_sessions: 10, max_unauthorised_in_10_weeks: 10, penalty_threshold_reached: true, penalty_threshold_now: true, penalty_week: '2025-11-24' });
    expect(byId.S).toMatchObject({ attending_sessions: 50, attendance_pct: 45.45, persistently_absent: true, severely_absent: true });
    expect(byId.L).toMatchObject({ present_sessions: 107, approved_activity_sessions: 2, attending_sessions: 109, unauthorised_sessions: 1,
      late_before_close_sessions: 3, late_after_close_sessions: 1, minutes_late: 35, attendance_pct: 99.09, attendance_band: 'green' });
    expect(byId.N).toMatchObject({ possible_sessions: 0, attendance_pct: null, persistently_absent: null, severely_absent: null, at_risk_band: null, attendance_band: null });
    expect(byId.J).toMatchObject({ possible_sessions: 70, attending_sessions: 68, attendance_pct: 97.14, attendance_band: 'green' });
  });

  it('counts the mid-term joiner on roll only from the week they joined', async () => {
    const weeks = await rows(warehouse, "SELECT count(*)::INTEGER AS n, strftime(min(week_start), '%Y-%m-%d') AS first FROM int_pupil_weeks WHERE student_id = 'J'");
    expect(weeks).toEqual([{ n: 7, first: '2025-10-06' }]);
  });
});

/*
 * The bands are taken on the unrounded figure. E, 1 Sep 2025 – 26 Feb 2026: 129 days = 258
 * sessions, one of them Y7 (not possible) → 257 possible; ill (I) 9 days = 18 sessions →
 * 239/257 = 92.996%: below 93%, so amber/red and in the at-risk band, though it is shown as
 * 93.00 (2 dp).
 */
describe('attendance bands on the unrounded attendance %', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const year = weekdays('2025-09-01', '2026-02-26');
    warehouse = await modelledSchool({
      students: [{ student_id: 'E', year_group: 9 }],
      attendance: registers(['E'], year, { ...mark('E', ['2025-09-01'], 'Y7', ['PM']), ...mark('E', year.slice(10, 19), 'I') }),
    });
  });
  afterAll(() => warehouse?.close());

  it('puts 239 of 257 sessions (92.996%) in the amber/red, at-risk band', async () => {
    const pupil = await rows(warehouse, 'SELECT possible_sessions, attending_sessions, attendance_pct, attendance_band, at_risk_band FROM mart_attendance_pupil');
    expect(pupil).toEqual([{ possible_sessions: 257, attending_sessions: 239, attendance_pct: 93, attendance_band: 'amber/red', at_risk_band: true }]);
    const lastWeek = await rows(
      warehouse,
      `SELECT at_risk_band, band_amber, band_amber_red FROM mart_attendance_yeargroup_week WHERE week_start = DATE '2026-02-23'`,
    );
    expect(lastWeek).toEqual([{ at_risk_band: 1, band_amber: 0, band_amber_red: 1 }]);
  });
});

/*
 * The penalty-notice threshold's 10 school weeks can span school years (DfE, Working together to
 * improve school attendance, 2024: "2 sessions of unauthorised absence in the summer term and a
 * further 8 within the autumn term"). School weeks w/c 7 and 14 Jul 2025 (2024/25), then 8 and
 * 15 Sep 2025 (2025/26): the summer holiday has no school weeks, so they are 4 consecutive.
 *   Q: O on Fri 18 Jul (2 sessions) and Mon–Thu 8–11 Sep (8): 10 in the 10 school weeks ending
 *   w/c 8 Sep → the threshold reached that week (not the week before: 2). R: present throughout.
 */
describe('penalty-notice threshold across the summer', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const days = [...weekdays('2025-07-07', '2025-07-18'), ...weekdays('2025-09-08', '2025-09-19')];
    warehouse = await modelledSchool({
      students: ['Q', 'R'].map((id) => ({ student_id: id, year_group: 9 })),
      attendance: registers(['Q', 'R'], days, { ...mark('Q', ['2025-07-18'], 'O'), ...mark('Q', ['2025-09-08', '2025-09-09', '2025-09-10', '2025-09-11'], 'O') }),
    });
  });
  afterAll(() => warehouse?.close());

  it('counts the summer term\'s unauthorised sessions in the autumn\'s first 10 school weeks', async () => {
    const weeks = await rows(
      warehouse,
      `SELECT strftime(week_start, '%Y-%m-%d') AS week, unauthorised_last_10_weeks AS last_10, reached_penalty_threshold AS reached
       FROM int_attendance_thresholds_by_pupil_week WHERE student_id = 'Q' ORDER BY week_start`,
    );
    expect(weeks).toEqual([
      { week: '2025-07-07', last_10: 0, reached: false },
      { week: '2025-07-14', last_10: 2, reached: false },
      { week: '2025-09-08', last_10: 10, reached: true },
      { week: '2025-09-15', last_10: 10, reached: false },
    ]);
    const pupil = await rows(
      warehouse,
      `SELECT academic_year, unauthorised_sessions, max_unauthorised_in_10_weeks, penalty_threshold_reached, penalty_threshold_now,
         strftime(penalty_threshold_first_week, '%Y-%m-%d') AS first_week
       FROM mart_attendance_pupil WHERE student_id = 'Q' ORDER BY academic_year`,
    );
    expect(pupil).toEqual([
      { academic_year: '2024/25', unauthorised_sessions: 2, max_unauthorised_in_10_weeks: 2, penalty_threshold_reached: false, penalty_threshold_now: false, first_week: null },
      { academic_year: '2025/26', unauthorised_sessions: 8, max_unauthorised_in_10_weeks: 10, penalty_threshold_reached: true, penalty_threshold_now: true, first_week: '2025-09-08' },
    ]);
  });
});
