import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { mark, modelledSchool, registers, rows, weekdays, type SchoolFiles } from '../helpers/school-builder.ts';

/*
 * Six school weeks from 8 Sep 2025 (week 1) to 17 Oct (week 6); windows of 2 school weeks, so
 * the whole baseline is the "run" (its last 2 weeks) and there are no earlier weeks to match.
 * I1: T (Year 9) starts Wed 24 Sep (week 3): baseline = weeks 1–2, after = weeks 4–5.
 *   T: negative events 2, 4 | (week 3 ignored) | 1, 1 → baseline 3/wk, after 1/wk, change −2.
 *   Comparison candidates: Year 9, no intervention from week 1 to the end of week 3:
 *     C1: 2, 4 | 3, 2 → run 3/wk (within 0.5 of T's 3) → change 2.5 − 3 = −0.5.
 *     C2: 0, 0 | 2, 0 → run 0/wk, 3 away from T's: outside the caliper, not a comparison.
 *     C3: 3, 3 | 0, – → its own intervention starts Wed 8 Oct (week 5), inside the after
 *         window, so it is measured over week 4 only: after 0/wk, change 0 − 3 = −3.
 *     D is in Year 10; N has an intervention of its own from week 4 (and no baseline).
 *   Comparison: C1 and C3 (within the caliper, so C2 is not taken), baseline (3 + 3) / 2 = 3,
 *   mean change (−0.5 − 3) / 2 = −1.75, mean run 3 = T's, so no adjustment
 *   → DiD = −2 − (−1.75) = −0.25; counterfactual after-rate 3 − 1.75 = 1.25;
 *   everyone always present → attendance DiD 0.
 * I2: N joins on 29 Sep and starts then (week 4): no baseline weeks on roll → never estimated.
 * I3: C3 starts week 5: baseline weeks 3–4, C3: 0, 0 → run 0/wk; after = week 6 only: 0 → change 0.
 *   Year 9 classmates with no intervention from week 3 to week 5: C1 (0, 3 → 1.5/wk; week 6: 0,
 *   change −1.5) and C2 (0, 2 → 1/wk; change −1), both more than 0.5 away (T and N have
 *   interventions running): no classmate within the caliper, so the nearest 10 (both) are
 *   taken and the gap in the run is adjusted for.
 *   Slope of the change on the run over every matched comparison of the school (x2, the level,
 *   is 0 for all with 2-week windows, so the run alone): (x, y) = I1's C1 (3, −0.5), C3 (3, −3),
 *   I3's C1 (1.5, −1.5), C2 (1, −1): mean x 2.125, mean y −1.5, var x 21.25/4 − 2.125² = 0.796875,
 *   cov −13.75/4 + 2.125 × 1.5 = −0.25 → b1 = −0.25 / 0.796875 = −0.3137.
 *   I1: adjustment b1 × (3 − 3) = 0. I3: comparison change −1.25, adjustment b1 × (0 − 1.25)
 *   = +0.392 → counterfactual 0 − 1.25 + 0.392 = −0.858, below 0, so 0 → DiD = 0 − 0 = 0.
 */
const days = weekdays('2025-09-08', '2025-10-17');
const weekDays = (w: number) => days.slice((w - 1) * 5, w * 5);
let eventId = 0;
function events(student: string, perWeek: Record<number, number>) {
  return Object.entries(perWeek).flatMap(([w, n]) =>
    Array.from({ length: n }, (_, i) => ({ event_id: `E${++eventId}`, student_id: student, date: weekDays(Number(w))[i % 5], category: 'Disruption', points: -1 })),
  );
}

const school: SchoolFiles = {
  students: [
    { student_id: 'T', year_group: 9 }, { student_id: 'C1', year_group: 9 }, { student_id: 'C2', year_group: 9 },
    { student_id: 'C3', year_group: 9 }, { student_id: 'D', year_group: 10 }, { student_id: 'N', year_group: 9, admission_date: '2025-09-29' },
  ],
  attendance: [...registers(['T', 'C1', 'C2', 'C3', 'D'], days), ...registers(['N'], days.filter((d) => d >= '2025-09-29'))],
  behaviour: [
    ...events('T', { 1: 2, 2: 4, 3: 5, 4: 1, 5: 1 }),
    ...events('C1', { 1: 2, 2: 4, 4: 3, 5: 2 }),
    ...events('C2', { 4: 2 }),
    ...events('C3', { 1: 3, 2: 3 }),
    ...events('D', { 1: 3, 2: 3, 4: 3, 5: 3 }),
  ],
  interventions: [
    { intervention_id: 'I1', student_id: 'T', type: 'Mentoring', focus: 'behaviour', start_date: '2025-09-24', status: 'active' },
    { intervention_id: 'I2', student_id: 'N', type: 'Mentoring', focus: 'behaviour', start_date: '2025-09-29', status: 'active' },
    { intervention_id: 'I3', student_id: 'C3', type: 'Report card', focus: 'behaviour', start_date: '2025-10-08', status: 'active' },
  ],
};

