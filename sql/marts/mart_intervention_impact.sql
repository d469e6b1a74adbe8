-- incremental: school_year
-- Impact of each intervention on its pupil: the pupil's change (after − baseline window) against
-- the change of their comparison pupils (int_intervention_matches: windows, who was compared,
-- and why). Rates: negative events per school week on roll, attendance % of possible sessions.
-- Counterfactual after-rate = the pupil's baseline + the comparison pupils' mean change + the
-- adjustment for the run and level gap that remains (comparison_*_adjustment), kept within 0
-- (and 100 for attendance); DiD = the pupil's after-rate − that counterfactual (= the pupil's
-- change − the comparison's adjusted change). comparison_pupils_within_caliper = 0 means no
-- classmate was within the caliper and the nearest 10 were used: the estimate leans on the
-- adjustment there. Matching with a caliper alone left out the pupils with the steepest runs
-- (about 30% on the demo), the pupils schools worry about most. Matching only the nearest
-- with neither caliper nor adjustment drew pupils with much smaller runs whose fall after a bad
-- fortnight passed for impact; matching attendance pupils on behaviour drew classmates at 90%
-- attendance against pupils at 76%, and roughly doubled the attendance effect.
-- Estimated when both windows have at least half their weeks on roll and there is a
-- comparison pupil (an intervention with no baseline is listed, never estimated).
with matches as (
  select * from int_intervention_matches
),
pupils as (
  select * from matches where nearness = 0
),
comparison as (
  select school_id, intervention_id, student_id,
    count(*)::INTEGER as comparison_pupils,
    count(*) filter (where within_caliper)::INTEGER as comparison_pupils_within_caliper,
    avg(baseline_negative_per_week::DECIMAL(18, 6)) as comparison_baseline_negative_per_week,
    avg(baseline_attendance_pct::DECIMAL(18, 6)) as comparison_baseline_attendance_pct,
    avg((after_negative_per_week - baseline_negative_per_week)::DECIMAL(18, 6)) as comparison_negative_change,
    avg((after_attendance_pct - baseline_attendance_pct)::DECIMAL(18, 6)) as comparison_attendance_change,
    any_value(on_attendance) as on_attendance
  from matches
  where nearness > 0
  group by all
),
adjustments as (
  -- The slope adjustment of each intervention with comparison pupils (int_impact_adjustments).
  select school_id, intervention_id, student_id, adjustment from int_impact_adjustments
),
final as (
  select t.school_id, t.academic_year, t.intervention_id, t.student_id, t.year_group, t.type, t.focus, t.status, t.start_date,
    t.window_weeks, t.baseline_weeks::INTEGER as baseline_weeks, t.after_weeks::INTEGER as after_weeks,
    t.baseline_weeks > 0 as has_baseline, t.usable,
    case
      when t.baseline_weeks = 0 then 'no baseline'
      when not t.usable then 'too few weeks on roll'
      when c.comparison_pupils is null then 'no comparable pupils'
    end as not_estimated_because,
    round(t.baseline_negative_per_week, 3) as baseline_negative_per_week,
    round(t.after_negative_per_week, 3) as after_negative_per_week,
    round(t.after_negative_per_week - t.baseline_negative_per_week, 3) as negative_change,
    round(t.baseline_attendance_pct, 2) as baseline_attendance_pct,
    round(t.after_attendance_pct, 2) as after_attendance_pct,
    round(t.after_attendance_pct - t.baseline_attendance_pct, 2) as attendance_change,
    coalesce(c.comparison_pupils, 0) as comparison_pupils,
    coalesce(c.comparison_pupils_within_caliper, 0) as comparison_pupils_within_caliper,
    round(c.comparison_baseline_negative_per_week, 3) as comparison_baseline_negative_per_week,
    round(c.comparison_negative_change, 3) as comparison_negative_change,
    round(a.negative_adjustment, 3) as comparison_negative_adjustment,
    round(c.comparison_baseline_attendance_pct, 2) as comparison_baseline_attendance_pct,
    round(c.comparison_attendance_change, 2) as comparison_attendance_change,
    round(a.attendance_adjustment, 2) as comparison_attendance_adjustment,
    round(t.after_negative_per_week - a.counterfactual_negative, 3) as negative_did,
    round(t.after_attendance_pct - a.counterfactual_attendance, 2) as attendance_did,
    -- What the pupil's after-rate would have been had they followed the comparison group.
    round(a.counterfactual_negative, 3) as counterfactual_after_negative_per_week,
    round(a.counterfactual_attendance, 2) as counterfactual_after_attendance_pct
  from pupils t
  left join (select * from comparison join adjustments using (school_id, intervention_id, student_id)) c
    using (school_id, intervention_id, student_id)
  cross join lateral (
    -- A rate cannot fall below 0, nor attendance leave 0–100%. (greatest and least skip NULLs:
    -- no comparison, or no baseline, must stay NULL.)
    select case when c.on_attendance then 0 else c.adjustment end as negative_adjustment,
      case when c.on_attendance then c.adjustment else 0 end as attendance_adjustment,
      case when t.usable and c.comparison_pupils > 0 and t.baseline_negative_per_week is not null then
        greatest(0, t.baseline_negative_per_week + c.comparison_negative_change + case when c.on_attendance then 0 else c.adjustment end) end
        as counterfactual_negative,
      case when t.usable and c.comparison_pupils > 0 and t.baseline_attendance_pct is not null and c.comparison_attendance_change is not null then
        least(100, greatest(0, t.baseline_attendance_pct + c.comparison_attendance_change + case when c.on_attendance then c.adjustment else 0 end)) end
        as counterfactual_attendance
  ) a
)
select * from final
