import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { mark, modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * The pupil profile's year figures on mart_pupil_timeline, by hand. Two school weeks of
 * 2025/26 (w/c 8 and 15 Sep 2025, 10 sessions each) and one of 2024/25 (w/c 7 Jul 2025).
 *   P, 2025/26: negative events of −3 and −2 points and one with no points, a positive +4 →
 *      negative points 3 + 2 + 0 = 5 (absolute, negatives only), on each of P's 2025/26
 *      behaviour rows. 2024/25: one negative event of −6 → 6, kept to that year.
 *      Ill (I) on Tue 9 Sep (2 sessions) and the morning of Tue 16 Sep: to date 8 of 10, then
 *      17 of 20 possible sessions. 2024/25: present all 10.
 *   Q: no behaviour; present every session.
 */
describe('mart_pupil_timeline: the year figures the pupil profile shows', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const days = [...weekdays('2025-07-07', '2025-07-11'), ...weekdays('2025-09-08', '2025-09-19')];
    const ev = (event_id: string, date: string, points: number | '', polarity = '') => ({ event_id, student_id: 'P', date, category: 'Disruption', points, polarity });
    warehouse = await modelledSchool({
      students: [{ student_id: 'P', year_group: 9 }, { student_id: 'Q', year_group: 9 }],
      attendance: registers(['P', 'Q'], days, { ...mark('P', ['2025-09-09'], 'I'), ...mark('P', ['2025-09-16'], 'I', ['AM']) }),
      behaviour: [
        ev('E0', '2025-07-08', -6),
        ev('E1', '2025-09-08', -3),
        ev('E2', '2025-09-10', -2),
        ev('E3', '2025-09-11', '', 'negative'),
        ev('E4', '2025-09-15', 4),
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it("gives each behaviour row the pupil's negative points for its academic year", async () => {
    expect(await rows(warehouse, `
      SELECT record_id, academic_year, polarity, negative_points_year FROM mart_pupil_timeline WHERE kind = 'behaviour' ORDER BY record_id`)).toEqual([
      { record_id: 'E0', academic_year: '2024/25', polarity: 'negative', negative_points_year: 6 },
      { record_id: 'E1', academic_year: '2025/26', polarity: 'negative', negative_points_year: 5 },
      { record_id: 'E2', academic_year: '2025/26', polarity: 'negative', negative_points_year: 5 },
      { record_id: 'E3', academic_year: '2025/26', polarity: 'negative', negative_points_year: 5 },
      { record_id: 'E4', academic_year: '2025/26', polarity: 'positive', negative_points_year: 5 },
    ]);
  });

  it('gives each attendance week the possible and attending sessions of the year so far', async () => {
    expect(await rows(warehouse, `
      SELECT student_id, strftime(date, '%Y-%m-%d') AS week, possible_sessions, attending_sessions,
        possible_sessions_to_date, attending_sessions_to_date, attendance_pct_to_date
      FROM mart_pupil_timeline WHERE kind = 'attendance_week' ORDER BY student_id, date`)).toEqual([
      { student_id: 'P', week: '2025-07-07', possible_sessions: 10, attending_sessions: 10, possible_sessions_to_date: 10, attending_sessions_to_date: 10, attendance_pct_to_date: 100 },
      { student_id: 'P', week: '2025-09-08', possible_sessions: 10, attending_sessions: 8, possible_sessions_to_date: 10, attending_sessions_to_date: 8, attendance_pct_to_date: 80 },
      { student_id: 'P', week: '2025-09-15', possible_sessions: 10, attending_sessions: 9, possible_sessions_to_date: 20, attending_sessions_to_date: 17, attendance_pct_to_date: 85 },
      { student_id: 'Q', week: '2025-07-07', possible_sessions: 10, attending_sessions: 10, possible_sessions_to_date: 10, attending_sessions_to_date: 10, attendance_pct_to_date: 100 },
      { student_id: 'Q', week: '2025-09-08', possible_sessions: 10, attending_sessions: 10, possible_sessions_to_date: 10, attending_sessions_to_date: 10, attendance_pct_to_date: 100 },
      { student_id: 'Q', week: '2025-09-15', possible_sessions: 10, attending_sessions: 10, possible_sessions_to_date: 20, attending_sessions_to_date: 20, attendance_pct_to_date: 100 },
    ]);
  });
});