describe('mart_intervention_impact on hand-made pupils', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await modelledSchool(school, { impactWindowWeeks: 2 });
  });
  afterAll(() => warehouse?.close());

  it('measures the pupil against matched comparison pupils over the same weeks', async () => {
    const [i1] = await rows(
      warehouse,
      `SELECT baseline_weeks, after_weeks, has_baseline, usable, baseline_negative_per_week, after_negative_per_week, negative_change,
         comparison_pupils, comparison_pupils_within_caliper, comparison_baseline_negative_per_week, comparison_negative_change,
         comparison_negative_adjustment, negative_did, counterfactual_after_negative_per_week, attendance_change, attendance_did
       FROM mart_intervention_impact WHERE intervention_id = 'I1'`,
    );
    expect(i1).toEqual({
      baseline_weeks: 2, after_weeks: 2, has_baseline: true, usable: true,
      baseline_negative_per_week: 3, after_negative_per_week: 1, negative_change: -2,
      comparison_pupils: 2, comparison_pupils_within_caliper: 2, comparison_baseline_negative_per_week: 3, comparison_negative_change: -1.75,
      comparison_negative_adjustment: 0, negative_did: -0.25, counterfactual_after_negative_per_week: 1.25, attendance_change: 0, attendance_did: 0,
    });
    // C1 and C3 are equally near (a fixed hash orders them); C2 is left out.
    const matched = await rows(warehouse, "SELECT measured_id, nearness::INTEGER AS nearness, within_caliper FROM int_intervention_matches WHERE intervention_id = 'I1' ORDER BY measured_id");
    expect(matched).toEqual([
      { measured_id: 'C1', nearness: expect.toBeOneOf([1, 2]), within_caliper: true },
      { measured_id: 'C3', nearness: expect.toBeOneOf([1, 2]), within_caliper: true },
      { measured_id: 'T', nearness: 0, within_caliper: null },
    ]);
  });

  it('compares a pupil with no classmate within the caliper with the nearest ones, adjusted for the gap', async () => {
    const [i3] = await rows(
      warehouse,
      `SELECT baseline_negative_per_week, negative_change, comparison_pupils, comparison_pupils_within_caliper, comparison_baseline_negative_per_week,
         comparison_negative_change, comparison_negative_adjustment, counterfactual_after_negative_per_week, negative_did
       FROM mart_intervention_impact WHERE intervention_id = 'I3'`,
    );
    expect(i3).toEqual({
      baseline_negative_per_week: 0, negative_change: 0, comparison_pupils: 2, comparison_pupils_within_caliper: 0,
      comparison_baseline_negative_per_week: 1.25, comparison_negative_change: -1.25, comparison_negative_adjustment: 0.392,
      counterfactual_after_negative_per_week: 0, negative_did: 0,
    });
  });

  it('says why a listed intervention has no estimate', async () => {
    const reasons = await rows(warehouse, 'SELECT intervention_id, usable, comparison_pupils, negative_did, not_estimated_because FROM mart_intervention_impact ORDER BY intervention_id');
    expect(reasons).toEqual([
      { intervention_id: 'I1', usable: true, comparison_pupils: 2, negative_did: -0.25, not_estimated_because: null },
      { intervention_id: 'I2', usable: false, comparison_pupils: 0, negative_did: null, not_estimated_because: 'no baseline' },
      { intervention_id: 'I3', usable: true, comparison_pupils: 2, negative_did: 0, not_estimated_because: null },
    ]);
  });

  it('lists an intervention with no baseline but never estimates it', async () => {
    const [i2] = await rows(warehouse, "SELECT baseline_weeks, has_baseline, usable, negative_change, negative_did FROM mart_intervention_impact WHERE intervention_id = 'I2'");
    expect(i2).toEqual({ baseline_weeks: 0, has_baseline: false, usable: false, negative_change: null, negative_did: null });
  });

  it('says "too few pupils to say" below the minimum, per type, per focus and overall', async () => {
    const byType = await rows(
      warehouse,
      `SELECT breakdown, label, interventions, interventions_with_baseline, interventions_no_comparison, pupils, enough_pupils, verdict_withheld,
         not_estimated_baseline_negative_per_week
       FROM mart_intervention_impact_by_type ORDER BY breakdown, label`,
    );
    const withheld = { enough_pupils: false, verdict_withheld: 'too few pupils to say' };
    // I2 has no baseline, so it is not among those the estimate could speak for.
    expect(byType).toEqual([
      { breakdown: 'all', label: 'All interventions', interventions: 3, interventions_with_baseline: 2, interventions_no_comparison: 0, pupils: 2, ...withheld, not_estimated_baseline_negative_per_week: null },
      { breakdown: 'focus', label: 'behaviour', interventions: 3, interventions_with_baseline: 2, interventions_no_comparison: 0, pupils: 2, ...withheld, not_estimated_baseline_negative_per_week: null },
      { breakdown: 'type', label: 'Mentoring', interventions: 2, interventions_with_baseline: 1, interventions_no_comparison: 0, pupils: 1, ...withheld, not_estimated_baseline_negative_per_week: null },
      { breakdown: 'type', label: 'Report card', interventions: 1, interventions_with_baseline: 1, interventions_no_comparison: 0, pupils: 1, ...withheld, not_estimated_baseline_negative_per_week: null },
    ]);
  });

  it('numbers each intervention within its school and year, and keys its resamples by that number', async () => {
    // I1, I2, I3 in order of intervention id (one school, one year): 1, 2, 3 on every row of each.
    const keys = await rows(
      warehouse,
      `SELECT intervention_id, min(intervention_key) AS low, max(intervention_key) AS high
       FROM int_intervention_matches GROUP BY intervention_id ORDER BY intervention_id`,
    );
    expect(keys).toEqual([
      { intervention_id: 'I1', low: 1, high: 1 },
      { intervention_id: 'I2', low: 2, high: 2 },
      { intervention_id: 'I3', low: 3, high: 3 },
    ]);
    // I2 is never estimated, so only keys 1 and 3 are resampled; the view gives them their ids
    // back, one row for each keyed row (1,000 resamples, those that draw the pupil).
    const keyed = await rows<{ intervention_key: number; n: number; drawn: number; with_ids: number }>(
      warehouse,
      `SELECT k.intervention_key, count(*)::INTEGER AS n, count(*) FILTER (WHERE k.weight > 0)::INTEGER AS drawn,
         (SELECT count(*)::INTEGER FROM int_impact_resamples r
          WHERE r.intervention_id = CASE k.intervention_key WHEN 1 THEN 'I1' WHEN 3 THEN 'I3' END
            AND r.student_id = CASE k.intervention_key WHEN 1 THEN 'T' WHEN 3 THEN 'C3' END) AS with_ids
       FROM int_impact_resamples_keyed k GROUP BY k.intervention_key ORDER BY k.intervention_key`,
    );
    expect(keyed.map((k) => k.intervention_key)).toEqual([1, 3]);
    for (const k of keyed) {
      expect(k.n).toBe(k.drawn);
      expect(k.n).toBeGreaterThan(500);
      expect(k.n).toBeLessThan(1000);
      expect(k.with_ids).toBe(k.n);
    }
  });
});

