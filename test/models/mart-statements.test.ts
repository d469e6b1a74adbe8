import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * Three school weeks, Mon 8 – Fri 26 Sep 2025 (school days 1–15). Serious = severity ≥ 4 (default).
 * P (Year 8):
 *   E1 Mon 8  sev 4, statement Mon 8 11:00          → same school day
 *   E2 Tue 9  sev 5, statement Wed 10 09:00          → next school day: within 1, not same day
 *   E3 Fri 12 sev 4, statement Mon 15 09:00          → the weekend is not a school day: within 1
 *   E8 Mon 15 sev 1, no statement, no BSC/suspension → not an incident that needs a statement
 * R (Year 9):
 *   E4 Wed 10 sev 3, BSC placement B1 names it, statement_taken Y, no time → taken, time unknown
 *   E5 Thu 11 sev 2 and E6 Thu 11 sev 1 (later); suspension from Fri 12 → E5 (the more severe of
 *      the day before) led to it; E6 did not. No statement → waiting
 *   E7 Mon 15 sev 2, action "Suspension", statement Thu 18 → taken 3 school days later
 *   E9 Tue 16 sev 4, BSC placement B2 names it, statement_taken N → serious, BSC, waiting
 */
describe('statements taken on time', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const days = weekdays('2025-09-08', '2025-09-26');
    const ev = (event_id: string, student_id: string, date: string, time: string, severity: number, statement_taken_at = '', action = '') =>
      ({ event_id, student_id, date, time, category: 'Defiance', points: -severity, severity, statement_taken_at, action });
    warehouse = await modelledSchool({
      students: [{ student_id: 'P', first_name: 'Pat', last_name: 'Ayo', year_group: 8 }, { student_id: 'R', first_name: 'Rui', last_name: 'Bell', year_group: 9 }],
      attendance: registers(['P', 'R'], days),
      behaviour: [
        ev('E1', 'P', '2025-09-08', '10:00', 4, '2025-09-08 11:00'),
        ev('E2', 'P', '2025-09-09', '14:00', 5, '2025-09-10 09:00'),
        ev('E3', 'P', '2025-09-12', '15:00', 4, '2025-09-15 09:00'),
        ev('E8', 'P', '2025-09-15', '09:30', 1),
        ev('E4', 'R', '2025-09-10', '11:00', 3),
        ev('E5', 'R', '2025-09-11', '10:00', 2),
        ev('E6', 'R', '2025-09-11', '13:00', 1),
        ev('E7', 'R', '2025-09-15', '12:00', 2, '2025-09-18 10:00', 'Suspension'),
        ev('E9', 'R', '2025-09-16', '11:00', 4),
      ],
      bsc: [
        { referral_id: 'B1', student_id: 'R', date: '2025-09-10', event_id: 'E4', statement_taken: 'Y' },
        { referral_id: 'B2', student_id: 'R', date: '2025-09-17', event_id: 'E9', statement_taken: 'N' },
      ],
      suspensions: [{ suspension_id: 'S1', student_id: 'R', start_date: '2025-09-12', days: 1, type: 'suspension' }],
    });
  });
  afterAll(() => warehouse?.close());

  it('picks the incidents that need a statement and times each in school days', async () => {
    expect(await rows(warehouse, `
      SELECT event_id, why_statement, statement_taken, school_days_to_statement, taken_same_day, taken_within_1_day
      FROM int_statement_incidents ORDER BY event_id`)).toEqual([
      { event_id: 'E1', why_statement: 'serious (severity 4)', statement_taken: true, school_days_to_statement: 0, taken_same_day: true, taken_within_1_day: true },
      { event_id: 'E2', why_statement: 'serious (severity 5)', statement_taken: true, school_days_to_statement: 1, taken_same_day: false, taken_within_1_day: true },
      { event_id: 'E3', why_statement: 'serious (severity 4)', statement_taken: true, school_days_to_statement: 1, taken_same_day: false, taken_within_1_day: true },
      { event_id: 'E4', why_statement: 'BSC placement', statement_taken: true, school_days_to_statement: null, taken_same_day: false, taken_within_1_day: false },
      { event_id: 'E5', why_statement: 'suspension', statement_taken: false, school_days_to_statement: null, taken_same_day: false, taken_within_1_day: false },
      { event_id: 'E7', why_statement: 'suspension', statement_taken: true, school_days_to_statement: 3, taken_same_day: false, taken_within_1_day: false },
      { event_id: 'E9', why_statement: 'serious (severity 4), BSC placement', statement_taken: false, school_days_to_statement: null, taken_same_day: false, taken_within_1_day: false },
    ]);
  });

  it('gives the share taken the same school day and within 1 school day, by week and year group', async () => {
    expect(await rows(warehouse, `
      SELECT strftime(week_start, '%Y-%m-%d') AS week, year_group, incidents, serious_incidents, bsc_incidents, suspension_incidents,
        statements_taken, taken_same_day, taken_within_1_day, time_unknown, waiting, same_day_pct, within_1_day_pct
      FROM mart_statements_on_time WHERE year_group > 0 ORDER BY week_start, year_group`)).toEqual([
      // P: 1 of 3 the same day (33.3%), 3 of 3 within 1 school day.
      { week: '2025-09-08', year_group: 8, incidents: 3, serious_incidents: 3, bsc_incidents: 0, suspension_incidents: 0, statements_taken: 3, taken_same_day: 1, taken_within_1_day: 3, time_unknown: 0, waiting: 0, same_day_pct: 33.3, within_1_day_pct: 100 },
      // R: E4 taken at an unknown time (not on time), E5 waiting.
      { week: '2025-09-08', year_group: 9, incidents: 2, serious_incidents: 0, bsc_incidents: 1, suspension_incidents: 1, statements_taken: 1, taken_same_day: 0, taken_within_1_day: 0, time_unknown: 1, waiting: 1, same_day_pct: 0, within_1_day_pct: 0 },
      { week: '2025-09-15', year_group: 9, incidents: 2, serious_incidents: 1, bsc_incidents: 1, suspension_incidents: 1, statements_taken: 1, taken_same_day: 0, taken_within_1_day: 0, time_unknown: 0, waiting: 1, same_day_pct: 0, within_1_day_pct: 0 },
    ]);
  });

  it('adds all year groups together as year_group 0, each week, with the shares unrounded beside the rounded ones', async () => {
    expect(await rows(warehouse, `
      SELECT strftime(week_start, '%Y-%m-%d') AS week, incidents, serious_incidents, bsc_incidents, suspension_incidents,
        statements_taken, taken_same_day, taken_within_1_day, time_unknown, waiting, same_day_pct, within_1_day_pct,
        same_day_pct_exact, within_1_day_pct_exact
      FROM mart_statements_on_time WHERE year_group = 0 ORDER BY week_start`)).toEqual([
      // Week 1: P's E1–E3 and R's E4–E5: 1 of 5 the same day (20%), E1–E3 within 1 school day (3 of 5, 60%).
      { week: '2025-09-08', incidents: 5, serious_incidents: 3, bsc_incidents: 1, suspension_incidents: 1, statements_taken: 4, taken_same_day: 1, taken_within_1_day: 3, time_unknown: 1, waiting: 1, same_day_pct: 20, within_1_day_pct: 60, same_day_pct_exact: 20, within_1_day_pct_exact: 60 },
      // Week 2: only R's E7 and E9 (E8 needs no statement).
      { week: '2025-09-15', incidents: 2, serious_incidents: 1, bsc_incidents: 1, suspension_incidents: 1, statements_taken: 1, taken_same_day: 0, taken_within_1_day: 0, time_unknown: 0, waiting: 1, same_day_pct: 0, within_1_day_pct: 0, same_day_pct_exact: 0, within_1_day_pct_exact: 0 },
    ]);
    // Year 8 in week 1: 1 of 3 the same day, 33.3% rounded, 100 ÷ 3 unrounded.
    expect(await rows(warehouse, `SELECT same_day_pct, same_day_pct_exact FROM mart_statements_on_time WHERE year_group = 8`))
      .toEqual([{ same_day_pct: 33.3, same_day_pct_exact: 100 / 3 }]);
  });

  it("lists, for each school day, the last 10 school days' incidents with no statement by the end of that day", async () => {
    const list = await rows<{ list_date: string; event_id: string; school_days_waiting: number }>(warehouse, `
      SELECT strftime(list_date, '%Y-%m-%d') AS list_date, event_id, school_days_waiting FROM mart_statements_waiting
      WHERE list_date IN ('2025-09-09', '2025-09-11', '2025-09-12', '2025-09-19', '2025-09-22', '2025-09-26')
      ORDER BY list_date, event_id`);
    expect(list).toEqual([
      // E2's statement came the next morning: on its own day it was waiting.
      { list_date: '2025-09-09', event_id: 'E2', school_days_waiting: 0 },
      // E4's placement says a statement was taken (no time): not waiting.
      { list_date: '2025-09-11', event_id: 'E5', school_days_waiting: 0 },
      { list_date: '2025-09-12', event_id: 'E3', school_days_waiting: 0 },
      { list_date: '2025-09-12', event_id: 'E5', school_days_waiting: 1 },
      // E7's statement came on the 18th.
      { list_date: '2025-09-19', event_id: 'E5', school_days_waiting: 6 },
      { list_date: '2025-09-19', event_id: 'E9', school_days_waiting: 3 },
      { list_date: '2025-09-22', event_id: 'E5', school_days_waiting: 7 },
      { list_date: '2025-09-22', event_id: 'E9', school_days_waiting: 4 },
      // Day 15: E5 (day 4) is older than 10 school days and leaves the list.
      { list_date: '2025-09-26', event_id: 'E9', school_days_waiting: 8 },
    ]);
    const [row] = await rows(warehouse, `SELECT first_name, last_name, year_group, time, why_statement FROM mart_statements_waiting WHERE event_id = 'E9' LIMIT 1`);
    expect(row).toEqual({ first_name: 'Rui', last_name: 'Bell', year_group: 9, time: '11:00', why_statement: 'serious (severity 4), BSC placement' });
  });

  it('follows the serious-severity setting', async () => {
    const strict = await modelledSchool(
      {
        students: [{ student_id: 'P', year_group: 8 }],
        attendance: registers(['P'], weekdays('2025-09-08', '2025-09-12')),
        behaviour: [
          { event_id: 'E1', student_id: 'P', date: '2025-09-08', category: 'Physical', points: -4, severity: 4 },
          { event_id: 'E2', student_id: 'P', date: '2025-09-09', category: 'Physical', points: -5, severity: 5 },
        ],
      },
      { seriousSeverity: 5 },
    );
    try {
      expect(await rows(strict, 'SELECT event_id FROM int_statement_incidents')).toEqual([{ event_id: 'E2' }]);
      expect(await rows(strict, 'SELECT sum(serious_events)::INTEGER AS n FROM mart_pupil_week')).toEqual([{ n: 1 }]);
    } finally {
      strict.close();
    }
  });
});

