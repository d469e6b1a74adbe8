import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { mark, modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * int_attendance_by_pupil_week sums a week's minutes late in one number, a 16-bit lane per kind
 * of late mark; int_pupil_week_indexed counts a pupil-week's interventions from the pupil-weeks
 * view. One pupil, P, two weeks (Monday 7 to Friday 18 September 2026):
 *   week of 7 Sep: every morning late before the register closed (L) and every afternoon late
 *     after it closed (U), each 600 minutes (the most the data contract allows a mark): 5 × 600 =
 *     3000 minutes of each kind, 6000 in all; 10 possible sessions, 5 attended (U is absent).
 *   week of 14 Sep: present every session, no minutes.
 *   Interventions: I1 (Mentoring, 7–11 Sep), I2 (Report card, from 10 Sep, no end), I3 (Tutoring,
 *     planned, so never counted): week 1 has two (Mentoring, Report card), week 2 one.
 */
const days = weekdays('2026-09-07', '2026-09-18');
const week1 = weekdays('2026-09-07', '2026-09-11');

describe('a pupil-week at the most minutes late, and its interventions', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await modelledSchool({
      students: [{ student_id: 'P', first_name: 'FirstP', last_name: 'LastP', year_group: 9, form: '9X' }],
      attendance: registers(['P'], days, {
        ...mark('P', week1, 'L:600', ['AM']),
        ...mark('P', week1, 'U:600', ['PM']),
      }),
      interventions: [
        { intervention_id: 'I1', student_id: 'P', type: 'Mentoring', focus: 'behaviour', start_date: '2026-09-07', end_date: '2026-09-11', review_date: '2026-09-11', status: 'completed', sessions_planned: 5, sessions_attended: 5 },
        { intervention_id: 'I2', student_id: 'P', type: 'Report card', focus: 'behaviour', start_date: '2026-09-10', review_date: '2026-09-25', status: 'active', sessions_planned: 10, sessions_attended: 2 },
        { intervention_id: 'I3', student_id: 'P', type: 'Tutoring', focus: 'attendance', start_date: '2026-09-07', review_date: '2026-09-25', status: 'planned', sessions_planned: 4, sessions_attended: 0 },
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it('sums each kind of minutes late apart, with no carry between them', async () => {
    const result = await rows(
      warehouse,
      `SELECT strftime(week_start, '%Y-%m-%d') AS week, possible_sessions, attending_sessions, late_before_close_sessions,
         late_after_close_sessions, minutes_late, minutes_late_before_close, minutes_late_after_close
       FROM int_attendance_by_pupil_week ORDER BY week_start`,
    );
    expect(result).toEqual([
      { week: '2026-09-07', possible_sessions: 10, attending_sessions: 5, late_before_close_sessions: 5, late_after_close_sessions: 5, minutes_late: 6000, minutes_late_before_close: 3000, minutes_late_after_close: 3000 },
      { week: '2026-09-14', possible_sessions: 10, attending_sessions: 10, late_before_close_sessions: 0, late_after_close_sessions: 0, minutes_late: 0, minutes_late_before_close: 0, minutes_late_after_close: 0 },
    ]);
  });

  it('counts the interventions active in each pupil-week, planned ones left out', async () => {
    const result = await rows(
      warehouse,
      `SELECT strftime(week_start, '%Y-%m-%d') AS week, active_interventions, active_intervention_types,
         minutes_late_before_close, minutes_late_after_close
       FROM int_pupil_week_indexed ORDER BY week_start`,
    );
    expect(result).toEqual([
      { week: '2026-09-07', active_interventions: 2, active_intervention_types: 'Mentoring, Report card', minutes_late_before_close: 3000, minutes_late_after_close: 3000 },
      { week: '2026-09-14', active_interventions: 1, active_intervention_types: 'Report card', minutes_late_before_close: 0, minutes_late_after_close: 0 },
    ]);
  });
});