describe('mart_intervention_impact with a wider caliper (settings.impact_match_caliper)', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await modelledSchool(school, { impactWindowWeeks: 2, impactMatchCaliper: 3 });
  });
  afterAll(() => warehouse?.close());

  it('lets C2 (run 3/wk below T) into the comparison, and adjusts for its lower run', async () => {
    // C1 −0.5, C2 +1, C3 −3: baseline (3 + 0 + 3) / 3 = 2, mean change −2.5 / 3 = −0.833.
    // Slope over every matched comparison (I1: C1 (3, −0.5), C2 (0, 1), C3 (3, −3); I3, both
    // within 3 now: C1 (1.5, −1.5), C2 (1, −1)): mean x 1.7, mean y −1, var x 21.25/5 − 1.7² = 1.36,
    // cov −13.75/5 + 1.7 = −1.05 → b1 = −0.772. T's run 3 against the comparison's mean run 2:
    // adjustment −0.772 × (3 − 2) = −0.772 → counterfactual 3 − 0.833 − 0.772 = 1.395;
    // DiD = 1 − 1.395 = −0.395 (unadjusted it would be −1.167).
    const [i1] = await rows(
      warehouse,
      `SELECT comparison_pupils, comparison_pupils_within_caliper, comparison_baseline_negative_per_week, comparison_negative_change,
         comparison_negative_adjustment, negative_did, counterfactual_after_negative_per_week
       FROM mart_intervention_impact WHERE intervention_id = 'I1'`,
    );
    expect(i1).toEqual({
      comparison_pupils: 3, comparison_pupils_within_caliper: 3, comparison_baseline_negative_per_week: 2, comparison_negative_change: -0.833,
      comparison_negative_adjustment: -0.772, negative_did: -0.395, counterfactual_after_negative_per_week: 1.395,
    });
  });
});

