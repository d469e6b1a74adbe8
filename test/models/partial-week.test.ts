import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { modelledExports, registers, weekdays, writeSchool } from '../helpers/school-builder.ts';

/*
 * Partial weeks (docs/metrics.md, "Partial week"), worked by hand: fewer than five school days. Year 9: S1–S4 = 4
 * pupils, present every session.
 *
 * School PART: registers 8 Sep – Tue 23 Sep 2025, Monday 15 Sep closed (INSET).
 *   w/c 8 Sep: 5 school days; negative events 2 → 2 × 100 / 4 = 50.00 per 100;
 *     per school day 2 × 100 / (4 × 5) = 10.00. Detentions missed 1 → 0.20 a day.
 *   w/c 15 Sep: 4 school days (Monday closed): partial, but the data does not end in it; negative 4 → 100.00
 *     per 100; per day 4 × 100 / (4 × 4) = 25.00. BSC 1 → 0.25 a day; missed 2 → 0.50 a day.
 *   w/c 22 Sep: the data ends on Tuesday → partial, and the data ends in it; 2 school days; negative 2 → 50.00 per 100
 *     (down 50 "on last week" only because the week is 2 days long); per day
 *     2 × 100 / (4 × 2) = 25.00, the same as last week's 25.00. Term so far per day:
 *     (2 + 4 + 2) × 100 / (4 × 5 + 4 × 4 + 4 × 2) = 800 / 44 = 18.18. BSC 1 → 0.50 a day
 *     (last week 0.25); missed 1 → 0.50 (last week 0.50).
 * School TERMEND: the same registers to Wed 10 Sep, and calendar.csv ends the term that
 *   Wednesday: w/c 8 Sep (3 days) is partial, but the school closed: the data did not end short.
 * School FRIDAY: registers to Fri 12 Sep: 5 school days, complete.
 * School HASH: PART's files, but the INSET Monday 15 Sep is in the register, '#' (planned
 *   whole-school closure, not a possible session) for every pupil, as MIS registers often carry it:
 *   not a school day, so every figure is PART's (w/c 15 Sep 4 school days, partial, 25.00 per 100
 *   per school day); the register codes still count its 4 × 2 = 8 '#' sessions.
 */
const pupils = ['S1', 'S2', 'S3', 'S4'];
const students = pupils.map((s, i) => ({ student_id: s, first_name: `Pupil${i}`, last_name: 'Test', year_group: 9 }));
const negative = (id: string, student: string, date: string) => ({ event_id: id, student_id: student, date, category: 'Disruption', points: -1 });

