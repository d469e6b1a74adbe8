-- incremental: school_year; all years of stg_attendance
-- incremental weeks: by week_start
-- School days: the days that have attendance marks (so bank holidays and INSET days drop out
-- by themselves), placed in their academic year, term, half-term and school week. Terms come
-- from calendar.csv when the school sent one, else from the default English pattern.
with marks as (
  select distinct school_id, date from stg_attendance
),
placed as (
  select
    m.school_id,
    m.date,
    academic_year_of(m.date) as academic_year,
    coalesce(c.term, default_term(m.date)) as term,
    coalesce(c.half_term, default_half_term(m.date)) as half_term,
    school_week_start(m.date) as week_start
  from marks m
  left join stg_calendar c
    on c.school_id = m.school_id and m.date between c.start_date and c.end_date
),
final as (
  select
    *,
    row_number() over (partition by school_id order by date)::INTEGER as school_day_number
  from placed
)
select * from final
