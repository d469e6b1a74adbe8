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
-- marks (42M at the trust scale) are counted per number, year group and code: one integer and
-- two short values to group by, not six columns. (Counted per pupil first, as the mart did per
-- term, the week's groups were 13 times as many and the build cost 1.5 CPU s, not 1.0-1.3.)
days as (
  select school_id, date, academic_year, term, week_start,
    dense_rank() over (order by school_id, academic_year, term, week_start) as week_key
  from int_school_days
),
weeks as (
  select distinct week_key, school_id, academic_year, term, week_start from days
),
counted as (
  -- Placed in the pupil's year group (a small table) while counted: the marks grouped per
  -- week number, year group and code, a few thousand groups.
  select d.week_key, p.year_group, m.code,
    count(*) as sessions,
    sum(m.minutes_late) as minutes_late
  from marks m
  join days d using (school_id, date)
  join pupils p on p.school_id = m.school_id and p.student_id = m.student_id and p.academic_year = d.academic_year
  group by all
),
final as (
  -- Classified by the code (as int_attendance_classified classifies each mark).
  select w.school_id, w.academic_year, w.term, w.week_start, c.year_group, c.code,
    r.class, r.is_retired, c.sessions, c.minutes_late
  from counted c
  join weeks w using (week_key)
  join ref_attendance_codes r using (code)
)
select * from final
