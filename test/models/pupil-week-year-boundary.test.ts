import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { mark, modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * One pupil, P (Year 9 in 2026/27, so Year 8 in 2025/26), on a register from Monday 31 August to
 * Friday 11 September 2026. The week of 31 August spans two academic years: Monday is the last
 * day of 2025/26, Tuesday to Friday the first of 2026/27, so that week has a pupil-week in each.
 *   31 Aug: late before the register closed (L, 10 minutes) in the morning, present after: 2025/26
 *           has 2 possible sessions, 2 attended, 1 late, 10 minutes.
 *   1 Sep:  unauthorised absence (O) in the morning: 2026/27's first week has 8 possible sessions
 *           (1–4 Sep), 7 attended, 1 unauthorised; its second week (7–11 Sep) 10 of 10.
 * Each year's pupil-week takes its own year's marks (int_pupil_week_indexed joins the attendance
 * by academic year as well as week), and the thresholds, which read int_pupil_week_indexed, count
 * each year from its own first week.
 */
const days = weekdays('2026-08-31', '2026-09-11');

describe('a school week spanning 31 August and 1 September (two academic years)', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await modelledSchool({
      students: [{ student_id: 'P', first_name: 'FirstP', last_name: 'LastP', year_group: 9, form: '9X' }],
      attendance: registers(['P'], days, {
        ...mark('P', ['2026-08-31'], 'L:10', ['AM']),
        ...mark('P', ['2026-09-01'], 'O', ['AM']),
      }),
    });
  });
  afterAll(() => warehouse?.close());

  it('gives each year its own pupil-week, with the week’s days and index carried by int_pupil_weeks', async () => {
    const result = await rows(
      warehouse,
      `SELECT academic_year, strftime(week_start, '%Y-%m-%d') AS week, year_group, strftime(first_day, '%Y-%m-%d') AS first_day,
         strftime(last_day, '%Y-%m-%d') AS last_day, week_index, school_days, is_partial
       FROM int_pupil_weeks ORDER BY week_start, academic_year`,
    );
    expect(result).toEqual([
      { academic_year: '2025/26', week: '2026-08-31', year_group: 8, first_day: '2026-08-31', last_day: '2026-08-31', week_index: 1, school_days: 1, is_partial: true },
      { academic_year: '2026/27', week: '2026-08-31', year_group: 9, first_day: '2026-09-01', last_day: '2026-09-04', week_index: 1, school_days: 4, is_partial: true },
      { academic_year: '2026/27', week: '2026-09-07', year_group: 9, first_day: '2026-09-07', last_day: '2026-09-11', week_index: 2, school_days: 5, is_partial: false },
    ]);
  });

  it('counts each year’s marks once in int_pupil_week_indexed, minutes late included', async () => {
    const result = await rows(
      warehouse,
      `SELECT academic_year, strftime(week_start, '%Y-%m-%d') AS week, possible_sessions, attending_sessions, unauthorised_sessions,
         late_before_close_sessions, minutes_late_before_close, minutes_late_after_close
       FROM int_pupil_week_indexed ORDER BY week_start, academic_year`,
    );
    expect(result).toEqual([
      { academic_year: '2025/26', week: '2026-08-31', possible_sessions: 2, attending_sessions: 2, unauthorised_sessions: 0, late_before_close_sessions: 1, minutes_late_before_close: 10, minutes_late_after_close: 0 },
      { academic_year: '2026/27', week: '2026-08-31', possible_sessions: 8, attending_sessions: 7, unauthorised_sessions: 1, late_before_close_sessions: 0, minutes_late_before_close: 0, minutes_late_after_close: 0 },
      { academic_year: '2026/27', week: '2026-09-07', possible_sessions: 10, attending_sessions: 10, unauthorised_sessions: 0, late_before_close_sessions: 0, minutes_late_before_close: 0, minutes_late_after_close: 0 },
    ]);
  });

  it('keeps each year’s running totals apart in the attendance thresholds', async () => {
    const result = await rows(
      warehouse,
      `SELECT academic_year, strftime(week_start, '%Y-%m-%d') AS week, possible_sessions_to_date, attending_sessions_to_date,
         unauthorised_last_10_weeks, minutes_late_before_close
       FROM int_attendance_thresholds_by_pupil_week ORDER BY week_start, academic_year`,
    );
    expect(result).toEqual([
      { academic_year: '2025/26', week: '2026-08-31', possible_sessions_to_date: 2, attending_sessions_to_date: 2, unauthorised_last_10_weeks: 0, minutes_late_before_close: 10 },
      { academic_year: '2026/27', week: '2026-08-31', possible_sessions_to_date: 8, attending_sessions_to_date: 7, unauthorised_last_10_weeks: 1, minutes_late_before_close: 0 },
      { academic_year: '2026/27', week: '2026-09-07', possible_sessions_to_date: 18, attending_sessions_to_date: 17, unauthorised_last_10_weeks: 1, minutes_late_before_close: 0 },
    ]);
  });

  it('leaves the minutes late out of mart_pupil_week, which shows int_pupil_week_indexed without its helper columns', async () => {
    const columns = await rows<{ column_name: string }>(warehouse, `SELECT column_name FROM (DESCRIBE mart_pupil_week)`);
    const names = columns.map((c) => c.column_name);
    expect(names).not.toContain('minutes_late_before_close');
    expect(names).not.toContain('week_index');
    expect(names).toContain('late_before_close_sessions');
  });
});

