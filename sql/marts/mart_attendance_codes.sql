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
  select school_id, date, term from int_school_days
),
final as (
  select m.school_id, m.academic_year, d.term, p.year_group, m.code,
    any_value(c.description) as description, any_value(m.class) as class, any_value(m.is_retired) as is_retired,
    count(*)::INTEGER as sessions,
    coalesce(sum(m.minutes_late), 0)::INTEGER as minutes_late
  from marks m
  join pupils p using (school_id, student_id, academic_year)
  join days d using (school_id, date)
  join ref_attendance_codes c using (code)
  group by m.school_id, m.academic_year, d.term, p.year_group, m.code
)
select * from final
