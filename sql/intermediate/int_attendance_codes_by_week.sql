-- incremental: school_year
-- incremental weeks: by week_start; same week of stg_attendance, int_school_days
-- Register marks counted per school, academic year, term, school week, year group and code:
-- sessions and minutes_late (recorded with L and U), with the code's class and is_retired
-- from ref_attendance_codes. What mart_attendance_codes adds up per term and year: a week's
-- row reads only that week's marks and school days (and the pupils' year groups), so a weekly
-- refresh counts the new week's marks, not the year's (the mart then sums a few thousand rows).
-- The academic year and term are the school day's (int_school_days), as the mart's were.
with marks as (
  select school_id, student_id, date, code, minutes_late from stg_attendance
),
pupils as (
  select school_id, student_id, academic_year, year_group from int_pupil_years
),
-- Each school day's (school, academic year, term, week), numbered across the warehouse so the
-- marks (42M at the trust scale) are counted per number, pupil and code: one integer and two
-- short strings to group by, not five columns.
days as (
  select school_id, date, academic_year, term, week_start,
    dense_rank() over (order by school_id, academic_year, term, week_start) as week_key
  from int_school_days
),
weeks as (
  select distinct week_key, school_id, academic_year, term, week_start from days
),
counted as (
  select d.week_key, m.student_id, m.code,
    count(*) as sessions,
    sum(m.minutes_late) as minutes_late
  from marks m
  join days d using (school_id, date)
  group by all
),
final as (
  -- Placed in the pupil's year group and classified by the code (as int_attendance_classified
  -- classifies each mark), then summed per year group and code.
  select w.school_id, w.academic_year, w.term, w.week_start, p.year_group, c.code,
    any_value(r.class) as class, any_value(r.is_retired) as is_retired,
    sum(c.sessions) as sessions, sum(c.minutes_late) as minutes_late
  from counted c
  join weeks w using (week_key)
  join ref_attendance_codes r using (code)
  join pupils p on p.school_id = w.school_id and p.student_id = c.student_id and p.academic_year = w.academic_year
  group by w.school_id, w.academic_year, w.term, w.week_start, p.year_group, c.code
)
select * from final