/*
 * An attendance-focus intervention is matched on attendance, not behaviour (nobody here has an
 * incident, so on behaviour every classmate would match). Same six weeks, windows of 2 weeks;
 * A (Year 8) starts Wed 24 Sep (week 3). Absence is illness (I), both sessions of a day.
 *   A: off 4 days in weeks 1–2 → 12 of 20 sessions = 60%; off 1 day in weeks 4–5 → 90%; +30.
 *   P: off 4 days in weeks 1–2 → 60% (gap 0); off 3 days in weeks 4–5 → 70%; +10.
 *   Q: never off → 100%, 40 points from A's 60%: outside the 5-point caliper.
 *   Comparison: P alone → attendance DiD = 30 − 10 = 20 (with Q as well it would be 30 − 5 = 25).
 */
describe('mart_intervention_impact for an attendance intervention', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const off = (student: string, week: number, n: number) => mark(student, weekDays(week).slice(0, n), 'I');
    warehouse = await modelledSchool(
      {
        students: [{ student_id: 'A', year_group: 8 }, { student_id: 'P', year_group: 8 }, { student_id: 'Q', year_group: 8 }],
        attendance: registers(['A', 'P', 'Q'], days, { ...off('A', 1, 2), ...off('A', 2, 2), ...off('A', 4, 1), ...off('P', 1, 2), ...off('P', 2, 2), ...off('P', 4, 3) }),
        interventions: [{ intervention_id: 'IA', student_id: 'A', type: 'Attendance improvement plan', focus: 'attendance', start_date: '2025-09-24', status: 'active' }],
      },
      { impactWindowWeeks: 2 },
    );
  });
  afterAll(() => warehouse?.close());

  it('compares the pupil with classmates whose attendance before the start was like theirs', async () => {
    const [ia] = await rows(
      warehouse,
      `SELECT baseline_attendance_pct, after_attendance_pct, attendance_change, comparison_pupils, comparison_baseline_attendance_pct,
         comparison_attendance_change, attendance_did, negative_did
       FROM mart_intervention_impact WHERE intervention_id = 'IA'`,
    );
    expect(ia).toEqual({
      baseline_attendance_pct: 60, after_attendance_pct: 90, attendance_change: 30, comparison_pupils: 1,
      comparison_baseline_attendance_pct: 60, comparison_attendance_change: 10, attendance_did: 20, negative_did: 0,
    });
  });
});

/*
 * One pupil far out must not carry a type. Five Year 9 pupils start a Report card on Wed 24 Sep
 * (week 3), windows of 2 weeks; their one comparison classmate K has 2, 2 | 2, 2 (change 0),
 * and each of them 2, 2 before (run 2, as K's: no adjustment; counterfactual 2 each, 10 in all).
 *   After: R1 1, 1 → DiD −1; R2 1, 1 → −1; R3 1, 2 → −0.5; R4 1, 0 → −1.5; R5 13, 13 → +11.
 *   Mean DiD 7 / 5 = 1.4, relative 7 / 10 = +0.7: one pupil turns a fall into a rise.
 *   Robust: median −1; absolute deviations 0, 0, 0.5, 0.5, 12 → MAD 0.5; bound −1 ± 3 × 1.4826
 *   × 0.5 = ±2.224 → R5 held at 1.224 (kept to 3 decimals); sum −4 + 1.224 = −2.776
 *   → robust DiD −0.555, robust relative −2.776 / 10 = −0.278.
 */
