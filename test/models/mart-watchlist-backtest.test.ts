import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * Six school weeks: 1, 8, 15 Dec 2025 (Autumn) and 5, 12, 19 Jan 2026 (Spring), week indexes 1–6.
 * Settings: the backtest checks the top 1 pupil, with a 1-week horizon, so as-of weeks 1–5 have
 * a week after them. Periods: Autumn ends at week 3; weeks 1–2 are fitting (1 + 1 ≤ 3, 2 + 1 ≤ 3),
 * week 3 is between (its outcome week is in Spring), weeks 4–5 are test.
 *
 * A: one negative event (no severity) every week. Risk = last 3 weeks + ½ × the 3 before +
 *    3 × per week this year: w1 1 + 3 = 4; w2 2 + 3 = 5; w3 3 + 3 = 6; w4 3 + ½ + 3 = 6.5;
 *    w5 3 + 1 + 3 = 7; w6 3 + 1.5 + 3 = 7.5. Never an outcome.
 * B: a BSC placement on the Monday of weeks 1, 2, 4 and 5 (5, 10 and 5 school days apart: the
 *    last three are repeats). Risk = 3 × placements in the last 4 weeks: w1 3; w2 6; w3 6; w4 9;
 *    w5 9; w6 6. Outcome (a repeat the week after): as of w1, w3, w4.
 * C: one severity-5 event in week 3: risk 1 + 3 × 1/3 + 1 serious = 3 (never top).
 * D: suspended from Monday of week 5: outcome as of w4. Risk 0.
 * Top 1 by the watchlist: w1 A (4 > 3), w2 B (6 > 5), w3 A (6 = 6, tie to the higher recent rate),
 *   w4 B, w5 B. Most negative events in 6 weeks: A every week (ties: none; C has 1 < A's).
 *   Most BSC placements this year: B every week.
 * Pupils with the outcome: w1 1 (B), w2 0, w3 1 (B), w4 2 (B, D), w5 0; 4 on roll.
 */
describe('mart_watchlist_backtest', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const days = [...weekdays('2025-12-01', '2025-12-19'), ...weekdays('2026-01-05', '2026-01-23')];
    const w = (n: number) => days.slice((n - 1) * 5, n * 5);
    const pupils = ['A', 'B', 'C', 'D'];
    warehouse = await modelledSchool(
      {
        students: pupils.map((id) => ({ student_id: id, first_name: id, year_group: 8 })),
        attendance: registers(pupils, days),
        behaviour: [
          ...[1, 2, 3, 4, 5, 6].map((n) => ({ event_id: `A${n}`, student_id: 'A', date: w(n)[1], category: 'Disruption', points: -1 })),
          { event_id: 'C3', student_id: 'C', date: w(3)[2], category: 'Physical', points: -5, severity: 5 },
        ],
        bsc: [1, 2, 4, 5].map((n) => ({ referral_id: `B${n}`, student_id: 'B', date: w(n)[0] })),
        suspensions: [{ suspension_id: 'S1', student_id: 'D', start_date: w(5)[0], days: 1, type: 'suspension' }],
      },
      { watchlistTopPupils: 1, watchlistHorizonWeeks: 1 },
    );
  });
  afterAll(() => warehouse?.close());

  it('scores pupils by the risk score and ranks the top pupil each week', async () => {
    const top = await rows(
      warehouse,
      `SELECT strftime(as_of_week, '%Y-%m-%d') AS week, student_id, score FROM mart_watchlist WHERE rank = 1 ORDER BY as_of_week`,
    );
    expect(top).toEqual([
      { week: '2025-12-01', student_id: 'A', score: 4 },
      { week: '2025-12-08', student_id: 'B', score: 6 },
      { week: '2025-12-15', student_id: 'A', score: 6 },
      { week: '2026-01-05', student_id: 'B', score: 9 },
      { week: '2026-01-12', student_id: 'B', score: 9 },
      { week: '2026-01-19', student_id: 'A', score: 7.5 },
    ]);
    const c = await rows(warehouse, `SELECT risk_score, serious_last_6_weeks FROM int_watchlist_signals WHERE student_id = 'C' AND week_index = 3`);
    expect(c).toEqual([{ risk_score: 3, serious_last_6_weeks: 1 }]);
  });

  it('compares the watchlist with the two naive rules on the same weeks and outcome: hit rate, recall, lift', async () => {
    const result = await rows(
      warehouse,
      `SELECT strftime(week_start, '%Y-%m-%d') AS week, period, rule, pupils_on_roll, pupils_with_outcome, picked, picked_with_outcome,
         hit_rate_pct, recall_pct, lift
       FROM mart_watchlist_backtest ORDER BY week_start, rule_order`,
    );
    const row = (week: string, period: string, rule: string, outcomes: number, hits: number, hit: number, recall: number | null, lift: number | null) =>
      ({ week, period, rule, pupils_on_roll: 4, pupils_with_outcome: outcomes, picked: 1, picked_with_outcome: hits, hit_rate_pct: hit, recall_pct: recall, lift });
    expect(result).toEqual([
      row('2025-12-01', 'fitting', 'watchlist', 1, 0, 0, 0, 0),
      row('2025-12-01', 'fitting', 'recent_negatives', 1, 0, 0, 0, 0),
      // 1 of 1 picked (100%), 1 of 1 with the outcome (100%), 100% ÷ (1 of 4 = 25%) = 4.
      row('2025-12-01', 'fitting', 'bsc_this_year', 1, 1, 100, 100, 4),
      // Nobody had the outcome: recall and lift are undefined, not 0.
      row('2025-12-08', 'fitting', 'watchlist', 0, 0, 0, null, null),
      row('2025-12-08', 'fitting', 'recent_negatives', 0, 0, 0, null, null),
      row('2025-12-08', 'fitting', 'bsc_this_year', 0, 0, 0, null, null),
      row('2025-12-15', 'between', 'watchlist', 1, 0, 0, 0, 0),
      row('2025-12-15', 'between', 'recent_negatives', 1, 0, 0, 0, 0),
      row('2025-12-15', 'between', 'bsc_this_year', 1, 1, 100, 100, 4),
      // B and D had the outcome: B picked → 100% hit, recall 1 of 2 = 50%, lift 100% ÷ 50% = 2.
      row('2026-01-05', 'test', 'watchlist', 2, 1, 100, 50, 2),
      row('2026-01-05', 'test', 'recent_negatives', 2, 0, 0, 0, 0),
      row('2026-01-05', 'test', 'bsc_this_year', 2, 1, 100, 50, 2),
      row('2026-01-12', 'test', 'watchlist', 0, 0, 0, null, null),
      row('2026-01-12', 'test', 'recent_negatives', 0, 0, 0, null, null),
      row('2026-01-12', 'test', 'bsc_this_year', 0, 0, 0, null, null),
    ]);
  });

  it("sums each period's weeks per rule, and takes the rates from the sums (mart_watchlist_backtest_totals)", async () => {
    const result = await rows(
      warehouse,
      `SELECT period, rule, weeks, pupils_on_roll, pupils_with_outcome, picked, picked_with_outcome, hit_rate_pct, recall_pct, base_rate_pct, lift
       FROM mart_watchlist_backtest_totals ORDER BY period, rule_order`,
    );
    const row = (period: string, rule: string, weeks: number, outcomes: number, hits: number, hit: number, recall: number, base: number, lift: number) =>
      ({ period, rule, weeks, pupils_on_roll: 4 * weeks, pupils_with_outcome: outcomes, picked: weeks, picked_with_outcome: hits, hit_rate_pct: hit, recall_pct: recall, base_rate_pct: base, lift });
    expect(result).toEqual([
      // Week 3 alone: 1 of 4 with the outcome (25%); the BSC rule picked B, who had it.
      row('between', 'watchlist', 1, 1, 0, 0, 0, 25, 0),
      row('between', 'recent_negatives', 1, 1, 0, 0, 0, 25, 0),
      row('between', 'bsc_this_year', 1, 1, 1, 100, 100, 25, 4),
      // Weeks 1–2: 8 pupil-weeks, 1 with the outcome (12.5%); the BSC rule's 1 hit of 2 picks = 50%,
      // of 1 outcome = 100%; lift 50 ÷ 12.5 = 4.
      row('fitting', 'watchlist', 2, 1, 0, 0, 0, 12.5, 0),
      row('fitting', 'recent_negatives', 2, 1, 0, 0, 0, 12.5, 0),
      row('fitting', 'bsc_this_year', 2, 1, 1, 50, 100, 12.5, 4),
      // Weeks 4–5: 2 of 8 with the outcome (25%); the watchlist and the BSC rule 1 hit of 2 picks (50%),
      // of 2 outcomes (50%): lift 50 ÷ 25 = 2. The week with no outcome still counts its picks.
      row('test', 'watchlist', 2, 2, 1, 50, 50, 25, 2),
      row('test', 'recent_negatives', 2, 2, 0, 0, 0, 25, 0),
      row('test', 'bsc_this_year', 2, 2, 1, 50, 50, 25, 2),
    ]);
  });
});
