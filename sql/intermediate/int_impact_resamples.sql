-- incremental: school_year
-- materialised: view (the rows of int_impact_resamples_keyed with the intervention and pupil
-- ids, for reading one intervention's resamples; the impact marts read the keyed table)
-- The resamples behind every intervention-impact interval (drawn in int_impact_resamples_keyed:
-- a Poisson bootstrap over pupils, 1,000 resamples): one row per estimated intervention and
-- resample in which its pupil is drawn (weight > 0), with its DiD and counterfactual against its
-- re-weighted comparison pupils, in millionths.
select r.school_id, r.academic_year, m.intervention_id, m.student_id, r.rep, r.weight,
  r.negative_did_e6, r.attendance_did_e6, r.counterfactual_after_negative_per_week_e6
from int_impact_resamples_keyed r
join int_intervention_matches m
  on m.school_id = r.school_id and m.academic_year = r.academic_year and m.intervention_key = r.intervention_key and m.nearness = 0