describe('mart_intervention_impact_by_type: a robust estimate beside the mean', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const pupils = ['R1', 'R2', 'R3', 'R4', 'R5'];
    const after: Record<string, [number, number]> = { R1: [1, 1], R2: [1, 1], R3: [1, 2], R4: [1, 0], R5: [13, 13], K: [2, 2] };
    warehouse = await modelledSchool(
      {
        students: [...pupils, 'K'].map((student_id) => ({ student_id, year_group: 9 })),
        attendance: registers([...pupils, 'K'], days),
        behaviour: [...pupils, 'K'].flatMap((p) => events(p, { 1: 2, 2: 2, 4: after[p][0], 5: after[p][1] })),
        interventions: pupils.map((p, i) => ({ intervention_id: `RC${i + 1}`, student_id: p, type: 'Report card', focus: 'behaviour', start_date: '2025-09-24', status: 'active' })),
      },
      { impactWindowWeeks: 2 },
    );
  });
  afterAll(() => warehouse?.close());

  it('holds the far-out pupil within 3 scaled MADs of the median', async () => {
    const dids = await rows(warehouse, 'SELECT student_id, negative_did, counterfactual_after_negative_per_week AS cf FROM mart_intervention_impact ORDER BY student_id');
    expect(dids).toEqual([
      { student_id: 'R1', negative_did: -1, cf: 2 }, { student_id: 'R2', negative_did: -1, cf: 2 }, { student_id: 'R3', negative_did: -0.5, cf: 2 },
      { student_id: 'R4', negative_did: -1.5, cf: 2 }, { student_id: 'R5', negative_did: 11, cf: 2 },
    ]);
    const [reportCard] = await rows(
      warehouse,
      `SELECT pupils, negative_did, relative_effect, robust_negative_did, robust_relative_effect, interventions_held_in
       FROM mart_intervention_impact_by_type WHERE breakdown = 'type' AND label = 'Report card'`,
    );
    expect(reportCard).toEqual({
      pupils: 5, negative_did: 1.4, relative_effect: 0.7, robust_negative_did: -0.555, robust_relative_effect: -0.278, interventions_held_in: 1,
    });
  });

  it('gives the robust estimate an interval from the same resamples, which the far-out pupil stretches far less than the mean', async () => {
    const [reportCard] = await rows<{ relative_effect_low: number; relative_effect_high: number; robust_relative_effect_low: number; robust_relative_effect_high: number }>(
      warehouse,
      `SELECT relative_effect_low, relative_effect_high, robust_relative_effect_low, robust_relative_effect_high
       FROM mart_intervention_impact_by_type WHERE breakdown = 'type' AND label = 'Report card'`,
    );
    // A resample counts each pupil 0, 1, 2 … times; its relative effect is the weighted sum of DiDs
    // over the weighted sum of counterfactuals (2 each), with the bound kept as estimated. So the
    // robust one lies between R4 alone (−1.5 / 2 = −0.75) and R5 alone (1.224 / 2 = 0.612), while
    // the mean's resamples can reach 11 / 2 = 5.5: R5 in a resample pulls it far up.
    // The interval is the basic bootstrap one: 2 × estimate − the 97.5th percentile (low) and
    // − the 2.5th (high), never below −100%. Robust: 2 × −0.278 = −0.556, so the high end is at
    // most −0.556 + 0.75 = 0.194 and the low end at least −0.556 − 0.612 = −1.168, held at −1.
    // The mean's resamples that draw R5 twice or more run far above 0.7, so its interval
    // reaches far below the estimate (to the −100% floor), where the robust one does not.
    expect(reportCard.robust_relative_effect_high).toBeLessThanOrEqual(0.194);
    expect(reportCard.robust_relative_effect_low).toBeGreaterThanOrEqual(-1);
    expect(reportCard.robust_relative_effect_low).toBeLessThan(-0.278);
    expect(reportCard.robust_relative_effect_high).toBeGreaterThan(-0.278);
    expect(reportCard.relative_effect_low).toBe(-1);
    expect(reportCard.relative_effect_high).toBeGreaterThan(0.7);
    expect(reportCard.robust_relative_effect_low).toBeGreaterThan(reportCard.relative_effect_low);
  });

  it('reflects the resampled estimates about the estimate (basic bootstrap interval)', async () => {
    // The percentiles of the 1,000 resampled robust relative effects, taken here from the shared
    // resamples with R5 held at its bound (−1 + 2.2239 = 1.2239 a week, in millionths as the mart holds it): low = 2 × estimate − q97.5,
    // high = 2 × estimate − q2.5.
    const [q] = await rows<{ q025: number; q975: number }>(
      warehouse,
      `SELECT quantile_cont(r, 0.025) AS q025, quantile_cont(r, 0.975) AS q975 FROM (
         SELECT rep, sum(weight * CASE WHEN student_id = 'R5' THEN 1223900 ELSE negative_did_e6 END)
           / sum(weight * counterfactual_after_negative_per_week_e6) AS r
         FROM int_impact_resamples GROUP BY rep)`,
    );
    const [reportCard] = await rows<{ robust_relative_effect: number; robust_relative_effect_low: number; robust_relative_effect_high: number }>(
      warehouse,
      `SELECT robust_relative_effect, robust_relative_effect_low, robust_relative_effect_high
       FROM mart_intervention_impact_by_type WHERE breakdown = 'type' AND label = 'Report card'`,
    );
    expect(reportCard.robust_relative_effect_low).toBeCloseTo(Math.max(-1, 2 * -0.2776 - q.q975), 3);
    expect(reportCard.robust_relative_effect_high).toBeCloseTo(2 * -0.2776 - q.q025, 3);
  });
});

