// mart_intervention_impact_by_type → impact per type, per focus and overall, with 95% intervals.
// Withheld rows ("too few pupils to say") keep their counts but not their estimates: the page
// must not be able to show a number the model says is not safe to read.
// One part per school (src/page-data/page-parts.ts): a page fetches the one on screen.
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, breakdown, label, interventions, interventions_with_baseline, interventions_estimated, interventions_nearest,
      interventions_no_comparison, pupils, enough_pupils, verdict_withheld, impact_min_pupils,
      not_estimated_baseline_negative_per_week, not_estimated_baseline_attendance_pct,
      CASE WHEN enough_pupils THEN negative_did END AS negative_did,
      CASE WHEN enough_pupils THEN negative_did_low END AS negative_did_low,
      CASE WHEN enough_pupils THEN negative_did_high END AS negative_did_high,
      CASE WHEN enough_pupils THEN relative_effect END AS relative_effect,
      CASE WHEN enough_pupils THEN relative_effect_low END AS relative_effect_low,
      CASE WHEN enough_pupils THEN relative_effect_high END AS relative_effect_high,
      CASE WHEN enough_pupils THEN robust_relative_effect END AS robust_relative_effect,
      CASE WHEN enough_pupils THEN robust_relative_effect_low END AS robust_relative_effect_low,
      CASE WHEN enough_pupils THEN robust_relative_effect_high END AS robust_relative_effect_high,
      CASE WHEN enough_pupils THEN interventions_held_in END AS interventions_held_in,
      CASE WHEN enough_pupils THEN attendance_did END AS attendance_did,
      CASE WHEN enough_pupils THEN attendance_did_low END AS attendance_did_low,
      CASE WHEN enough_pupils THEN attendance_did_high END AS attendance_did_high,
      CASE WHEN enough_pupils THEN mean_comparison_pupils END AS mean_comparison_pupils,
      CASE WHEN enough_pupils THEN baseline_negative_per_week END AS baseline_negative_per_week,
      CASE WHEN enough_pupils THEN comparison_baseline_negative_per_week END AS comparison_baseline_negative_per_week,
      CASE WHEN enough_pupils THEN baseline_attendance_pct END AS baseline_attendance_pct,
      CASE WHEN enough_pupils THEN comparison_baseline_attendance_pct END AS comparison_baseline_attendance_pct
    FROM mart_intervention_impact_by_type ORDER BY school_id, academic_year, breakdown, label`);
  await emitArchive(partitionedMembers(rows, ['school_id', 'academic_year', 'breakdown', 'label', 'interventions', 'interventions_with_baseline', 'interventions_estimated', 'interventions_nearest', 'interventions_no_comparison', 'pupils', 'enough_pupils', 'verdict_withheld', 'impact_min_pupils', 'not_estimated_baseline_negative_per_week', 'not_estimated_baseline_attendance_pct', 'negative_did', 'negative_did_low', 'negative_did_high', 'relative_effect', 'relative_effect_low', 'relative_effect_high', 'robust_relative_effect', 'robust_relative_effect_low', 'robust_relative_effect_high', 'interventions_held_in', 'attendance_did', 'attendance_did_low', 'attendance_did_high', 'mean_comparison_pupils', 'baseline_negative_per_week', 'comparison_baseline_negative_per_week', 'baseline_attendance_pct', 'comparison_baseline_attendance_pct'], ['school_id']));
});
