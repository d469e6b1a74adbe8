-- Impact of each intervention on its pupil. Baseline = the settings.impact_window_weeks (6)
-- school weeks before the week it started; after = the same number of school weeks after that
-- week (the start week itself is in neither). Rates: negative events per school week on roll,
-- attendance % of possible sessions.
-- Comparison: up to 10 pupils of the same school and year group, measured over the same
-- calendar weeks, who started like the pupil on what the intervention aims at: negative events
-- for behaviour and wellbeing interventions, attendance for attendance ones. Interventions start
-- after a bad run, so "like" means both parts of the baseline: the last 2 weeks (the run) and
-- the weeks before them (the level), each within settings.impact_match_caliper (0.5) negative
-- events per week, or settings.impact_attendance_caliper (5) percentage points of attendance,
-- of the pupil's; the nearest 10 by the sum of the two gaps. Matching only the nearest, with no
-- caliper, drew pupils with much smaller runs whose fall after a bad fortnight passed for
-- impact; matching attendance pupils on behaviour drew classmates at 90% attendance against
-- pupils at 76%, and roughly doubled the attendance effect. A pupil with no such classmate is listed,
-- not estimated ("no comparable pupils"), rather than compared with unlike pupils.
-- Comparison pupils have no intervention from the first baseline week to the end of the start
-- week. One whose own intervention starts later, inside the after window, is measured up to the
-- week before it starts: dropping them would keep only the classmates who did not get worse,
-- and make the intervention look better than it is.
-- did = the pupil's change − the comparison's mean change. Estimated when both windows have at
-- least half their weeks on roll (an intervention with no baseline is listed, never estimated).
with settings_row as (
  select impact_window_weeks as w, impact_match_caliper as caliper, impact_attendance_caliper as attendance_caliper from settings
),
weeks as (
  select school_id, week_start, week_index from int_pupil_week_indexed group by all
),
pupil_weeks as (
  select * from int_pupil_week_indexed
),
interventions as (
  select i.*, academic_year_of(i.start_date) as academic_year,
    (select min(wk.week_index) from weeks wk where wk.school_id = i.school_id and wk.week_start >= school_week_start(i.start_date)) as start_index,
    (select w from settings_row) as w
  from stg_interventions i
  where i.status <> 'planned'
),
located as (
  select i.*, p.year_group,
    (select min(week_start) from weeks wk where wk.school_id = i.school_id and wk.week_index = i.start_index - i.w) as window_first_week,
    (select max(week_start) + INTERVAL 6 DAY from weeks wk where wk.school_id = i.school_id and wk.week_index <= i.start_index + i.w) as window_last_day,
    school_week_start(i.start_date) + INTERVAL 6 DAY as start_week_last_day
  from interventions i
  left join int_pupil_years p on p.school_id = i.school_id and p.student_id = i.student_id and p.academic_year = i.academic_year
  where i.start_index is not null
),
pairs as (
  -- Who is measured for each intervention: its own pupil, and every candidate comparison pupil
  -- (same school and year group, no intervention from the first baseline week to the end of the
  -- start week); cut = when a comparison pupil's own intervention starts inside the after window.
  select l.*, l.student_id as measured_id, null::DATE as cut from located l
  union all
  select l.*, c.student_id as measured_id,
    (select min(j.start_date) from stg_interventions j
     where j.school_id = c.school_id and j.student_id = c.student_id and j.status <> 'planned'
       and j.start_date > l.start_week_last_day and j.start_date <= l.window_last_day) as cut
  from located l
  join int_pupil_years c
    on c.school_id = l.school_id and c.academic_year = l.academic_year and c.year_group = l.year_group and c.student_id <> l.student_id
  where not exists (
    select 1 from stg_interventions j
    where j.school_id = c.school_id and j.student_id = c.student_id and j.status <> 'planned'
      and j.start_date <= l.start_week_last_day and coalesce(j.end_date, DATE '9999-12-31') >= l.window_first_week
  )
),
window_stats as (
  -- The same windows for everyone measured: baseline = w weeks before the start week, after =
  -- w weeks after it (cut short where a comparison pupil's own intervention starts); run = the
  -- last 2 baseline weeks, early = the baseline weeks before those.
  select school_id, intervention_id, student_id, measured_id, any_value(w) as w,
    count(week_index) filter (where in_baseline) as baseline_weeks,
    count(week_index) filter (where in_after) as after_weeks,
    sum(negative_events) filter (where in_baseline) as baseline_negative_events,
    sum(negative_events) filter (where in_after) as after_negative_events,
    avg(negative_events) filter (where in_run) as run_negative_per_week,
    avg(negative_events) filter (where in_early) as early_negative_per_week,
    100.0 * sum(attending_sessions) filter (where in_run) / nullif(sum(possible_sessions) filter (where in_run), 0) as run_attendance_pct,
    100.0 * sum(attending_sessions) filter (where in_early) / nullif(sum(possible_sessions) filter (where in_early), 0) as early_attendance_pct,
    sum(possible_sessions) filter (where in_baseline) as baseline_possible,
    sum(attending_sessions) filter (where in_baseline) as baseline_attending,
    sum(possible_sessions) filter (where in_after) as after_possible,
    sum(attending_sessions) filter (where in_after) as after_attending
  from (
    select p.school_id, p.intervention_id, p.student_id, p.measured_id, p.w,
      pw.week_index, pw.negative_events, pw.possible_sessions, pw.attending_sessions,
      pw.week_index between p.start_index - p.w and p.start_index - 1 as in_baseline,
      pw.week_index between p.start_index + 1 and p.start_index + p.w and pw.week_start < coalesce(p.cut, DATE '9999-12-31') as in_after,
      pw.week_index between p.start_index - 2 and p.start_index - 1 as in_run,
      pw.week_index between p.start_index - p.w and p.start_index - 3 as in_early
    from pairs p
    left join pupil_weeks pw on pw.school_id = p.school_id and pw.student_id = p.measured_id
      and pw.week_index between p.start_index - p.w and p.start_index + p.w
  )
  group by school_id, intervention_id, student_id, measured_id
),
window_rates as (
  select *,
    baseline_negative_events / nullif(baseline_weeks, 0) as baseline_negative_per_week,
    after_negative_events / nullif(after_weeks, 0) as after_negative_per_week,
    100.0 * baseline_attending / nullif(baseline_possible, 0) as baseline_attendance_pct,
    100.0 * after_attending / nullif(after_possible, 0) as after_attendance_pct,
    baseline_weeks >= w / 2.0 and after_weeks >= w / 2.0 as usable
  from window_stats
),
treated_rates as (
  select l.*, r.* exclude (school_id, intervention_id, student_id, measured_id, w)
  from located l
  join window_rates r
    on r.school_id = l.school_id and r.intervention_id = l.intervention_id and r.student_id = l.student_id and r.measured_id = l.student_id
),
matched_gaps as (
  -- Each candidate's gaps from the pupil on the run and on the level, in the units of what the
  -- intervention aims at. An attendance figure missing (no possible sessions) matches only a
  -- missing one; missing negative events count as none.
  select c.*,
    case when t.focus = 'attendance'
      then abs(coalesce(c.run_attendance_pct, -100) - coalesce(t.run_attendance_pct, -100))
      else abs(coalesce(c.run_negative_per_week, 0) - coalesce(t.run_negative_per_week, 0)) end as run_gap,
    case when t.focus = 'attendance'
      then abs(coalesce(c.early_attendance_pct, -100) - coalesce(t.early_attendance_pct, -100))
      else abs(coalesce(c.early_negative_per_week, 0) - coalesce(t.early_negative_per_week, 0)) end as early_gap,
    case when t.focus = 'attendance' then (select attendance_caliper from settings_row) else (select caliper from settings_row) end as caliper
  from window_rates c
  join treated_rates t on t.school_id = c.school_id and t.intervention_id = c.intervention_id and t.student_id = c.student_id
  where c.measured_id <> c.student_id and c.usable and t.usable
),
matched as (
  select *,
    row_number() over (partition by school_id, intervention_id, student_id order by run_gap + early_gap, hash(measured_id)) as nearness
  from matched_gaps
  where run_gap <= caliper and early_gap <= caliper
),
comparison as (
  select school_id, intervention_id, student_id,
    count(*)::INTEGER as comparison_pupils,
    avg(baseline_negative_per_week) as comparison_baseline_negative_per_week,
    avg(baseline_attendance_pct) as comparison_baseline_attendance_pct,
    avg(after_negative_per_week - baseline_negative_per_week) as comparison_negative_change,
    avg(after_attendance_pct - baseline_attendance_pct) as comparison_attendance_change
  from matched where nearness <= 10
  group by all
),
final as (
  select t.school_id, t.academic_year, t.intervention_id, t.student_id, t.year_group, t.type, t.focus, t.status, t.start_date,
    t.w as window_weeks, t.baseline_weeks::INTEGER as baseline_weeks, t.after_weeks::INTEGER as after_weeks,
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
    round(c.comparison_baseline_negative_per_week, 3) as comparison_baseline_negative_per_week,
    round(c.comparison_negative_change, 3) as comparison_negative_change,
    round(c.comparison_baseline_attendance_pct, 2) as comparison_baseline_attendance_pct,
    round(c.comparison_attendance_change, 2) as comparison_attendance_change,
    round((t.after_negative_per_week - t.baseline_negative_per_week) - c.comparison_negative_change, 3) as negative_did,
    round((t.after_attendance_pct - t.baseline_attendance_pct) - c.comparison_attendance_change, 2) as attendance_did,
    -- What the pupil's after-rate would have been had they followed the comparison group.
    round(t.baseline_negative_per_week + c.comparison_negative_change, 3) as counterfactual_after_negative_per_week
  from treated_rates t
  left join comparison c on c.school_id = t.school_id and c.intervention_id = t.intervention_id and c.student_id = t.student_id
)
select * from final