/*
 * The same register, with a negative event and a BSC placement on Wednesday 2 September 2026 and
 * a suspension from Thursday 3 September: each belongs to 2026/27 and is counted once, though
 * its school week (w/c 31 August) has a row in each academic year (int_school_weeks).
 */
describe('records in a school week spanning two academic years', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await modelledSchool({
      students: [{ student_id: 'P', first_name: 'FirstP', last_name: 'LastP', year_group: 9, form: '9X' }],
      attendance: registers(['P'], days),
      behaviour: [{ event_id: 'E1', student_id: 'P', date: '2026-09-02', category: 'Disruption', points: -1 }],
      bsc: [{ referral_id: 'R1', student_id: 'P', date: '2026-09-02' }],
      suspensions: [{ suspension_id: 'S1', student_id: 'P', start_date: '2026-09-03', sessions: 2, days: '', type: 'suspension', reason: 'PD' }],
    });
  });
  afterAll(() => warehouse?.close());

  it('counts each once, in its own year and term', async () => {
    expect(await rows(warehouse, 'SELECT event_id, academic_year, term FROM int_behaviour_events')).toEqual([
      { event_id: 'E1', academic_year: '2026/27', term: 'Autumn' },
    ]);
    expect(await rows(warehouse, "SELECT academic_year, negative_events, bsc_placements, suspensions FROM mart_yeargroup_week WHERE week_start = DATE '2026-08-31' ORDER BY academic_year")).toEqual([
      { academic_year: '2025/26', negative_events: 0, bsc_placements: 0, suspensions: 0 },
      { academic_year: '2026/27', negative_events: 1, bsc_placements: 1, suspensions: 1 },
    ]);
    expect(await rows(warehouse, 'SELECT referral_id, academic_year, term FROM mart_bsc_referrals')).toEqual([{ referral_id: 'R1', academic_year: '2026/27', term: 'Autumn' }]);
    expect(await rows(warehouse, 'SELECT academic_year, term, placements FROM mart_bsc_weekly')).toEqual([{ academic_year: '2026/27', term: 'Autumn', placements: 1 }]);
    expect(await rows(warehouse, 'SELECT academic_year, term, referred_again_within_window FROM int_bsc_referred_again')).toEqual([
      { academic_year: '2026/27', term: 'Autumn', referred_again_within_window: false },
    ]);
    expect(await rows(warehouse, "SELECT count FROM mart_termly_counts WHERE academic_year = '2026/27' AND breakdown = 'school' AND period = 'term' AND measure = 'suspensions'")).toEqual([{ count: 1 }]);
  });
});
