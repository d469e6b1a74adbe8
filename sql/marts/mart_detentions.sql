-- incremental: school_year
-- incremental weeks: by week_start; same week of stg_detentions
-- Detentions per school week, year group and type: set (not cancelled), attended, missed,
-- escalated, pending. A missed detention is one with status missed; escalated ones are
-- counted separately (the later, usually SLT, detention). A week's row counts that week's
-- detentions alone.
with detentions as (
  select d.*, p.year_group, academic_year_of(d.date) as academic_year, school_week_start(d.date) as week_start
  from stg_detentions d
  left join int_pupil_roll p on p.school_id = d.school_id and p.student_id = d.student_id and p.academic_year = academic_year_of(d.date)
),
final as (
  select school_id, academic_year, week_start, coalesce(year_group, 0) as year_group, type,
    count(*) filter (where status <> 'cancelled')::INTEGER as set,
    count(*) filter (where status = 'attended')::INTEGER as attended,
    count(*) filter (where status = 'missed')::INTEGER as missed,
    count(*) filter (where status = 'escalated')::INTEGER as escalated,
    count(*) filter (where status = 'pending')::INTEGER as pending,
    count(*) filter (where status in ('cancelled', 'rescheduled'))::INTEGER as cancelled_or_rescheduled,
    coalesce(sum(minutes) filter (where status = 'attended'), 0)::INTEGER as minutes_served
  from detentions
  group by all
)
select * from final
