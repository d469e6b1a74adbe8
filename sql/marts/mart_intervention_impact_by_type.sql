-- incremental: school_year
-- Impact per intervention type, per focus (behaviour, attendance, wellbeing) and for all
-- interventions (breakdown = 'type' | 'focus' | 'all', label = the type or focus): pupils and
-- interventions with a usable estimate (a pupil can have two of one type), mean change
-- in negative events per school week, the difference-in-differences (DiD) against matched
-- comparison pupils with a basic bootstrap 95% interval (2 × the estimate − the 97.5th and 2.5th
-- percentiles of the 1,000 resamples of pupils in int_impact_resamples, drawn with a fixed hash so
-- the same data gives the same interval), the relative effect (DiD ÷ the counterfactual after-rate), and the same for
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
-- on the order rows are added in. The DiD intervals' bounds are rounded (3 decimals, 2 for
-- attendance) but one that is not 0 keeps its first significant digit (impact_bound), so the
-- page, which reads its verdict from the bounds, sees the side of 0 each one is on.
with impacts as (
  select school_id, academic_year, type, focus, intervention_id, student_id, negative_change, comparison_pupils_within_caliper,
    negative_did::DECIMAL(18, 3) as negative_did, attendance_did::DECIMAL(18, 2) as attendance_did,
    counterfactual_after_negative_per_week::DECIMAL(18, 3) as counterfactual_after_negative_per_week, comparison_pupils,
    baseline_negative_per_week, comparison_baseline_negative_per_week, baseline_attendance_pct, comparison_baseline_attendance_pct
  from mart_intervention_impact
  where usable and negative_did is not null
),
both_levels as (
  -- Each intervention in its type, its focus and all interventions (sql/macros/impact.sql).
  select *, unnest(impact_breakdowns(type, focus), recursive := true) from impacts
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
per_intervention as (
  -- Each intervention once, with the robust bounds of its type, its focus and all interventions
  -- in millionths, the resamples' unit (NULL: the group has no spread, so no bound), worked out
  -- here once per intervention rather than on each of its resamples.
  select r.*, m.intervention_key, m.on_attendance, m.baseline_negative_per_week as pupil_baseline_negative, m.after_negative_per_week as pupil_after_negative,
    m.baseline_attendance_pct as pupil_baseline_attendance, m.after_attendance_pct as pupil_after_attendance, m.adjustment,
    round(1e6 * (type_med - type_half_width))::BIGINT as type_low, round(1e6 * (type_med + type_half_width))::BIGINT as type_high,
    round(1e6 * (focus_med - focus_half_width))::BIGINT as focus_low, round(1e6 * (focus_med + focus_half_width))::BIGINT as focus_high,
    round(1e6 * (all_med - all_half_width))::BIGINT as all_low, round(1e6 * (all_med + all_half_width))::BIGINT as all_high
  from (
    select school_id, academic_year, intervention_id, student_id, any_value(type) as type, any_value(focus) as focus,
      any_value(med) filter (where breakdown = 'type') as type_med, any_value(half_width) filter (where breakdown = 'type') as type_half_width,
      any_value(med) filter (where breakdown = 'focus') as focus_med, any_value(half_width) filter (where breakdown = 'focus') as focus_half_width,
      any_value(med) filter (where breakdown = 'all') as all_med, any_value(half_width) filter (where breakdown = 'all') as all_half_width,
      -- A whole number per school, year, type and focus, to sum the resamples on (four text keys cost more).
      dense_rank() over (order by school_id, academic_year, any_value(type), any_value(focus)) as group_key
    from robust
    group by school_id, academic_year, intervention_id, student_id
  ) r
  -- The intervention's key in the resamples (int_impact_resamples_keyed), its pupil's windows and
  -- its slope adjustment (int_impact_adjustments).
  join int_impact_adjustments m using (school_id, academic_year, intervention_id, student_id)
),
resamples as (
  -- The shared resamples (int_impact_resamples_keyed) of each intervention, with its DiD and
  -- counterfactual in each: its re-weighted comparison change plus its adjustment as estimated
  -- (sql/macros/impact.sql), in millionths, so the sums below are exact.
  select group_key, type_low, type_high, focus_low, focus_high, all_low, all_high, rep, weight,
    round(1e6 * (pupil_after_negative - cf_negative))::BIGINT as negative_did_e6,
    round(1e6 * (pupil_after_attendance - cf_attendance))::BIGINT as attendance_did_e6,
    round(1e6 * cf_negative)::BIGINT as counterfactual_after_negative_per_week_e6
  from (
    select p.*, x.rep, x.weight,
      impact_resample_counterfactual_negative(p.pupil_baseline_negative, x.comparison_negative_change, p.on_attendance, p.adjustment) as cf_negative,
      impact_resample_counterfactual_attendance(p.pupil_baseline_attendance, x.comparison_attendance_change, p.on_attendance, p.adjustment) as cf_attendance
    from per_intervention p
    join int_impact_resamples_keyed x on x.school_id = p.school_id and x.academic_year = p.academic_year and x.intervention_key = p.intervention_key
  )
),
labels as (
  -- Each type-and-focus group in its type, its focus and all interventions (sql/macros/impact.sql),
  -- each (school, year, breakdown, label) numbered (label_key), so the resamples are rolled up
  -- to the three breakdowns on whole numbers and their labels joined back only to the intervals.
  -- level: which robust sum the breakdown reads (1 type, 2 focus, 3 all).
  select *, case breakdown when 'type' then 1 when 'focus' then 2 else 3 end as level,
    dense_rank() over (order by school_id, academic_year, breakdown, label) as label_key
  from (
    select group_key, school_id, academic_year, unnest(impact_breakdowns(type, focus), recursive := true)
    from (select distinct group_key, school_id, academic_year, type, focus from per_intervention)
  )
),
resample_sums as (
  -- The resamples (above): each intervention counted its pupil's weight,
  -- with its DiD against its re-weighted comparison pupils; the robust bounds stay as estimated.
  -- One pass over the resamples, summed per type and focus (the finest group): a type's, a
  -- focus's and the whole school's sums are sums of these, so the three breakdowns no longer
  -- each join the resamples. Each DiD is held within the bounds of each breakdown it counts in.
  -- Summed as DOUBLE: whole numbers below 2^53 add exactly in any order (int_impact_resamples).
  select s.* exclude (sums), unnest(s.sums)
  from (
    select x.group_key, x.rep, impact_resample_sums(x.weight, x.negative_did_e6, x.attendance_did_e6) as sums,
      sum((x.weight * x.counterfactual_after_negative_per_week_e6)::DOUBLE) as counterfactual,
      sum((x.weight * case when x.type_low is null then x.negative_did_e6 else greatest(x.type_low, least(x.type_high, x.negative_did_e6)) end)::DOUBLE)
        as robust_did_type,
      sum((x.weight * case when x.focus_low is null then x.negative_did_e6 else greatest(x.focus_low, least(x.focus_high, x.negative_did_e6)) end)::DOUBLE)
        as robust_did_focus,
      sum((x.weight * case when x.all_low is null then x.negative_did_e6 else greatest(x.all_low, least(x.all_high, x.negative_did_e6)) end)::DOUBLE)
        as robust_did_all
    from resamples x
    group by x.group_key, x.rep
  ) s
),
resampled as (
  select l.label_key, s.rep,
    sum(s.negative_did) / sum(s.weight) / 1e6 as mean_did,
    sum(s.negative_did) / nullif(sum(s.counterfactual), 0) as relative_effect,
    sum(case l.level when 1 then s.robust_did_type when 2 then s.robust_did_focus else s.robust_did_all end) / nullif(sum(s.counterfactual), 0)
      as robust_relative_effect,
    sum(s.attendance_did) / sum(s.attendance_weight) / 1e6 as mean_attendance_did
  from resample_sums s
  join labels l using (group_key)
  group by l.label_key, s.rep
),
quantiles as (
  -- The 2.5th and 97.5th percentiles of the resampled estimates, labelled again.
  select l.school_id, l.academic_year, l.breakdown, l.label, q.* exclude (label_key)
  from (
    select label_key,
      quantile_cont(mean_did, 0.025) as did_q025, quantile_cont(mean_did, 0.975) as did_q975,
      quantile_cont(relative_effect, 0.025) as relative_q025, quantile_cont(relative_effect, 0.975) as relative_q975,
      quantile_cont(robust_relative_effect, 0.025) as robust_relative_q025, quantile_cont(robust_relative_effect, 0.975) as robust_relative_q975,
      quantile_cont(mean_attendance_did, 0.025) as attendance_did_q025, quantile_cont(mean_attendance_did, 0.975) as attendance_did_q975
    from resampled group by label_key
  ) q
  join (select distinct label_key, school_id, academic_year, breakdown, label from labels) l using (label_key)
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
intervals as (
  -- The basic bootstrap interval: the estimate less how far the resampled estimates run above
  -- it (low) and below it (high), i.e. 2 × estimate − the 97.5th and 2.5th percentiles. One pupil
  -- whose incidents jump pulls the resamples that draw them far up, and the estimate up with
  -- them: the percentiles alone would put the interval's long side above the estimate, the
  -- side it has already been pulled towards. A relative effect cannot fall below −100%.
  select q.school_id, q.academic_year, q.breakdown, q.label,
    2 * e.did - q.did_q975 as did_low, 2 * e.did - q.did_q025 as did_high,
    greatest(-1, 2 * e.relative_effect - q.relative_q975) as relative_low, 2 * e.relative_effect - q.relative_q025 as relative_high,
    greatest(-1, 2 * e.robust_relative_effect - q.robust_relative_q975) as robust_relative_low,
    2 * e.robust_relative_effect - q.robust_relative_q025 as robust_relative_high,
    2 * e.attendance_did - q.attendance_did_q975 as attendance_did_low, 2 * e.attendance_did - q.attendance_did_q025 as attendance_did_high
  from quantiles q
  join estimates e using (school_id, academic_year, breakdown, label)
),
all_types as (
  -- Every type that has interventions, even with no usable estimate, so the page can say so.
  select school_id, academic_year, breakdown, label, count(*)::INTEGER as interventions
  from (
    select school_id, academic_year_of(start_date) as academic_year, unnest(impact_breakdowns(type, focus), recursive := true)
    from stg_interventions where status <> 'planned'
  )
  group by all
),
reach as (
  -- Of the interventions with a baseline, how many have no estimate, and their baseline.
  select school_id, academic_year, breakdown, label,
    count(*) filter (where has_baseline)::INTEGER as interventions_with_baseline,
    count(*) filter (where not_estimated_because = 'no comparable pupils')::INTEGER as interventions_no_comparison,
    avg(baseline_negative_per_week::DECIMAL(18, 3)) filter (where has_baseline and negative_did is null) as not_estimated_baseline_negative_per_week,
    avg(baseline_attendance_pct::DECIMAL(18, 3)) filter (where has_baseline and negative_did is null) as not_estimated_baseline_attendance_pct
  from (select *, unnest(impact_breakdowns(type, focus), recursive := true) from mart_intervention_impact)
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
    impact_bound(i.did_low, 3) as negative_did_low,
    impact_bound(i.did_high, 3) as negative_did_high,
    round(e.relative_effect, 3) as relative_effect,
    round(i.relative_low, 3) as relative_effect_low,
    round(i.relative_high, 3) as relative_effect_high,
    round(e.robust_did, 3) as robust_negative_did,
    round(e.robust_relative_effect, 3) as robust_relative_effect,
    round(i.robust_relative_low, 3) as robust_relative_effect_low,
    round(i.robust_relative_high, 3) as robust_relative_effect_high,
    coalesce(e.interventions_held_in, 0) as interventions_held_in,
    round(e.attendance_did, 2) as attendance_did,
    impact_bound(i.attendance_did_low, 2) as attendance_did_low,
    impact_bound(i.attendance_did_high, 2) as attendance_did_high,
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
