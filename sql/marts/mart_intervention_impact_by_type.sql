-- Impact per intervention type, per focus (behaviour, attendance, wellbeing) and for all
-- interventions (breakdown = 'type' | 'focus' | 'all', label = the type or focus): pupils and
-- interventions with a usable estimate (a pupil can have two of one type), mean change
-- in negative events per school week, the difference-in-differences (DiD) against matched
-- comparison pupils with a bootstrap 95% interval (1,000 resamples of the estimated
-- interventions, drawn with a fixed hash so the same data gives the same interval), the relative effect (DiD ÷ the
-- counterfactual after-rate), and the same for attendance. Below settings.impact_min_pupils
-- pupils the estimate is withheld: "too few pupils to say". interventions_no_comparison counts
-- those left out because no classmate's baseline was close enough to compare with. Beside the
-- estimates, the comparison group: classmates per pupil on average, and the pupils' and the
-- comparison's average baselines (negative events per week, attendance %).
with impacts as (
  select school_id, academic_year, type, focus, intervention_id, student_id, negative_change, negative_did, attendance_did,
    counterfactual_after_negative_per_week, comparison_pupils,
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
numbered as (
  select *, row_number() over (partition by school_id, academic_year, breakdown, label order by intervention_id, student_id) as i,
    count(*) over (partition by school_id, academic_year, breakdown, label) as n
  from both_levels
),
draws as (
  -- Resample r: draw j picks pupil (hash(r, j) mod n) + 1.
  select g.school_id, g.academic_year, g.breakdown, g.label, r.range as rep,
    (hash(g.breakdown, g.label, r.range, d.range) % g.n) + 1 as pick
  from (select distinct school_id, academic_year, breakdown, label, n from numbered) g
  cross join range(1000) r
  cross join lateral (select range from range(g.n)) d
),
resampled as (
  select d.school_id, d.academic_year, d.breakdown, d.label, d.rep,
    avg(x.negative_did) as mean_did,
    sum(x.negative_did) / nullif(sum(x.counterfactual_after_negative_per_week), 0) as relative_effect,
    avg(x.attendance_did) as mean_attendance_did
  from draws d
  join numbered x on x.school_id = d.school_id and x.academic_year = d.academic_year and x.breakdown = d.breakdown
    and x.label = d.label and x.i = d.pick
  group by all
),
intervals as (
  select school_id, academic_year, breakdown, label,
    quantile_cont(mean_did, 0.025) as did_low, quantile_cont(mean_did, 0.975) as did_high,
    quantile_cont(relative_effect, 0.025) as relative_low, quantile_cont(relative_effect, 0.975) as relative_high,
    quantile_cont(mean_attendance_did, 0.025) as attendance_did_low, quantile_cont(mean_attendance_did, 0.975) as attendance_did_high
  from resampled group by all
),
estimates as (
  select school_id, academic_year, breakdown, label, count(distinct student_id)::INTEGER as pupils,
    count(*)::INTEGER as interventions_estimated,
    avg(negative_change) as mean_negative_change,
    avg(negative_did) as did,
    sum(negative_did) / nullif(sum(counterfactual_after_negative_per_week), 0) as relative_effect,
    avg(attendance_did) as attendance_did,
    -- The comparison group beside the pupils: how many classmates each was compared with, and
    -- both groups' average baseline, so a poor match shows.
    avg(comparison_pupils) as mean_comparison_pupils,
    avg(baseline_negative_per_week) as baseline_negative_per_week,
    avg(comparison_baseline_negative_per_week) as comparison_baseline_negative_per_week,
    avg(baseline_attendance_pct) as baseline_attendance_pct,
    avg(comparison_baseline_attendance_pct) as comparison_baseline_attendance_pct
  from both_levels group by all
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
no_comparison as (
  select school_id, academic_year, 'type' as breakdown, type as label, count(*)::INTEGER as interventions
  from mart_intervention_impact where not_estimated_because = 'no comparable pupils' group by all
  union all
  select school_id, academic_year, 'focus', focus, count(*)::INTEGER
  from mart_intervention_impact where not_estimated_because = 'no comparable pupils' group by all
  union all
  select school_id, academic_year, 'all', 'All interventions', count(*)::INTEGER
  from mart_intervention_impact where not_estimated_because = 'no comparable pupils' group by all
),
final as (
  select a.school_id, a.academic_year, a.breakdown, a.label, a.interventions,
    coalesce(nc.interventions, 0) as interventions_no_comparison,
    coalesce(e.pupils, 0) as pupils,
    coalesce(e.interventions_estimated, 0) as interventions_estimated,
    coalesce(e.pupils, 0) >= s.impact_min_pupils as enough_pupils,
    case when coalesce(e.pupils, 0) < s.impact_min_pupils then 'too few pupils to say' end as verdict_withheld,
    round(e.mean_negative_change, 3) as mean_negative_change,
    round(e.did, 3) as negative_did,
    round(i.did_low, 3) as negative_did_low,
    round(i.did_high, 3) as negative_did_high,
    round(e.relative_effect, 3) as relative_effect,
    round(i.relative_low, 3) as relative_effect_low,
    round(i.relative_high, 3) as relative_effect_high,
    round(e.attendance_did, 2) as attendance_did,
    round(i.attendance_did_low, 2) as attendance_did_low,
    round(i.attendance_did_high, 2) as attendance_did_high,
    round(e.mean_comparison_pupils, 1) as mean_comparison_pupils,
    round(e.baseline_negative_per_week, 3) as baseline_negative_per_week,
    round(e.comparison_baseline_negative_per_week, 3) as comparison_baseline_negative_per_week,
    round(e.baseline_attendance_pct, 2) as baseline_attendance_pct,
    round(e.comparison_baseline_attendance_pct, 2) as comparison_baseline_attendance_pct,
    s.impact_min_pupils
  from all_types a
  cross join settings s
  left join estimates e using (school_id, academic_year, breakdown, label)
  left join intervals i using (school_id, academic_year, breakdown, label)
  left join no_comparison nc using (school_id, academic_year, breakdown, label)
)
select * from final
