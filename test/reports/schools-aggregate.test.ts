/**
 * Small-count suppression for the builds outside the staff site, on figures small enough to
 * work out by hand (the expected values below are computed in the comments, not by the code).
 */
import { describe, expect, it } from 'vitest';
import { schoolsAggregate, type YearGroupWeek } from '../../src/reports/schools-aggregate.ts';
import { suppress, type Cell } from '../../src/reports/small-count-suppression.ts';

const cellsOf = (values: Record<string, number>) => new Map<string, Cell>(Object.entries(values).map(([k, v]) => [k, { value: v }]));
const hiddenOf = (cells: Map<string, Cell>) => Object.fromEntries([...cells].filter(([, c]) => c.hidden).map(([k, c]) => [k, c.hidden]));

describe('suppress: primary and secondary suppression', () => {
  it('hides a count below 5, and one more part when it alone is hidden (else total − the others gives it)', () => {
    const cells = cellsOf({ a: 3, b: 9, t: 12 });
    expect(suppress(cells, [{ kind: 'sum', total: 't', parts: ['a', 'b'], sumRule: true }], 5)).toEqual({ primary: 1, secondary: 1 });
    expect(hiddenOf(cells)).toEqual({ a: 'fewer than 5', b: 'secondary' });
  });

  it('hides zero too, and nothing more when two hidden counts add up to 5 or more', () => {
    const cells = cellsOf({ a: 0, b: 4, c: 3, d: 20, t: 27 });
    suppress(cells, [{ kind: 'sum', total: 't', parts: ['a', 'b', 'c', 'd'], sumRule: true }], 5);
    // hidden a + b + c = 7 ≥ 5: t − d = 7 says only that 7 is spread over three cells.
    expect(hiddenOf(cells)).toEqual({ a: 'fewer than 5', b: 'fewer than 5', c: 'fewer than 5' });
  });

  it('hides the next smallest part while the hidden parts add up to less than 5 (their sum would be a small number)', () => {
    const cells = cellsOf({ a: 2, b: 1, c: 30, d: 20, t: 53 });
    suppress(cells, [{ kind: 'sum', total: 't', parts: ['a', 'b', 'c', 'd'], sumRule: true }], 5);
    // a + b = 3 < 5 → hide d (20, the smallest shown); then 23 ≥ 5.
    expect(hiddenOf(cells)).toEqual({ a: 'fewer than 5', b: 'fewer than 5', d: 'secondary' });
  });

  it('hides the total when the only other member of an equality is hidden', () => {
    const cells = cellsOf({ week: 4, period: 40 });
    cells.get('period')!.value = 4;
    suppress(cells, [{ kind: 'sum', total: 'period', parts: ['week'], sumRule: false }], 5);
    expect(hiddenOf(cells)).toEqual({ week: 'fewer than 5', period: 'fewer than 5' });
    const noPrimary = new Map<string, Cell>([['week', { value: 3 }], ['period', { value: 3, noPrimary: true }]]);
    suppress(noPrimary, [{ kind: 'sum', total: 'period', parts: ['week'], sumRule: false }], 5);
    expect(hiddenOf(noPrimary)).toEqual({ week: 'fewer than 5', period: 'secondary' });
  });

  it('follows a hidden source, and carries on through the relations that exposes (two dimensions)', () => {
    // Rows r1, r2 and total row; columns x, y and total column. r1x = 2 is small.
    //      x   y  | T
    // r1   2  10  | 12
    // r2   8   9  | 17
    // T   10  19  | 29
    const cells = cellsOf({ r1x: 2, r1y: 10, r1T: 12, r2x: 8, r2y: 9, r2T: 17, Tx: 10, Ty: 19, TT: 29 });
    const sum = (total: string, parts: string[]) => ({ kind: 'sum' as const, total, parts, sumRule: true });
    suppress(cells, [sum('r1T', ['r1x', 'r1y']), sum('r2T', ['r2x', 'r2y']), sum('Tx', ['r1x', 'r2x']), sum('Ty', ['r1y', 'r2y']), sum('TT', ['Tx', 'Ty']), sum('TT', ['r1T', 'r2T'])], 5);
    // r1x alone in row r1 → r1y; alone in column x → r2x; then r2x alone in row r2 → r2y: a 2×2 block, no row or column with one hidden.
    expect(hiddenOf(cells)).toEqual({ r1x: 'fewer than 5', r1y: 'secondary', r2x: 'secondary', r2y: 'secondary' });
    const dependants = cellsOf({ roll: 3, sessions: 30 });
    suppress(dependants, [{ kind: 'follows', source: 'roll', dependants: ['sessions'] }], 5);
    expect(hiddenOf(dependants)).toEqual({ roll: 'fewer than 5', sessions: 'secondary' });
  });
});

