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
 *     D is in Year 10; N has an intervention of its own from week 4.
 *   Comparison: C1 and C3, baseline (3 + 3) / 2 = 3, mean change (−0.5 − 3) / 2 = −1.75
 *   → DiD = −2 − (−1.75) = −0.25; counterfactual after-rate 3 − 1.75 = 1.25;
 *   everyone always present → attendance DiD 0.
 * I2: N joins on 29 Sep and starts then (week 4): no baseline weeks on roll → never estimated.
 * I3: C3 starts week 5: baseline weeks 3–4, C3: 0, 0 → run 0/wk. Year 9 classmates with no
 *   intervention from week 3 to week 5: C1 (0, 3 → 1.5/wk) and C2 (0, 2 → 1/wk), both more
 *   than 0.5 away (T and N have interventions running) → no comparable pupils.
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
         comparison_pupils, comparison_baseline_negative_per_week, comparison_negative_change, negative_did,
         counterfactual_after_negative_per_week, attendance_change, attendance_did
       FROM mart_intervention_impact WHERE intervention_id = 'I1'`,
    );
    expect(i1).toEqual({
      baseline_weeks: 2, after_weeks: 2, has_baseline: true, usable: true,
      baseline_negative_per_week: 3, after_negative_per_week: 1, negative_change: -2,
      comparison_pupils: 2, comparison_baseline_negative_per_week: 3, comparison_negative_change: -1.75, negative_did: -0.25,
      counterfactual_after_negative_per_week: 1.25, attendance_change: 0, attendance_did: 0,
    });
  });

  it('says why a listed intervention has no estimate, and leaves out pupils with no comparable classmate', async () => {
    const reasons = await rows(warehouse, 'SELECT intervention_id, usable, comparison_pupils, negative_did, not_estimated_because FROM mart_intervention_impact ORDER BY intervention_id');
    expect(reasons).toEqual([
      { intervention_id: 'I1', usable: true, comparison_pupils: 2, negative_did: -0.25, not_estimated_because: null },
      { intervention_id: 'I2', usable: false, comparison_pupils: 0, negative_did: null, not_estimated_because: 'no baseline' },
      { intervention_id: 'I3', usable: true, comparison_pupils: 0, negative_did: null, not_estimated_because: 'no comparable pupils' },
    ]);
  });

  it('lists an intervention with no baseline but never estimates it', async () => {
    const [i2] = await rows(warehouse, "SELECT baseline_weeks, has_baseline, usable, negative_change, negative_did FROM mart_intervention_impact WHERE intervention_id = 'I2'");
    expect(i2).toEqual({ baseline_weeks: 0, has_baseline: false, usable: false, negative_change: null, negative_did: null });
  });

  it('says "too few pupils to say" below the minimum, per type, per focus and overall', async () => {
    const byType = await rows(
      warehouse,
      'SELECT breakdown, label, interventions, interventions_no_comparison, pupils, enough_pupils, verdict_withheld FROM mart_intervention_impact_by_type ORDER BY breakdown, label',
    );
    const withheld = { enough_pupils: false, verdict_withheld: 'too few pupils to say' };
    expect(byType).toEqual([
      { breakdown: 'all', label: 'All interventions', interventions: 3, interventions_no_comparison: 1, pupils: 1, ...withheld },
      { breakdown: 'focus', label: 'behaviour', interventions: 3, interventions_no_comparison: 1, pupils: 1, ...withheld },
      { breakdown: 'type', label: 'Mentoring', interventions: 2, interventions_no_comparison: 0, pupils: 1, ...withheld },
      { breakdown: 'type', label: 'Report card', interventions: 1, interventions_no_comparison: 1, pupils: 0, ...withheld },
    ]);
  });
});

describe('mart_intervention_impact with a wider caliper (settings.impact_match_caliper)', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await modelledSchool(school, { impactWindowWeeks: 2, impactMatchCaliper: 3 });
  });
  afterAll(() => warehouse?.close());

  it('lets C2 (run 3/wk below T) into the comparison', async () => {
    // C1 −0.5, C2 +1, C3 −3: baseline (3 + 0 + 3) / 3 = 2, mean change −2.5 / 3 = −0.833;
    // DiD = −2 + 0.833 = −1.167; counterfactual 3 − 0.833 = 2.167.
    const [i1] = await rows(
      warehouse,
      `SELECT comparison_pupils, comparison_baseline_negative_per_week, comparison_negative_change, negative_did, counterfactual_after_negative_per_week
       FROM mart_intervention_impact WHERE intervention_id = 'I1'`,
    );
    expect(i1).toEqual({
      comparison_pupils: 3, comparison_baseline_negative_per_week: 2, comparison_negative_change: -0.833, negative_did: -1.167,
      counterfactual_after_negative_per_week: 2.167,
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
