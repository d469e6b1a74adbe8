-- incremental: school_year
-- materialised: view (the rows of int_impact_resamples_keyed with the intervention and pupil
-- ids, for reading one intervention's resamples; the impact marts read the keyed table)
-- The resamples behind every intervention-impact interval (drawn in int_impact_resamples_keyed:
-- a Poisson bootstrap over pupils, 1,000 resamples): one row per estimated intervention and
-- resample in which its pupil is drawn (weight > 0), with its DiD and counterfactual against its
-- re-weighted comparison pupils, in millionths.
-- The slope adjustment as estimated (int_impact_adjustments) is added here, as the impact marts
-- add it (sql/macros/impact.sql).
select school_id, academic_year, intervention_id, student_id, rep, weight,
  round(1e6 * (after_negative_per_week - cf_negative))::BIGINT as negative_did_e6,
  round(1e6 * (after_attendance_pct - cf_attendance))::BIGINT as attendance_did_e6,
  round(1e6 * cf_negative)::BIGINT as counterfactual_after_negative_per_week_e6
from (
  select r.school_id, r.academic_year, a.intervention_id, a.student_id, r.rep, r.weight, a.after_negative_per_week, a.after_attendance_pct,
    impact_resample_counterfactual_negative(a.baseline_negative_per_week, r.comparison_negative_change, a.on_attendance, a.adjustment) as cf_negative,
    impact_resample_counterfactual_attendance(a.baseline_attendance_pct, r.comparison_attendance_change, a.on_attendance, a.adjustment) as cf_attendance
  from int_impact_resamples_keyed r
  join int_impact_adjustments a using (school_id, academic_year, intervention_key)
)