describe('schoolsAggregate: the schools comparison outside the staff build', () => {
  const row = (year_group: number, week_start: string, v: number[]): YearGroupWeek => {
    const [pupils_on_roll, negative_events, possible_sessions, attending_sessions, pupils_persistently_absent, bsc_placements, suspensions] = v;
    return { school_id: 'S1', academic_year: '2025/26', year_group, week_start, term: 'Autumn', pupils_on_roll, negative_events, possible_sessions, attending_sessions, pupils_persistently_absent, bsc_placements, suspensions };
  };
  //                                    roll neg poss att pa bsc susp
  const input = [
    row(7, '2025-09-01', [10, 6, 100, 95, 1, 2, 0]),
    row(7, '2025-09-08', [10, 7, 100, 90, 2, 3, 1]),
    row(8, '2025-09-01', [12, 8, 120, 110, 3, 4, 0]),
    row(8, '2025-09-08', [12, 9, 120, 115, 3, 1, 0]),
  ];
  const result = schoolsAggregate(input, 5);
  const week = (w: string) => result.weeks.find((r) => r.week_start === w)!;
  const period = (p: string, yg: number | null) => result.periods.find((r) => r.period === p && r.year_group === yg)!;

  it('adds the year groups up each week, hiding counts below 5 and the BSC week that would give one away', () => {
    // Week 1: roll 22, neg 14, sessions 220/205, PA 1+3 = 4 (<5), BSC 2+4 = 6, suspensions 0 (<5).
    // Week 2: roll 22, neg 16, sessions 220/205, PA 2+3 = 5, BSC 3+1 = 4 (<5), suspensions 1 (<5).
    // BSC: the term's all-year-groups total is 10 = 6 + 4, so week 1's 6 is hidden with week 2's 4.
    expect(week('2025-09-01')).toMatchObject({ pupils_on_roll: 22, negative_events: 14, possible_sessions: 220, attending_sessions: 205, pupils_persistently_absent: null, bsc_placements: null, suspensions: null,
      suppressed: { pupils_persistently_absent: 'fewer than 5', bsc_placements: 'secondary', suspensions: 'fewer than 5' } });
    expect(week('2025-09-08')).toMatchObject({ pupils_on_roll: 22, negative_events: 16, pupils_persistently_absent: 5, bsc_placements: null, suspensions: null,
      suppressed: { bsc_placements: 'fewer than 5', suspensions: 'fewer than 5' } });
  });

  it("gives each period's totals by year group and for all, with the small ones hidden", () => {
    // Year 7, Autumn: 2 weeks, pupil-weeks 20, roll 10 and PA 2 (<5) at the last week, neg 13, sessions 200/185, BSC 5, suspensions 1 (<5).
    expect(period('Autumn', 7)).toMatchObject({ weeks: 2, last_week: '2025-09-08', pupil_weeks: 20, pupils_on_roll: 10, pupils_persistently_absent: null, negative_events: 13,
      possible_sessions: 200, attending_sessions: 185, bsc_placements: 5, suspensions: null, suppressed: { pupils_persistently_absent: 'fewer than 5', suspensions: 'fewer than 5' } });
    // Year 8: PA 3 (<5), suspensions 0 (<5). PA 2 + 3 = 5 hidden between them: the total 5 may stay.
    expect(period('Autumn', 8)).toMatchObject({ pupil_weeks: 24, pupils_on_roll: 12, pupils_persistently_absent: null, negative_events: 17, bsc_placements: 5, suspensions: null });
    // All year groups: roll 22, PA 5, neg 30, sessions 440/410, BSC 10, suspensions 1 (<5).
    expect(period('Autumn', null)).toMatchObject({ pupil_weeks: 44, pupils_on_roll: 22, pupils_persistently_absent: 5, negative_events: 30, possible_sessions: 440, attending_sessions: 410,
      bsc_placements: 10, suspensions: null, suppressed: { suspensions: 'fewer than 5' } });
    // One term so far: the whole year is the same.
    expect(period('Year', null)).toMatchObject({ negative_events: 30, bsc_placements: 10, suspensions: null });
    expect(result.periods).toHaveLength(6);
    // Primary: weeks 4 (PA, susp, BSC, susp), periods 5 per period × 2; secondary: week 1's BSC.
    expect(result.hidden).toEqual({ primary: 14, secondary: 1 });
  });
});
