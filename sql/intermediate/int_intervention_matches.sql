-- Who each intervention's pupil is compared with, for its impact (mart_intervention_impact,
-- and the resamples in int_impact_resamples). One row for the pupil (nearness 0) and one per
-- comparison pupil (nearness 1 … 10), each with their own windows: baseline = the
-- settings.impact_window_weeks (6) school weeks before the week the intervention started; after
-- = the same number of school weeks after that week (the start week is in neither).
-- Candidates: pupils of the same school and year group, measured over the same calendar weeks,
-- with no intervention from the first baseline week to the end of the start week; one whose
-- own intervention starts later, inside the after window, is measured up to the week before it
-- starts (dropping them would keep only the classmates who did not get worse). Both windows
-- need at least half their weeks on roll.
-- Matching, on what the intervention aims at (negative events per week for behaviour and
-- wellbeing, attendance % for attendance): x1 = the run (the last 2 baseline weeks), x2 = the
-- level (the weeks before them). The nearest 10 by |x1 gap| + |x2 gap|, taken only from the
-- classmates within settings.impact_match_caliper (0.5 events a week) or
-- settings.impact_attendance_caliper (5 points) on both when there is at least one; when there
-- is none (the pupils with the steepest runs, whom schools most often support), the nearest 10
-- classmates whatever the gap (within_caliper = false). Either way the gap that remains is
-- adjusted for: adjustment = b1 × (pupil's run − comparison's mean run) + b2 × (pupil's level − theirs),
-- where b1, b2 are the least-squares slopes of the change (y) on the run and the level among all
-- matched comparison pupils of the school and academic year (one fit for negative events, one
-- for attendance). Ties: a classmate nearer by the run and level first, then a fixed hash.
with settings_row as (
  select impact_window_weeks as w, impact_match_caliper as caliper, impact_attendance_caliper as attendance_caliper
  from settings
),
weeks as (
  select school_id, week_start, week_index from int_pupil_week_indexed group by all
),
pupil_weeks as (
  -- Each pupil's school weeks from w weeks before their first week on roll to w + 1 after their
  -- last (a window further out sees none of their weeks), with that week's figures (0 when not
  -- on roll), and running totals (weeks on roll, negative events, possible and attending sessions).
  select d.school_id, d.student_id, d.week_index,
    sum(case when pw.week_index is null then 0 else 1 end) over upto as weeks_on_roll,
    sum(coalesce(pw.negative_events, 0)) over upto as negative_events,
    sum(coalesce(pw.possible_sessions, 0)) over upto as possible_sessions,
    sum(coalesce(pw.attending_sessions, 0)) over upto as attending_sessions
  from (
    select school_id, student_id, unnest(range(min(week_index) - any_value(s.w), max(week_index) + any_value(s.w) + 2)) as week_index
    from int_pupil_week_indexed cross join settings_row s
    group by school_id, student_id
  ) d
  left join int_pupil_week_indexed pw using (school_id, student_id, week_index)
  window upto as (partition by d.school_id, d.student_id order by d.week_index rows between unbounded preceding and current row)
),
totals_at_start as (
  -- For a start in week s: the running totals before the baseline (s − w − 1), before the run
  -- (s − 3; s − w − 1 for windows shorter than 3 weeks), at the last baseline week (s − 1), at s,
  -- and at the last after week (s + w; past the pupil's last week, their final totals). A window's
  -- sums are then two totals apart, instead of a join of every candidate pair to each of its 13
  -- weeks (which was most of this model's time).
  select school_id, student_id, week_index,
    coalesce(lag(weeks_on_roll, w + 1) over byweek, 0) as weeks_before, coalesce(lag(weeks_on_roll, least(3, w + 1)) over byweek, 0) as weeks_run,
    coalesce(lag(weeks_on_roll, 1) over byweek, 0) as weeks_last, weeks_on_roll as weeks_start,
    coalesce(lead(weeks_on_roll, w) over byweek, max(weeks_on_roll) over pupil) as weeks_end,
    coalesce(lag(negative_events, w + 1) over byweek, 0) as negative_before, coalesce(lag(negative_events, least(3, w + 1)) over byweek, 0) as negative_run,
    coalesce(lag(negative_events, 1) over byweek, 0) as negative_last, negative_events as negative_start,
    coalesce(lead(negative_events, w) over byweek, max(negative_events) over pupil) as negative_end,
    coalesce(lag(possible_sessions, w + 1) over byweek, 0) as possible_before, coalesce(lag(possible_sessions, least(3, w + 1)) over byweek, 0) as possible_run,
    coalesce(lag(possible_sessions, 1) over byweek, 0) as possible_last, possible_sessions as possible_start,
    coalesce(lead(possible_sessions, w) over byweek, max(possible_sessions) over pupil) as possible_end,
    coalesce(lag(attending_sessions, w + 1) over byweek, 0) as attending_before, coalesce(lag(attending_sessions, least(3, w + 1)) over byweek, 0) as attending_run,
    coalesce(lag(attending_sessions, 1) over byweek, 0) as attending_last, attending_sessions as attending_start,
    coalesce(lead(attending_sessions, w) over byweek, max(attending_sessions) over pupil) as attending_end
  from pupil_weeks cross join settings_row
  window byweek as (partition by school_id, student_id order by week_index),
    pupil as (partition by school_id, student_id)
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
    -- A whole-number key for the joins and windows below (three text keys cost more).
    row_number() over (order by i.school_id, i.intervention_id, i.student_id) as iid,
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
  select l.*, l.student_id as measured_id, l.year_group as measured_year_group, null::DATE as cut from located l
  union all
  select l.*, c.student_id as measured_id, c.year_group as measured_year_group,
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
cut_weeks as (
  -- For each date a comparison pupil's own intervention starts (cut): the last school week that
  -- starts before it.
  select c.school_id, c.cut, max(wk.week_index) as week_index
  from (select distinct school_id, cut from pairs where cut is not null) c
  join weeks wk on wk.school_id = c.school_id and wk.week_start < c.cut
  group by all
),
window_stats as (
  -- The same windows for everyone measured: baseline = w weeks before the start week, after =
  -- w weeks after it (cut short where a comparison pupil's own intervention starts: the totals
  -- at the last week starting before it); run = the last 2 baseline weeks, early = the baseline
  -- weeks before those. A pupil with no weeks near the windows has none in them.
  select iid, school_id, intervention_id, student_id, measured_id, w, measured_year_group,
    (weeks_last - weeks_before)::BIGINT as baseline_weeks,
    (weeks_end - weeks_start)::BIGINT as after_weeks,
    negative_last - negative_before as baseline_negative_events,
    negative_end - negative_start as after_negative_events,
    (negative_last - negative_run) / nullif(weeks_last - weeks_run, 0) as run_negative_per_week,
    (negative_run - negative_before) / nullif(weeks_run - weeks_before, 0) as early_negative_per_week,
    100.0 * (attending_last - attending_run) / nullif(possible_last - possible_run, 0) as run_attendance_pct,
    100.0 * (attending_run - attending_before) / nullif(possible_run - possible_before, 0) as early_attendance_pct,
    possible_last - possible_before as baseline_possible,
    attending_last - attending_before as baseline_attending,
    possible_end - possible_start as after_possible,
    attending_end - attending_start as after_attending
  from (
    select p.iid, p.school_id, p.intervention_id, p.student_id, p.measured_id, p.w, p.measured_year_group,
      coalesce(t.weeks_before, 0) as weeks_before, coalesce(t.weeks_run, 0) as weeks_run, coalesce(t.weeks_last, 0) as weeks_last,
      coalesce(t.weeks_start, 0) as weeks_start,
      coalesce(case when p.cut is null then t.weeks_end else coalesce(c.weeks_on_roll, t.weeks_end) end, 0) as weeks_end,
      coalesce(t.negative_before, 0) as negative_before, coalesce(t.negative_run, 0) as negative_run, coalesce(t.negative_last, 0) as negative_last,
      coalesce(t.negative_start, 0) as negative_start,
      coalesce(case when p.cut is null then t.negative_end else coalesce(c.negative_events, t.negative_end) end, 0) as negative_end,
      coalesce(t.possible_before, 0) as possible_before, coalesce(t.possible_run, 0) as possible_run, coalesce(t.possible_last, 0) as possible_last,
      coalesce(t.possible_start, 0) as possible_start,
      coalesce(case when p.cut is null then t.possible_end else coalesce(c.possible_sessions, t.possible_end) end, 0) as possible_end,
      coalesce(t.attending_before, 0) as attending_before, coalesce(t.attending_run, 0) as attending_run, coalesce(t.attending_last, 0) as attending_last,
      coalesce(t.attending_start, 0) as attending_start,
      coalesce(case when p.cut is null then t.attending_end else coalesce(c.attending_sessions, t.attending_end) end, 0) as attending_end
    from (
      select pairs.*, case when pairs.cut is not null then least(pairs.start_index + pairs.w, k.week_index) end as cut_index
      from pairs left join cut_weeks k using (school_id, cut)
    ) p
    left join totals_at_start t on t.school_id = p.school_id and t.student_id = p.measured_id and t.week_index = p.start_index
    -- Cut short: the totals at the last week that starts before the cut (within the after window).
    left join pupil_weeks c on c.school_id = p.school_id and c.student_id = p.measured_id
      and c.week_index = p.cut_index
  )
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
  select l.*, r.* exclude (iid, school_id, intervention_id, student_id, measured_id, w, measured_year_group)
  from located l
  join window_rates r on r.iid = l.iid and r.measured_id = l.student_id
),
matched_gaps as (
  -- Each candidate beside the pupil, on the measure the intervention aims at: x1 = the run (last
  -- 2 baseline weeks), x2 = the level (the weeks before), y = the change (after − baseline).
  -- An attendance figure missing (no possible sessions) matches only a missing one; missing
  -- negative events count as none.
  select c.*, t.academic_year, t.year_group as treated_year_group,
    t.focus = 'attendance' as on_attendance,
    case when t.focus = 'attendance' then coalesce(c.run_attendance_pct, -100) else coalesce(c.run_negative_per_week, 0) end as x1,
    case when t.focus = 'attendance' then coalesce(c.early_attendance_pct, -100) else coalesce(c.early_negative_per_week, 0) end as x2,
    case when t.focus = 'attendance' then c.after_attendance_pct - c.baseline_attendance_pct
      else c.after_negative_per_week - c.baseline_negative_per_week end as y,
    case when t.focus = 'attendance' then coalesce(t.run_attendance_pct, -100) else coalesce(t.run_negative_per_week, 0) end as t_x1,
    case when t.focus = 'attendance' then coalesce(t.early_attendance_pct, -100) else coalesce(t.early_negative_per_week, 0) end as t_x2,
    case when t.focus = 'attendance' then (select attendance_caliper from settings_row) else (select caliper from settings_row) end as caliper
  from window_rates c
  join treated_rates t on t.iid = c.iid
  where c.measured_id <> c.student_id and c.usable and t.usable
),
gaps as (
  select *, abs(x1 - t_x1) <= caliper and abs(x2 - t_x2) <= caliper as within_caliper from matched_gaps
),
with_caliper as (
  -- The interventions with at least one classmate within the caliper.
  select distinct iid from gaps where within_caliper
),
matched as (
  select * from (
    select *,
      row_number() over (partition by iid
                         order by not within_caliper, abs(x1 - t_x1) + abs(x2 - t_x2), measured_year_group <> treated_year_group, hash(measured_id)) as nearness
    from gaps
    where within_caliper or iid not in (select iid from with_caliper)
  )
  where nearness <= 10
),
slopes as (
  -- How the change follows the run and the level among the matched comparison pupils, per school,
  -- academic year and measure: least squares y = a + b1 x1 + b2 x2, from exact sums.
  select school_id, academic_year, on_attendance,
    case when det > 1e-9 * s11 * s22 and det > 0 then (s22 * s1y - s12 * s2y) / det
         when s11 > 0 then s1y / s11 else 0 end as b1,
    case when det > 1e-9 * s11 * s22 and det > 0 then (s11 * s2y - s12 * s1y) / det else 0 end as b2
  from (
    select *, s11 * s22 - s12 * s12 as det from (
      select school_id, academic_year, on_attendance,
        (sum(dx1 * dx1) / n - (sum(dx1) / n) ^ 2)::DOUBLE as s11,
        (sum(dx2 * dx2) / n - (sum(dx2) / n) ^ 2)::DOUBLE as s22,
        (sum(dx1 * dx2) / n - sum(dx1) / n * sum(dx2) / n)::DOUBLE as s12,
        (sum(dx1 * dy) / n - sum(dx1) / n * sum(dy) / n)::DOUBLE as s1y,
        (sum(dx2 * dy) / n - sum(dx2) / n * sum(dy) / n)::DOUBLE as s2y
      from (
        select school_id, academic_year, on_attendance, x1::DECIMAL(18, 6) as dx1, x2::DECIMAL(18, 6) as dx2, y::DECIMAL(18, 6) as dy,
          count(*) over (partition by school_id, academic_year, on_attendance) as n
        -- Attendance missing (no possible sessions, the −100 placeholder) is left out of the fit.
        from matched where y is not null and x1 > -100 and x2 > -100
      )
      group by school_id, academic_year, on_attendance, n
    )
  )
),
adjustments as (
  -- The rest of the pupil's difference from their comparison pupils on the run and the level,
  -- as the slopes say it moves the change: added to the comparison pupils' mean change.
  -- None where an attendance figure is missing (the −100 placeholder), or there was nothing to fit.
  select m.iid,
    case when min(m.x1) = -100 or min(m.x2) = -100 or any_value(m.t_x1) = -100 or any_value(m.t_x2) = -100 then 0
      else coalesce(any_value(s.b1), 0) * (any_value(m.t_x1) - avg(m.x1::DECIMAL(18, 6)))
         + coalesce(any_value(s.b2), 0) * (any_value(m.t_x2) - avg(m.x2::DECIMAL(18, 6))) end as adjustment
  from matched m
  left join slopes s using (school_id, academic_year, on_attendance)
  group by m.iid
),
final as (
  -- The pupil (nearness 0) and their comparison pupils (nearness 1 … 10), each with their
  -- windows and, on the measure the intervention aims at, x1 (run), x2 (level), y (change).
  select t.school_id, t.academic_year, t.intervention_id, t.student_id, t.year_group, t.type, t.focus, t.status, t.start_date,
    t.w as window_weeks, t.student_id as measured_id, t.year_group as measured_year_group, 0::BIGINT as nearness, null::BOOLEAN as within_caliper,
    t.baseline_weeks, t.after_weeks, t.usable, t.baseline_negative_per_week, t.after_negative_per_week,
    t.baseline_attendance_pct, t.after_attendance_pct,
    t.focus = 'attendance' as on_attendance,
    case when t.focus = 'attendance' then coalesce(t.run_attendance_pct, -100) else coalesce(t.run_negative_per_week, 0) end as x1,
    case when t.focus = 'attendance' then coalesce(t.early_attendance_pct, -100) else coalesce(t.early_negative_per_week, 0) end as x2,
    case when t.focus = 'attendance' then t.after_attendance_pct - t.baseline_attendance_pct
      else t.after_negative_per_week - t.baseline_negative_per_week end as y,
    a.adjustment
  from treated_rates t
  left join adjustments a on a.iid = t.iid
  union all
  select t.school_id, t.academic_year, t.intervention_id, t.student_id, t.year_group, t.type, t.focus, t.status, t.start_date,
    t.w, m.measured_id, m.measured_year_group, m.nearness, m.within_caliper,
    m.baseline_weeks, m.after_weeks, m.usable, m.baseline_negative_per_week, m.after_negative_per_week,
    m.baseline_attendance_pct, m.after_attendance_pct, m.on_attendance, m.x1, m.x2, m.y, a.adjustment
  from matched m
  join treated_rates t on t.iid = m.iid
  join adjustments a on a.iid = m.iid
)
select * from final
