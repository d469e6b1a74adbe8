import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { mark, modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * int_watchlist_signals' attendance frames, by hand. Ten school weeks from 8 Sep 2025 (half-term
 * week 27 Oct left out: no school days, so not a school week). F attends every session of weeks
 * 1–5 and is off (O) all of weeks 6–10; 10 sessions a week.
 *   ytd %: weeks 1–5 100; week 6 50/60 = 83.3; 7 50/70 = 71.4; 8 50/80 = 62.5; 9 50/90 = 55.6; 10 50/100 = 50.
 *   recent % (the last 4 school weeks): weeks 1–5 100; 6 (weeks 3–6) 30/40 = 75; 7 20/40 = 50;
 *     8 10/40 = 25; 9 and 10 0.
 *   attendance_falling: the year so far is under 90% now, and the year up to 4 weeks back was
 *     90% or more over at least 20 sessions: week 5 has 10 sessions 4 weeks back (week 1) → no;
 *     weeks 6–9 (weeks 1–2 … 1–5 all attended) → yes; week 10 (weeks 1–6: 83.3%) → no.
 *   attendance_at_risk: 20+ sessions so far and under 93%: weeks 6–10.
 * G attends weeks 1–5 and is off (O) 6 sessions of week 6: 54/60 = 90.0% so far, absence 6/60 =
 *   10%: persistent absence (DfE: 10% or more), so G moved into it in week 6 (weeks 1–2 before: 100%);
 *   week 7: 64/70 = 91.4%, no longer persistently absent.
 */
describe('int_watchlist_signals attendance', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const days = weekdays('2025-09-08', '2025-11-21', weekdays('2025-10-27', '2025-10-31'));
    warehouse = await modelledSchool({
      students: ['F', 'G', 'Z'].map((id) => ({ student_id: id, first_name: id, year_group: 9 })),
      attendance: registers(['F', 'G', 'Z'], days, { ...mark('F', days.slice(25), 'O'), ...mark('G', days.slice(25, 28), 'O') }),
    });
  });
  afterAll(() => warehouse?.close());

  it('works out the year so far, the last 4 weeks and the fall into persistent absence', async () => {
    const signals = await rows(
      warehouse,
      `SELECT week_index, ytd_attendance_pct AS ytd, recent_attendance_pct AS recent, attendance_falling AS falling, attendance_at_risk AS at_risk
       FROM int_watchlist_signals WHERE student_id = 'F' ORDER BY week_index`,
    );
    const expected = [
      [1, 100, 100, false, false],
      [2, 100, 100, false, false],
      [3, 100, 100, false, false],
      [4, 100, 100, false, false],
      [5, 100, 100, false, false],
      [6, 83.3, 75, true, true],
      [7, 71.4, 50, true, true],
      [8, 62.5, 25, true, true],
      [9, 55.6, 0, true, true],
      [10, 50, 0, false, true],
    ].map(([week_index, ytd, recent, falling, at_risk]) => ({ week_index, ytd, recent, falling, at_risk }));
    expect(signals).toEqual(expected);
  });

  it('flags a move into persistent absence at exactly 10% absence (90.0% attendance)', async () => {
    const signals = await rows(
      warehouse,
      `SELECT week_index, ytd_attendance_pct AS ytd, attendance_falling AS falling
       FROM int_watchlist_signals WHERE student_id = 'G' AND week_index BETWEEN 5 AND 7 ORDER BY week_index`,
    );
    expect(signals).toEqual([
      { week_index: 5, ytd: 100, falling: false },
      { week_index: 6, ytd: 90, falling: true },
      { week_index: 7, ytd: 91.4, falling: false },
    ]);
  });
});
