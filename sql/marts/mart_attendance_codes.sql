-- incremental: school_year
-- Register marks by code, per school, academic year, term and year group: how often each DfE
-- code was used (sessions), with its description and class (present, approved, authorised,
-- unauthorised, not_possible) from ref_attendance_codes, is_retired for pre-2024 codes still
-- in the data, and minutes_late recorded with L and U.
with marks as (
  select * from int_attendance_classified
),
pupils as (
  select school_id, student_id, academic_year, year_group from int_pupil_years
),
days as (
  select school_id, date, academic_year, term from int_school_days
),
-- Marks are counted per pupil, term and code first (a few hundred thousand rows at the scale
-- of a large school), then placed in the pupil's year group: the same sums, without joining
-- every mark to its pupil. The academic year is the school day's (int_school_days), not worked
-- out again for each mark.
by_pupil as (
  select m.school_id, m.student_id, d.academic_year, d.term, m.code,
    any_value(m.class) as class, any_value(m.is_retired) as is_retired,
    count(*) as sessions,
    sum(m.minutes_late) as minutes_late
  from marks m
  join days d using (school_id, date)
  group by m.school_id, m.student_id, d.academic_year, d.term, m.code
),
final as (
  select b.school_id, b.academic_year, b.term, p.year_group, b.code,
    any_value(c.description) as description, any_value(b.class) as class, any_value(b.is_retired) as is_retired,
    sum(b.sessions)::INTEGER as sessions,
    coalesce(sum(b.minutes_late), 0)::INTEGER as minutes_late
  from by_pupil b
  join pupils p using (school_id, student_id, academic_year)
  join ref_attendance_codes c using (code)
  group by b.school_id, b.academic_year, b.term, p.year_group, b.code
)
select * from final
