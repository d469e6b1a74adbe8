-- Impact per intervention type, per focus (behaviour, attendance, wellbeing) and for all
-- interventions (breakdown = 'type' | 'focus' | 'all', label = the type or focus): pupils and
-- interventions with a usable estimate (a pupil can have two of one type), mean change
-- in negative events per school week, the difference-in-differences (DiD) against matched
-- comparison pupils with a bootstrap 95% interval (the 1,000 resamples of pupils in
-- int_impact_resamples, drawn with a fixed hash so the same data gives the same interval), the relative effect (DiD ÷ the counterfactual after-rate), and the same for
-- attendance. Beside the mean, a robust estimate: each pupil's DiD held within 3 scaled median
-- absolute deviations of the group's median (robust_*), so one pupil whose incidents jump from
-- 1 to 13 a week cannot carry a type. Below settings.impact_min_pupils pupils the estimate is
-- withheld: "too few pupils to say". Reach: interventions with a baseline, and how many of
-- those have an estimate (interventions_nearest of them with no classmate within the caliper,
-- compared with the nearest and adjusted); interventions_no_comparison counts those left out because no
-- pupil's baseline was close enough to compare with, and the not_estimated_* columns give the
-- baseline of the interventions with a baseline but no estimate, beside the estimated ones',
-- so the page can say how the others differ. Beside the estimates, the comparison group:
-- pupils per intervention on average, and both groups' average baselines.
-- Sums are exact (DECIMAL, or whole millionths in the resamples), so the figures do not depend
-- on the order rows are added in.
with impacts as (
  select school_id, academic_year, type, focus, intervention_id, student_id, negative_change, comparison_pupils_within_caliper,
    negative_did::DECIMAL(18, 3) as negative_did, attendance_did::DECIMAL(18, 2) as attendance_did,
    counterfactual_after_negative_per_week::DECIMAL(18, 3) as counterfactual_after_negative_per_week, comparison_pupils,
    baseline_negative_per_week, comparison_baseline_negative_per_week, baseline_attendance_pct, comparison_baseline_attendance_pct
  from mart_intervention_impact
  where usable and negative_did is not null
),
both_levels as (
  select *, 'type' as breakdown, type as label from impacts
  union all
  select *, 'focus', focus from impacts
  union all
  select *, 'all', 'All interventions' from impacts
),
spread as (
  -- The robust bounds: the group's median DiD ± 3 × 1.4826 × its median absolute deviation
  -- (1.4826 × MAD estimates the standard deviation of normal data). With no spread, no bound.
  select school_id, academic_year, breakdown, label, any_value(med) as med,
    nullif(3 * 1.4826 * median(abs(negative_did - med)), 0) as half_width
  from (select *, median(negative_did) over (partition by school_id, academic_year, breakdown, label) as med from both_levels)
  group by all
),
robust as (
  select b.*, s.med, s.half_width,
    case when s.half_width is null then b.negative_did
      else greatest(s.med - s.half_width, least(s.med + s.half_width, b.negative_did)) end::DECIMAL(18, 3) as robust_did
  from both_levels b join spread s using (school_id, academic_year, breakdown, label)
),
resampled as (
  -- The shared resamples (int_impact_resamples): each intervention counted its pupil's weight,
  -- with its DiD against its re-weighted comparison pupils; the robust bounds stay as estimated.
  -- (The bounds travel on each robust row: joining spread here as well let DuckDB join it to the
  -- resamples on school_id alone, inside the model run's transaction, a many-to-many join of
  -- millions of rows: 85 s and 12 GB at the large scale instead of under a second.)
  select r.school_id, r.academic_year, r.breakdown, r.label, x.rep,
    sum(x.weight * x.negative_did_e6) / sum(x.weight) / 1e6 as mean_did,
    sum(x.weight * x.negative_did_e6) / nullif(sum(x.weight * x.counterfactual_after_negative_per_week_e6), 0) as relative_effect,
    sum(x.weight * case when r.half_width is null then x.negative_did_e6
        else greatest(round(1e6 * (r.med - r.half_width)), least(round(1e6 * (r.med + r.half_width)), x.negative_did_e6)) end::BIGINT)
      / nullif(sum(x.weight * x.counterfactual_after_negative_per_week_e6), 0) as robust_relative_effect,
    sum(x.weight * x.attendance_did_e6) / sum(x.weight) filter (where x.attendance_did_e6 is not null) / 1e6 as mean_attendance_did
  from robust r
  join int_impact_resamples x on x.school_id = r.school_id and x.intervention_id = r.intervention_id and x.student_id = r.student_id
  group by r.school_id, r.academic_year, r.breakdown, r.label, x.rep
),
intervals as (
  select school_id, academic_year, breakdown, label,
    quantile_cont(mean_did, 0.025) as did_low, quantile_cont(mean_did, 0.975) as did_high,
    quantile_cont(relative_effect, 0.025) as relative_low, quantile_cont(relative_effect, 0.975) as relative_high,
    quantile_cont(robust_relative_effect, 0.025) as robust_relative_low, quantile_cont(robust_relative_effect, 0.975) as robust_relative_high,
    quantile_cont(mean_attendance_did, 0.025) as attendance_did_low, quantile_cont(mean_attendance_did, 0.975) as attendance_did_high
  from resampled group by all
),
estimates as (
  select school_id, academic_year, breakdown, label, count(distinct student_id)::INTEGER as pupils,
    count(*)::INTEGER as interventions_estimated,
    avg(negative_change::DECIMAL(18, 3)) as mean_negative_change,
    sum(negative_did) / count(*) as did,
    sum(negative_did) / nullif(sum(counterfactual_after_negative_per_week), 0) as relative_effect,
    sum(robust_did) / count(*) as robust_did,
    sum(robust_did) / nullif(sum(counterfactual_after_negative_per_week), 0) as robust_relative_effect,
    count(*) filter (where robust_did <> negative_did)::INTEGER as interventions_held_in,
    count(*) filter (where comparison_pupils_within_caliper = 0)::INTEGER as interventions_nearest,
    sum(attendance_did) / count(*) as attendance_did,
    -- The comparison group beside the pupils: how many pupils each was compared with, and
    -- both groups' average baseline, so a poor match shows.
    avg(comparison_pupils::DECIMAL(18, 3)) as mean_comparison_pupils,
    avg(baseline_negative_per_week::DECIMAL(18, 3)) as baseline_negative_per_week,
    avg(comparison_baseline_negative_per_week::DECIMAL(18, 3)) as comparison_baseline_negative_per_week,
    avg(baseline_attendance_pct::DECIMAL(18, 3)) as baseline_attendance_pct,
    avg(comparison_baseline_attendance_pct::DECIMAL(18, 3)) as comparison_baseline_attendance_pct
  from robust group by all
),
all_types as (
  -- Every type that has interventions, even with no usable estimate, so the page can say so.
  select school_id, academic_year_of(start_date) as academic_year, 'type' as breakdown, type as label, count(*)::INTEGER as interventions
  from stg_interventions where status <> 'planned' group by all
  union all
  select school_id, academic_year_of(start_date), 'focus', focus, count(*)::INTEGER from stg_interventions where status <> 'planned' group by all
  union all
  select school_id, academic_year_of(start_date), 'all', 'All interventions', count(*)::INTEGER from stg_interventions where status <> 'planned' group by all
),
reach as (
  -- Of the interventions with a baseline, how many have no estimate, and their baseline.
  select school_id, academic_year, breakdown, label,
    count(*) filter (where has_baseline)::INTEGER as interventions_with_baseline,
    count(*) filter (where not_estimated_because = 'no comparable pupils')::INTEGER as interventions_no_comparison,
    avg(baseline_negative_per_week::DECIMAL(18, 3)) filter (where has_baseline and negative_did is null) as not_estimated_baseline_negative_per_week,
    avg(baseline_attendance_pct::DECIMAL(18, 3)) filter (where has_baseline and negative_did is null) as not_estimated_baseline_attendance_pct
  from (
    select *, 'type' as breakdown, type as label from mart_intervention_impact
    union all
    select *, 'focus', focus from mart_intervention_impact
    union all
    select *, 'all', 'All interventions' from mart_intervention_impact
  )
  group by all
),
final as (
  select a.school_id, a.academic_year, a.breakdown, a.label, a.interventions,
    coalesce(nc.interventions_with_baseline, 0) as interventions_with_baseline,
    coalesce(nc.interventions_no_comparison, 0) as interventions_no_comparison,
    coalesce(e.pupils, 0) as pupils,
    coalesce(e.interventions_estimated, 0) as interventions_estimated,
    coalesce(e.interventions_nearest, 0) as interventions_nearest,
    coalesce(e.pupils, 0) >= s.impact_min_pupils as enough_pupils,
    case when coalesce(e.pupils, 0) < s.impact_min_pupils then 'too few pupils to say' end as verdict_withheld,
    round(e.mean_negative_change, 3) as mean_negative_change,
    round(e.did, 3) as negative_did,
    round(i.did_low, 3) as negative_did_low,
    round(i.did_high, 3) as negative_did_high,
    round(e.relative_effect, 3) as relative_effect,
    round(i.relative_low, 3) as relative_effect_low,
    round(i.relative_high, 3) as relative_effect_high,
    round(e.robust_did, 3) as robust_negative_did,
    round(e.robust_relative_effect, 3) as robust_relative_effect,
    round(i.robust_relative_low, 3) as robust_relative_effect_low,
    round(i.robust_relative_high, 3) as robust_relative_effect_high,
    coalesce(e.interventions_held_in, 0) as interventions_held_in,
    round(e.attendance_did, 2) as attendance_did,
    round(i.attendance_did_low, 2) as attendance_did_low,
    round(i.attendance_did_high, 2) as attendance_did_high,
    round(e.mean_comparison_pupils, 1) as mean_comparison_pupils,
    round(e.baseline_negative_per_week, 3) as baseline_negative_per_week,
    round(e.comparison_baseline_negative_per_week, 3) as comparison_baseline_negative_per_week,
    round(e.baseline_attendance_pct, 2) as baseline_attendance_pct,
    round(e.comparison_baseline_attendance_pct, 2) as comparison_baseline_attendance_pct,
    round(nc.not_estimated_baseline_negative_per_week, 3) as not_estimated_baseline_negative_per_week,
    round(nc.not_estimated_baseline_attendance_pct, 2) as not_estimated_baseline_attendance_pct,
    s.impact_min_pupils
  from all_types a
  cross join settings s
  left join estimates e using (school_id, academic_year, breakdown, label)
  left join intervals i using (school_id, academic_year, breakdown, label)
  left join reach nc using (school_id, academic_year, breakdown, label)
)
select * from final
