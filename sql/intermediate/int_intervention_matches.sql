-- incremental: school_year; previous year of int_pupil_week_indexed; next year of int_pupil_week_indexed, stg_interventions
-- incremental weeks: by start_week; impact_window_weeks weeks back of int_pupil_week_indexed; impact_window_weeks weeks ahead of int_pupil_week_indexed, stg_interventions; all weeks of stg_interventions
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
-- adjusted for, on each row's x1 (run), x2 (level) and y (change): the slopes are fitted over all
-- matched comparison pupils of the school and academic year, so the adjustment is worked out
-- from these rows in int_impact_adjustments, not kept on them (a new week changes the fit, and
-- these rows are then updated only from the intervention start weeks whose windows it reaches).
-- Ties: a classmate nearer by the run and level first, then a fixed hash.
-- intervention_key: the intervention's number within its school and academic year, on each of
-- its rows, in order of start date (then ids), so that a refresh from a week on renumbers no
-- earlier intervention; the impact resamples are keyed by it (int_impact_resamples_keyed).
-- start_week: the Monday of the school week the intervention starts in (its first school week
-- from the start date on); a refresh updates the rows from the first start week whose windows
-- (impact_window_weeks before and after it) reach a changed week.
with settings_row as (
  select impact_window_weeks as w, impact_match_caliper as caliper, impact_attendance_caliper as attendance_caliper
  from settings
),
weeks as (
  select school_id, week_start, week_index from int_pupil_week_indexed group by all
),
first_kept as (
  -- A weekly refresh keeps this model's rows of each school from a start week on
  -- (updating_from_week, src/models/run-models.ts; empty when the model is built whole, and then
  -- nothing below is cut). Only the interventions starting from that week are measured, and
  -- their windows reach w school weeks before it: the pupils' weeks are read from there, not
  -- over the partition's two years (the running totals below are only ever taken two apart, so
  -- where they start from does not matter).
  select wk.school_id, min(wk.week_index) as first_kept, min(wk.week_index) - any_value(s.w) as read_from
  from weeks wk
  join updating_from_week u on u.school_id = wk.school_id and wk.week_start >= u.from_week
  cross join settings_row s
  group by all
),
pupil_keys as (
  -- A whole-number key per pupil for the windows and joins below (two text keys cost more).
  select school_id, student_id, row_number() over (order by school_id, student_id) as pk
  from (select distinct school_id, student_id from int_pupil_week_indexed)
),
pupil_week_rows as (
  -- In a weekly refresh, the weeks from first_kept's read_from on: a join with its few rows, on
  -- the table itself. A correlated NOT EXISTS (a join collecting every row's school and week), or
  -- a CTE of these rows read twice (kept whole in memory), each held 0.2–0.4 GB more in a full
  -- build of the trust.
  select k.pk, pw.week_index, pw.negative_events, pw.possible_sessions, pw.attending_sessions
  from int_pupil_week_indexed pw
  join pupil_keys k using (school_id, student_id)
  left join first_kept f on f.school_id = pw.school_id
  where f.read_from is null or pw.week_index >= f.read_from
),
pupil_weeks as (
  -- Each pupil's school weeks from w weeks before their first week on roll to w + 1 after their
  -- last (a window further out sees none of their weeks), with the running totals to that week
  -- (weeks on roll, negative events, possible and attending sessions; 0 for weeks not on roll),
  -- packed into one whole number (impact_totals, sql/macros/impact.sql): one running sum and one
  -- lag of it instead of four, and one number to carry through the joins below.
  select d.pk, d.week_index,
    sum(case when pw.week_index is null then 0::HUGEINT
        else impact_totals(1, coalesce(pw.negative_events, 0), coalesce(pw.possible_sessions, 0), coalesce(pw.attending_sessions, 0)) end)
      over (partition by d.pk order by d.week_index rows between unbounded preceding and current row) as totals
  from (
    select pk, unnest(range(min(week_index) - any_value(s.w), max(week_index) + any_value(s.w) + 2)) as week_index
    from pupil_week_rows cross join settings_row s
    group by pk
  ) d
  left join pupil_week_rows pw using (pk, week_index)
),
totals_at_start as (
  -- For a start in week s: the running totals before the baseline (s − w − 1), before the run
  -- (s − 3; s − w − 1 for windows shorter than 3 weeks), at the last baseline week (s − 1), at s,
  -- and at the last after week (s + w; past the end of the pupil's weeks above, where the totals
  -- no longer change, the week's own). A window's sums are then two totals apart, instead of a
  -- join of every candidate pair to each of its 13 weeks (which was most of this model's time).
  select pk, week_index,
    lag(totals, w + 1) over byweek as before, lag(totals, least(3, w + 1)) over byweek as run,
    lag(totals, 1) over byweek as last, totals as start, coalesce(lead(totals, w) over byweek, totals) as "end"
  from pupil_weeks cross join settings_row
  window byweek as (partition by pk order by week_index)
),
interventions as (
  select i.*, academic_year_of(i.start_date) as academic_year,
    (select min(wk.week_index) from weeks wk where wk.school_id = i.school_id and wk.week_start >= school_week_start(i.start_date)) as start_index,
    (select w from settings_row) as w
  from stg_interventions i
  where i.status <> 'planned'
),
located_each as (
  select i.*, p.year_group, k.pk,
    -- A whole-number key for the joins and windows below (three text keys cost more).
    row_number() over (order by i.school_id, i.intervention_id, i.student_id) as iid,
    -- The intervention's number within its school and academic year, on every row (output): the
    -- impact resamples are keyed by it (int_impact_resamples_keyed) instead of three text ids.
    -- Within the (school, year), so a partition rebuilt alone numbers its interventions alike; by
    -- start date first, so that one updated from a week on numbers the earlier ones alike too.
    row_number() over (partition by i.school_id, i.academic_year order by i.start_date, i.intervention_id, i.student_id)::INTEGER as intervention_key,
    (select min(week_start) from weeks wk where wk.school_id = i.school_id and wk.week_index = i.start_index) as start_week,
    (select min(week_start) from weeks wk where wk.school_id = i.school_id and wk.week_index = i.start_index - i.w) as window_first_week,
    (select max(week_start) + INTERVAL 6 DAY from weeks wk where wk.school_id = i.school_id and wk.week_index <= i.start_index + i.w) as window_last_day,
    school_week_start(i.start_date) + INTERVAL 6 DAY as start_week_last_day
  from interventions i
  left join int_pupil_roll p on p.school_id = i.school_id and p.student_id = i.student_id and p.academic_year = i.academic_year
  left join pupil_keys k on k.school_id = i.school_id and k.student_id = i.student_id
  where i.start_index is not null
),
located as (
  select l.*,
    -- The interventions that start in the same school week (and calendar week) in one year group
    -- share their classmates, exclusions and windows: each such start (sid) is measured once, not
    -- once per intervention (about 12,500 starts for 21,800 interventions at the trust scale).
    dense_rank() over (order by l.school_id, l.academic_year, l.year_group, l.start_index, l.start_week_last_day) as sid
  from located_each l
  -- In a weekly refresh, the interventions from the first start week kept on (numbered above
  -- among all of their school and year's).
  left join first_kept f on f.school_id = l.school_id
  where f.first_kept is null or l.start_index >= f.first_kept
),
starts as (
  select distinct sid, school_id, academic_year, year_group, start_index, w, window_first_week, window_last_day, start_week_last_day
  from located
),
own_interventions as (
  select k.pk, i.start_date, coalesce(i.end_date, DATE '9999-12-31') as end_date
  from stg_interventions i
  join pupil_keys k using (school_id, student_id)
  where i.status <> 'planned'
),
candidates as (
  -- Every candidate comparison pupil of a start: same school, academic year and year group, no
  -- intervention of their own from the first baseline week to the end of the start week. (A
  -- classmate with no school weeks at all is never usable, so has no key and is left out here.)
  -- The pupil an intervention is for is left out of its own candidates below (gaps).
  select s.sid, k.pk, s.start_week_last_day, s.window_last_day
  from starts s
  join int_pupil_roll c on c.school_id = s.school_id and c.academic_year = s.academic_year and c.year_group = s.year_group
  join pupil_keys k on k.school_id = c.school_id and k.student_id = c.student_id
  anti join own_interventions j
    on j.pk = k.pk and j.start_date <= s.start_week_last_day and j.end_date >= s.window_first_week
),
cuts as (
  -- cut: when a candidate's own intervention starts inside the after window; they are measured
  -- up to the last school week that starts before it.
  select c.sid, c.pk, min(j.start_date) as cut
  from candidates c
  join own_interventions j
    on j.pk = c.pk and j.start_date > c.start_week_last_day and j.start_date <= c.window_last_day
  group by c.sid, c.pk
),
cut_weeks as (
  -- For each date a comparison pupil's own intervention starts (cut): the last school week that
  -- starts before it.
  select c.school_id, c.cut, max(wk.week_index) as week_index
  from (select distinct s.school_id, x.cut from cuts x join starts s using (sid)) c
  join weeks wk on wk.school_id = c.school_id and wk.week_start < c.cut
  group by all
),
measured as (
  -- Who is measured, and over which weeks: each intervention's own pupil (iid), and each start's
  -- candidates (sid); cut_index = the week a cut-short after window ends.
  select l.iid, null::BIGINT as sid, l.pk, l.start_index, l.w, null::BIGINT as cut_index
  from located l
  union all
  select null, c.sid, c.pk, s.start_index, s.w,
    case when x.cut is not null then least(s.start_index + s.w, k.week_index) end as cut_index
  from candidates c
  join starts s using (sid)
  left join cuts x using (sid, pk)
  left join cut_weeks k on k.school_id = s.school_id and k.cut = x.cut
),
window_stats as (
  -- The same windows for everyone measured: baseline = w weeks before the start week, after =
  -- w weeks after it (cut short where a comparison pupil's own intervention starts: the totals
  -- at the last week starting before it); run = the last 2 baseline weeks, early = the baseline
  -- weeks before those. A pupil with no weeks near the windows has none in them.
  select iid, sid, pk, w,
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
    select iid, sid, pk, w,
      impact_total_weeks(at_before) as weeks_before, impact_total_weeks(at_run) as weeks_run, impact_total_weeks(at_last) as weeks_last, impact_total_weeks(at_start) as weeks_start, impact_total_weeks(at_end) as weeks_end,
      impact_total_negative(at_before) as negative_before, impact_total_negative(at_run) as negative_run, impact_total_negative(at_last) as negative_last, impact_total_negative(at_start) as negative_start, impact_total_negative(at_end) as negative_end,
      impact_total_possible(at_before) as possible_before, impact_total_possible(at_run) as possible_run, impact_total_possible(at_last) as possible_last, impact_total_possible(at_start) as possible_start, impact_total_possible(at_end) as possible_end,
      impact_total_attending(at_before) as attending_before, impact_total_attending(at_run) as attending_run, impact_total_attending(at_last) as attending_last, impact_total_attending(at_start) as attending_start, impact_total_attending(at_end) as attending_end
    from (
      select p.iid, p.sid, p.pk, p.w, coalesce(t.before, 0) as at_before, coalesce(t.run, 0) as at_run,
        coalesce(t.last, 0) as at_last, coalesce(t.start, 0) as at_start, coalesce(c.totals, t."end", 0) as at_end
      from measured p
      left join totals_at_start t on t.pk = p.pk and t.week_index = p.start_index
      -- Cut short: the totals at the last week that starts before the cut (within the after window).
      left join pupil_weeks c on c.pk = p.pk and c.week_index = p.cut_index
    )
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
  select l.*, r.* exclude (iid, sid, pk, w)
  from located l
  join window_rates r on r.iid = l.iid
),
candidate_rates as (
  -- Each usable candidate of a start, on both measures an intervention can aim at (negative
  -- events, attendance): x1 = the run (last 2 baseline weeks), x2 = the level (the weeks before).
  -- An attendance figure missing (no possible sessions) matches only a missing one; missing
  -- negative events count as none.
  select sid, pk,
    coalesce(run_negative_per_week, 0) as negative_x1, coalesce(early_negative_per_week, 0) as negative_x2,
    coalesce(run_attendance_pct, -100) as attendance_x1, coalesce(early_attendance_pct, -100) as attendance_x2
  from window_rates
  where sid is not null and usable
),
gaps as (
  -- Each candidate beside each intervention of its start, on the measure the intervention aims
  -- at; the pupil themself is not their own candidate.
  select iid, sid, pk, abs(x1 - t_x1) <= caliper and abs(x2 - t_x2) <= caliper as within_caliper,
    abs(x1 - t_x1) + abs(x2 - t_x2) as gap
  from (
    select t.iid, t.sid, c.pk, t.t_x1, t.t_x2, t.caliper,
      case when t.on_attendance then c.attendance_x1 else c.negative_x1 end as x1,
      case when t.on_attendance then c.attendance_x2 else c.negative_x2 end as x2
    from (
      select t.iid, t.pk, t.sid, t.focus = 'attendance' as on_attendance,
        case when t.focus = 'attendance' then coalesce(t.run_attendance_pct, -100) else coalesce(t.run_negative_per_week, 0) end as t_x1,
        case when t.focus = 'attendance' then coalesce(t.early_attendance_pct, -100) else coalesce(t.early_negative_per_week, 0) end as t_x2,
        case when t.focus = 'attendance' then (select attendance_caliper from settings_row) else (select caliper from settings_row) end as caliper
      from treated_rates t
      where t.usable
    ) t
    join candidate_rates c on c.sid = t.sid and c.pk <> t.pk
  )
),
nearest as (
  -- The nearest 10 of each intervention's candidates, in order of nearness: within the caliper
  -- first, then by the gap, then a fixed hash of the pupil (a top-10 per intervention, not a sort
  -- of every candidate). All candidates are of the pupil's own year group, so the year group
  -- comparison of the nearness order is the same for all of them.
  select iid, any_value(sid) as sid,
    arg_min({pk: pk, within_caliper: within_caliper}, {outside: not within_caliper, gap: gap, tie: tie}, 10) as near
  from gaps
  join (select pk, hash(student_id) as tie from pupil_keys) h using (pk)
  group by iid
),
ranked as materialized (
  -- Only those within the caliper where there is at least one (the list starts with them).
  -- Materialised, with the start (sid) on each row, so the measured rows are looked up by
  -- (start, pupil): planned otherwise, DuckDB joined the 2.8M measured rows to these on the pupil
  -- alone (8.2M rows at the trust scale) before the start narrowed them.
  select iid, sid, u.near.pk as pk, u.near.within_caliper as within_caliper, u.nearness
  from (
    select iid, sid, near[1].within_caliper as any_within, unnest(near) as near, unnest(range(1, len(near) + 1)) as nearness
    from nearest
  ) u
  where u.near.within_caliper or not u.any_within
),
matched as (
  -- Each comparison pupil with their windows and, on the measure the intervention aims at, x1
  -- (run), x2 (level), y (change).
  select r.iid, k.student_id as measured_id, t.year_group as measured_year_group, r.nearness, r.within_caliper,
    c.baseline_weeks, c.after_weeks, c.usable, c.baseline_negative_per_week, c.after_negative_per_week,
    c.baseline_attendance_pct, c.after_attendance_pct,
    t.focus = 'attendance' as on_attendance,
    case when t.focus = 'attendance' then coalesce(c.run_attendance_pct, -100) else coalesce(c.run_negative_per_week, 0) end as x1,
    case when t.focus = 'attendance' then coalesce(c.early_attendance_pct, -100) else coalesce(c.early_negative_per_week, 0) end as x2,
    case when t.focus = 'attendance' then c.after_attendance_pct - c.baseline_attendance_pct
      else c.after_negative_per_week - c.baseline_negative_per_week end as y
  from ranked r
  join window_rates c on c.sid = r.sid and c.pk = r.pk
  join treated_rates t on t.iid = r.iid
  join pupil_keys k on k.pk = r.pk
),
final as (
  -- The pupil (nearness 0) and their comparison pupils (nearness 1 … 10), each with their
  -- windows and, on the measure the intervention aims at, x1 (run), x2 (level), y (change).
  select t.school_id, t.academic_year, t.intervention_id, t.student_id, t.year_group, t.type, t.focus, t.status, t.start_date, t.start_week,
    t.w as window_weeks, t.student_id as measured_id, t.year_group as measured_year_group, 0::BIGINT as nearness, null::BOOLEAN as within_caliper,
    t.baseline_weeks, t.after_weeks, t.usable, t.baseline_negative_per_week, t.after_negative_per_week,
    t.baseline_attendance_pct, t.after_attendance_pct,
    t.focus = 'attendance' as on_attendance,
    case when t.focus = 'attendance' then coalesce(t.run_attendance_pct, -100) else coalesce(t.run_negative_per_week, 0) end as x1,
    case when t.focus = 'attendance' then coalesce(t.early_attendance_pct, -100) else coalesce(t.early_negative_per_week, 0) end as x2,
    case when t.focus = 'attendance' then t.after_attendance_pct - t.baseline_attendance_pct
      else t.after_negative_per_week - t.baseline_negative_per_week end as y,
    t.intervention_key
  from treated_rates t
  union all
  select t.school_id, t.academic_year, t.intervention_id, t.student_id, t.year_group, t.type, t.focus, t.status, t.start_date, t.start_week,
    t.w, m.measured_id, m.measured_year_group, m.nearness, m.within_caliper,
    m.baseline_weeks, m.after_weeks, m.usable, m.baseline_negative_per_week, m.after_negative_per_week,
    m.baseline_attendance_pct, m.after_attendance_pct, m.on_attendance, m.x1, m.x2, m.y, t.intervention_key
  from matched m
  join treated_rates t on t.iid = m.iid
)
select * from final
