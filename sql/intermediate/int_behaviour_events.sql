-- incremental: school_year; all years of int_school_weeks
-- incremental weeks: by date; same week of stg_behaviour, int_school_weeks
-- Behaviour events placed in the pupil's year group, school week and term.
with events as (
  select * from stg_behaviour
),
pupils as (
  select * from int_pupil_years
),
weeks as (
  select * from int_school_weeks
),
final as (
  select
    e.*,
    p.year_group,
    academic_year_of(e.date) as academic_year,
    school_week_start(e.date) as week_start,
    coalesce(w.term, default_term(e.date)) as term
  from events e
  left join pupils p
    on p.school_id = e.school_id and p.student_id = e.student_id and p.academic_year = academic_year_of(e.date)
  left join weeks w
    on w.school_id = e.school_id and w.week_start = school_week_start(e.date)
)
select * from final