/*
 * Two interventions starting in the same school week in one year group share that start's
 * classmates and windows (int_intervention_matches measures each start once): U (Year 9) starts
 * I4 on Thu 25 Sep, the week T starts I1 (Wed 24 Sep). Neither pupil is a candidate for the
 * other (each has an intervention from week 1 to the end of week 3), nor for their own.
 *   U: negative events 3, 3 | (week 3 ignored) | 2, 2 → baseline 3/wk, after 2/wk, change −1.
 *   Candidates as for I1 above: C1 (run 3, change −0.5) and C3 (run 3, change −3) within the
 *   caliper; C2 (run 0) not. (C3's own intervention starts on Wed 8 Oct, in week 5: the last
 *   school week starting before it is week 5 itself, the after window's last, so C3 is measured
 *   over both after weeks, 0 events in each.)
 *   Both pupils' runs equal their comparisons' mean run (3), so whatever the fitted slopes, no
 *   adjustment: I1 DiD −2 − (−1.75) = −0.25 as above; I4 DiD −1 − (−1.75) = 0.75, counterfactual
 *   3 − 1.75 = 1.25.
 */
describe('mart_intervention_impact: two interventions starting in the same week in one year group', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await modelledSchool(
      {
        ...school,
        students: [...(school.students ?? []), { student_id: 'U', year_group: 9 }],
        attendance: [...(school.attendance ?? []), ...registers(['U'], days)],
        behaviour: [...(school.behaviour ?? []), ...events('U', { 1: 3, 2: 3, 4: 2, 5: 2 })],
        interventions: [
          ...(school.interventions ?? []),
          { intervention_id: 'I4', student_id: 'U', type: 'Mentoring', focus: 'behaviour', start_date: '2025-09-25', status: 'active' },
        ],
      },
      { impactWindowWeeks: 2 },
    );
  });
  afterAll(() => warehouse?.close());

  it('compares both with the same classmates, never with each other', async () => {
    const matched = await rows(
      warehouse,
      `SELECT intervention_id, measured_id, within_caliper, after_weeks::INTEGER AS after_weeks
       FROM int_intervention_matches WHERE intervention_id IN ('I1', 'I4') AND nearness > 0 ORDER BY intervention_id, measured_id`,
    );
    expect(matched).toEqual([
      { intervention_id: 'I1', measured_id: 'C1', within_caliper: true, after_weeks: 2 },
      { intervention_id: 'I1', measured_id: 'C3', within_caliper: true, after_weeks: 2 },
      { intervention_id: 'I4', measured_id: 'C1', within_caliper: true, after_weeks: 2 },
      { intervention_id: 'I4', measured_id: 'C3', within_caliper: true, after_weeks: 2 },
    ]);
    const impacts = await rows(
      warehouse,
      `SELECT intervention_id, baseline_negative_per_week, negative_change, comparison_pupils, comparison_negative_change,
         comparison_negative_adjustment, counterfactual_after_negative_per_week, negative_did
       FROM mart_intervention_impact WHERE intervention_id IN ('I1', 'I4') ORDER BY intervention_id`,
    );
    expect(impacts).toEqual([
      { intervention_id: 'I1', baseline_negative_per_week: 3, negative_change: -2, comparison_pupils: 2, comparison_negative_change: -1.75,
        comparison_negative_adjustment: 0, counterfactual_after_negative_per_week: 1.25, negative_did: -0.25 },
      { intervention_id: 'I4', baseline_negative_per_week: 3, negative_change: -1, comparison_pupils: 2, comparison_negative_change: -1.75,
        comparison_negative_adjustment: 0, counterfactual_after_negative_per_week: 1.25, negative_did: 0.75 },
    ]);
  });
});