/*
 * An event dated on a day with no marks (a weekend trip, a Saturday detention's incident) takes
 * the next school day's number, as a statement dated so does. Two school weeks, Mon 8 – Fri 19
 * Sep 2025 (school days 1–10):
 *   W1 Sat 13 sev 5, statement Mon 15 09:00 → day 6 both: same school day
 *   W2 Sun 14 sev 4, statement Tue 16 09:00 → day 6 and day 7: within 1, not the same day
 *   W3 Fri 12 sev 4, statement Sat 13 10:00 → day 5 and day 6 (the Saturday is Monday's): within 1
 */
describe('statements for incidents dated on days with no marks', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const ev = (event_id: string, date: string, severity: number, statement_taken_at: string) =>
      ({ event_id, student_id: 'P', date, time: '10:00', category: 'Defiance', points: -severity, severity, statement_taken_at, action: '' });
    warehouse = await modelledSchool({
      students: [{ student_id: 'P', first_name: 'Pat', last_name: 'Ayo', year_group: 8 }],
      attendance: registers(['P'], weekdays('2025-09-08', '2025-09-19')),
      behaviour: [
        ev('W1', '2025-09-13', 5, '2025-09-15 09:00'),
        ev('W2', '2025-09-14', 4, '2025-09-16 09:00'),
        ev('W3', '2025-09-12', 4, '2025-09-13 10:00'),
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it('numbers the event and the statement by the next school day', async () => {
    expect(await rows(warehouse, `
      SELECT event_id, incident_school_day, statement_school_day, school_days_to_statement, taken_same_day, taken_within_1_day
      FROM int_statement_incidents ORDER BY event_id`)).toEqual([
      { event_id: 'W1', incident_school_day: 6, statement_school_day: 6, school_days_to_statement: 0, taken_same_day: true, taken_within_1_day: true },
      { event_id: 'W2', incident_school_day: 6, statement_school_day: 7, school_days_to_statement: 1, taken_same_day: false, taken_within_1_day: true },
      { event_id: 'W3', incident_school_day: 5, statement_school_day: 6, school_days_to_statement: 1, taken_same_day: false, taken_within_1_day: true },
    ]);
  });
});