describe('partial weeks: marked, the one the data ends in told apart, compared per school day', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const partFiles = {
        students,
        attendance: registers(pupils, weekdays('2025-09-08', '2025-09-23', ['2025-09-15'])),
        behaviour: [
          negative('E1', 'S1', '2025-09-08'),
          negative('E2', 'S2', '2025-09-10'),
          negative('E3', 'S1', '2025-09-16'),
          negative('E4', 'S2', '2025-09-17'),
          negative('E5', 'S3', '2025-09-18'),
          negative('E6', 'S4', '2025-09-19'),
          negative('E7', 'S1', '2025-09-22'),
          negative('E8', 'S3', '2025-09-23'),
        ],
        bsc: [
          { referral_id: 'R1', student_id: 'S1', date: '2025-09-17' },
          { referral_id: 'R2', student_id: 'S1', date: '2025-09-23' },
        ],
        detentions: [
          { detention_id: 'D1', student_id: 'S1', date: '2025-09-09', status: 'missed' },
          { detention_id: 'D2', student_id: 'S2', date: '2025-09-16', status: 'missed' },
          { detention_id: 'D3', student_id: 'S3', date: '2025-09-18', status: 'missed' },
          { detention_id: 'D4', student_id: 'S4', date: '2025-09-22', status: 'missed' },
        ],
      };
    const part = writeSchool(partFiles, 'PART');
    const closed = Object.fromEntries(pupils.flatMap((p) => ['AM', 'PM'].map((session) => [`${p}|2025-09-15|${session}`, '#'])));
    const hash = writeSchool({ ...partFiles, attendance: registers(pupils, weekdays('2025-09-08', '2025-09-23'), closed) }, 'HASH');
    const termEnd = writeSchool(
      {
        students,
        attendance: registers(pupils, weekdays('2025-09-08', '2025-09-10')),
        calendar: [{ academic_year: '2025/26', term: 'Autumn', half_term: 1, start_date: '2025-09-08', end_date: '2025-09-10' }],
      },
      'TERMEND',
    );
    const friday = writeSchool({ students, attendance: registers(pupils, weekdays('2025-09-08', '2025-09-12')) }, 'FRIDAY');
    warehouse = await modelledExports([part, termEnd, friday, hash]);
  });
  afterAll(() => warehouse?.close());

  it('matches the hand-computed figures exactly', async () => {
    const rows = await queryRows(
      warehouse.connection,
      `SELECT school_id, strftime(week_start, '%Y-%m-%d') AS week, school_days, strftime(week_last_day, '%Y-%m-%d') AS last_day, is_partial_week, data_ends_in_week,
         negative_events, negative_per_100, negative_per_100_last_week,
         negative_per_100_per_day, negative_per_100_per_day_last_week, negative_per_100_per_day_term,
         bsc_placements_per_day, bsc_placements_per_day_last_week, detentions_missed_per_day, detentions_missed_per_day_last_week
       FROM mart_yeargroup_week WHERE school_id <> 'HASH' ORDER BY school_id, week_start`,
    );
    expect(rows).toEqual([
      { school_id: 'FRIDAY', week: '2025-09-08', school_days: 5, last_day: '2025-09-12', is_partial_week: false, data_ends_in_week: false,
        negative_events: 0, negative_per_100: 0, negative_per_100_last_week: null,
        negative_per_100_per_day: 0, negative_per_100_per_day_last_week: null, negative_per_100_per_day_term: 0,
        bsc_placements_per_day: 0, bsc_placements_per_day_last_week: null, detentions_missed_per_day: 0, detentions_missed_per_day_last_week: null },
      { school_id: 'PART', week: '2025-09-08', school_days: 5, last_day: '2025-09-12', is_partial_week: false, data_ends_in_week: false,
        negative_events: 2, negative_per_100: 50, negative_per_100_last_week: null,
        negative_per_100_per_day: 10, negative_per_100_per_day_last_week: null, negative_per_100_per_day_term: 10,
        bsc_placements_per_day: 0, bsc_placements_per_day_last_week: null, detentions_missed_per_day: 0.2, detentions_missed_per_day_last_week: null },
      { school_id: 'PART', week: '2025-09-15', school_days: 4, last_day: '2025-09-19', is_partial_week: true, data_ends_in_week: false,
        negative_events: 4, negative_per_100: 100, negative_per_100_last_week: 50,
        negative_per_100_per_day: 25, negative_per_100_per_day_last_week: 10, negative_per_100_per_day_term: 16.67,
        bsc_placements_per_day: 0.25, bsc_placements_per_day_last_week: 0, detentions_missed_per_day: 0.5, detentions_missed_per_day_last_week: 0.2 },
      { school_id: 'PART', week: '2025-09-22', school_days: 2, last_day: '2025-09-23', is_partial_week: true, data_ends_in_week: true,
        negative_events: 2, negative_per_100: 50, negative_per_100_last_week: 100,
        negative_per_100_per_day: 25, negative_per_100_per_day_last_week: 25, negative_per_100_per_day_term: 18.18,
        bsc_placements_per_day: 0.5, bsc_placements_per_day_last_week: 0.25, detentions_missed_per_day: 0.5, detentions_missed_per_day_last_week: 0.5 },
      { school_id: 'TERMEND', week: '2025-09-08', school_days: 3, last_day: '2025-09-10', is_partial_week: true, data_ends_in_week: false,
        negative_events: 0, negative_per_100: 0, negative_per_100_last_week: null,
        negative_per_100_per_day: 0, negative_per_100_per_day_last_week: null, negative_per_100_per_day_term: 0,
        bsc_placements_per_day: 0, bsc_placements_per_day_last_week: null, detentions_missed_per_day: 0, detentions_missed_per_day_last_week: null },
    ]);
  });

  it("does not count a day the whole register marks '#' as a school day, and still counts its marks", async () => {
    const figures = (school: string) =>
      queryRows(
        warehouse.connection,
        `SELECT * EXCLUDE (school_id) FROM mart_yeargroup_week WHERE school_id = '${school}' ORDER BY week_start`,
      );
    const hash = await figures('HASH');
    expect(hash.map((r) => [r.school_days, r.is_partial_week, r.negative_per_100_per_day])).toEqual([[5, false, 10], [4, true, 25], [2, true, 25]]);
    expect(hash).toEqual(await figures('PART'));
    const codes = await queryRows(
      warehouse.connection,
      "SELECT code, sessions FROM mart_attendance_codes WHERE school_id = 'HASH' AND term = 'All' AND year_group = 0 AND code = '#'",
    );
    expect(codes).toEqual([{ code: '#', sessions: 8 }]);
  });
});
