-- incremental: school_year
-- incremental weeks: by week_start; same week of int_pupil_weeks, int_behaviour_events, stg_bsc, stg_detentions, stg_suspensions; year to date of int_attendance_by_pupil_week
-- One row per school, academic year, year group and school week: the week's own figures for
-- mart_yeargroup_week (pupils on roll, events, points, BSC placements, detentions,
-- suspensions, sessions, the rates per 100 pupils and per school day, and the pupils
-- persistently absent so far). A week's row reads that week's rows of its inputs, and the
-- pupils' register sessions from the start of the year (persistent absence to date), never a
-- later week: a weekly refresh computes the new week alone. The mart adds last week, the term so
-- far and the same week last year from these rows (last year's 40 rows, not last year's events
-- and marks). Definitions: docs/metrics.md#mart_yeargroup_week.
with roll as (
  -- The pupil-weeks carry their school week's days and shape (int_pupil_weeks).
  select p.school_id, p.academic_year, p.year_group, p.week_start, any_value(p.week_number) as week_number,
    any_value(p.term) as term, any_value(p.half_term) as half_term, count(*)::INTEGER as pupils_on_roll,
    any_value(p.school_days) as school_days, any_value(p.last_day) as week_last_day,
    any_value(p.is_partial) as is_partial_week, any_value(p.data_ends_in_week) as data_ends_in_week
  from int_pupil_weeks p
  group by all
),
behaviour as (
  select school_id, academic_year, year_group, week_start,
    count(*) filter (where polarity = 'negative')::INTEGER as negative_events,
    count(*) filter (where polarity = 'positive')::INTEGER as positive_events,
    coalesce(sum(abs(points)) filter (where polarity = 'negative'), 0)::INTEGER as negative_points,
    coalesce(sum(points) filter (where polarity = 'positive'), 0)::INTEGER as positive_points
  from int_behaviour_events
  where year_group is not null
  group by all
),
pupil_year as (
  select school_id, student_id, academic_year, year_group from int_pupil_roll
),
bsc as (
  select b.school_id, p.academic_year, p.year_group, school_week_start(b.date) as week_start,
    count(*)::INTEGER as bsc_placements
  from stg_bsc b
  join pupil_year p on p.school_id = b.school_id and p.student_id = b.student_id and p.academic_year = academic_year_of(b.date)
  group by all
),
detentions as (
  select d.school_id, p.academic_year, p.year_group, school_week_start(d.date) as week_start,
    count(*) filter (where d.status <> 'cancelled')::INTEGER as detentions_set,
    count(*) filter (where d.status = 'missed')::INTEGER as detentions_missed
  from stg_detentions d
  join pupil_year p on p.school_id = d.school_id and p.student_id = d.student_id and p.academic_year = academic_year_of(d.date)
  group by all
),
suspensions as (
  select s.school_id, p.academic_year, p.year_group, school_week_start(s.start_date) as week_start,
    count(*) filter (where s.type = 'suspension')::INTEGER as suspensions
  from stg_suspensions s
  join pupil_year p on p.school_id = s.school_id and p.student_id = s.student_id and p.academic_year = academic_year_of(s.start_date)
  group by all
),
-- The pupil's sessions for the year so far, at the end of each week with marks: both running
-- totals are one sum of packed counts (pack_counts, sql/macros/packed_counts.sql: a pupil-year
-- has at most 53 weeks with marks), a windowed sum costing the same whatever it adds up.
-- A weekly refresh keeps this model's rows of a (school, year) from a school week on
-- (updating_from_week; empty when the model is built whole, and then every week is windowed):
-- the window then reads the weeks kept, and the year's weeks before them are summed once
-- (earlier_sessions) rather than sorted (at the trust scale 1.4M pupil-weeks, to write 40 rows
-- a school).
attendance_summed as (
  select a.school_id, a.student_id, a.academic_year, a.week_start, a.possible_sessions, a.attending_sessions,
    sum(pack_counts(a.possible_sessions, a.attending_sessions, 0)) over (
      partition by a.school_id, a.student_id, a.academic_year order by a.week_start rows unbounded preceding) as sessions_to_date
  from int_attendance_by_pupil_week a
  left join updating_from_week u using (school_id, academic_year)
  where u.from_week is null or a.week_start >= u.from_week
),
earlier_sessions as (
  select a.school_id, a.student_id, a.academic_year, sum(pack_counts(a.possible_sessions, a.attending_sessions, 0)) as earlier_sessions
  from int_attendance_by_pupil_week a
  join updating_from_week u using (school_id, academic_year)
  where a.week_start < u.from_week
  group by all
),
attendance_to_date as (
  select s.* exclude (sessions_to_date),
    packed_count(s.sessions_to_date + coalesce(e.earlier_sessions, 0), 0)::INTEGER as possible_sessions_to_date,
    packed_count(s.sessions_to_date + coalesce(e.earlier_sessions, 0), 1)::INTEGER as attending_sessions_to_date
  from attendance_summed s
  left join earlier_sessions e using (school_id, student_id, academic_year)
),
attendance as (
  select a.school_id, a.academic_year, w.year_group, a.week_start,
    sum(a.possible_sessions)::INTEGER as possible_sessions,
    sum(a.attending_sessions)::INTEGER as attending_sessions,
    -- persistent absence so far: absence ≥ 10% of the pupil's own possible sessions to date
    count(*) filter (where persistently_absent_so_far(a.attending_sessions_to_date, a.possible_sessions_to_date))::INTEGER
      as pupils_persistently_absent
  from attendance_to_date a
  join int_pupil_weeks w using (school_id, student_id, academic_year, week_start)
  group by all
),
joined as (
  select
    r.school_id, r.academic_year, r.year_group, r.week_start, r.week_number, r.term, r.half_term, r.pupils_on_roll,
    r.school_days, r.week_last_day, r.is_partial_week, r.data_ends_in_week,
    coalesce(b.negative_events, 0) as negative_events,
    coalesce(b.positive_events, 0) as positive_events,
    coalesce(b.negative_points, 0) as negative_points,
    coalesce(b.positive_points, 0) as positive_points,
    round(100.0 * coalesce(b.negative_events, 0) / nullif(r.pupils_on_roll, 0), 2) as negative_per_100,
    round(100.0 * coalesce(b.negative_events, 0) / nullif(r.pupils_on_roll * r.school_days, 0), 2) as negative_per_100_per_day,
    round(coalesce(c.bsc_placements, 0) / nullif(r.school_days, 0), 2) as bsc_placements_per_day,
    round(coalesce(d.detentions_missed, 0) / nullif(r.school_days, 0), 2) as detentions_missed_per_day,
    coalesce(c.bsc_placements, 0) as bsc_placements,
    coalesce(d.detentions_set, 0) as detentions_set,
    coalesce(d.detentions_missed, 0) as detentions_missed,
    coalesce(s.suspensions, 0) as suspensions,
    a.possible_sessions,
    a.attending_sessions,
    round(attendance_pct(a.attending_sessions, a.possible_sessions), 2) as attendance_pct,
    coalesce(a.pupils_persistently_absent, 0) as pupils_persistently_absent
  from roll r
  left join behaviour b using (school_id, academic_year, year_group, week_start)
  left join bsc c using (school_id, academic_year, year_group, week_start)
  left join detentions d using (school_id, academic_year, year_group, week_start)
  left join suspensions s using (school_id, academic_year, year_group, week_start)
  left join attendance a using (school_id, academic_year, year_group, week_start)
)
select * from joined
