-- incremental: school_year; all years of stg_attendance
-- incremental weeks: by week_start
-- School days: the days that have attendance marks of a possible session (so bank holidays,
-- holidays and INSET days drop out by themselves), placed in their academic year, term,
-- half-term and school week. A day whose marks are none of them possible sessions is a day the
-- school was closed to pupils: a planned closure marked `#` for every pupil (how MIS registers
-- often carry INSET days), or the site closed (Y4); it is not a school day (it would make an
-- INSET week a full week of 5 school days, and count in "school days since"). Terms come from
-- calendar.csv when the school sent one, else from the default English pattern.
with marks as (
  select distinct school_id, date from stg_attendance
  where code in (select code from ref_attendance_codes where is_possible)
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
