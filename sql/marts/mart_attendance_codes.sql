-- incremental: school_year
-- Register marks by code, per school, academic year, term and year group, with rows for the
-- whole year (term = 'All') and all year groups (year_group = 0): how often each DfE code was
-- used (sessions), with its description and class (present, approved, authorised,
-- unauthorised, not_possible) from ref_attendance_codes, is_retired for pre-2024 codes still
-- in the data, and minutes_late recorded with L and U. is_present_mark: the plain present
-- marks, / (morning) and \ (afternoon); present_mark_sessions: their sessions in the same
-- school, academic year, term and year group (the same on each of its rows).
with marks as (
  select school_id, student_id, date, code, minutes_late from stg_attendance
),
pupils as (
  select school_id, student_id, academic_year, year_group from int_pupil_years
),
-- Each school day's term, numbered (school, academic year, term) across the warehouse so the
-- marks (42M at the trust scale) are counted per term number, pupil and code: one integer
-- and two short strings to group by, not four strings. The academic year is the school day's
-- (int_school_days), not worked out again for each mark.
days as (
  select school_id, date, academic_year, term,
    dense_rank() over (order by school_id, academic_year, term) as term_key
  from int_school_days
),
terms as (
  select distinct term_key, school_id, academic_year, term from days
),
counted as (
  select d.term_key, m.student_id, m.code,
    count(*) as sessions,
    sum(m.minutes_late) as minutes_late
  from marks m
  join days d using (school_id, date)
  group by all
),
-- Then classified by the code (ref_attendance_codes, as int_attendance_classified classifies
-- each mark) and placed in the pupil's year group: the same sums, without joining every mark
-- to its pupil.
by_pupil as (
  select t.school_id, c.student_id, t.academic_year, t.term, c.code, r.class, r.is_retired, c.sessions, c.minutes_late
  from counted c
  join terms t using (term_key)
  join ref_attendance_codes r using (code)
),
by_pupil_group as (
  -- Summed per term, year group and code first (the finest of the four totals below), so the
  -- totals add up these rows rather than every pupil's once each.
  select b.school_id, b.academic_year, b.term, p.year_group, b.code,
    any_value(b.class) as class, any_value(b.is_retired) as is_retired,
    sum(b.sessions) as sessions, sum(b.minutes_late) as minutes_late
  from by_pupil b
  join pupils p using (school_id, student_id, academic_year)
  group by b.school_id, b.academic_year, b.term, p.year_group, b.code
),
by_group as (
  select b.school_id, b.academic_year,
    -- GROUPING() tells the whole-year and all-year-group rows apart.
    case when grouping(b.term) = 1 then 'All' else b.term end as term,
    (case when grouping(b.year_group) = 1 then 0 else b.year_group end)::INTEGER as year_group,
    b.code,
    any_value(c.description) as description, any_value(b.class) as class, any_value(b.is_retired) as is_retired,
    sum(b.sessions)::INTEGER as sessions,
    coalesce(sum(b.minutes_late), 0)::INTEGER as minutes_late
  from by_pupil_group b
  join ref_attendance_codes c using (code)
  group by grouping sets (
    (b.school_id, b.academic_year, b.term, b.year_group, b.code),
    (b.school_id, b.academic_year, b.term, b.code),
    (b.school_id, b.academic_year, b.year_group, b.code),
    (b.school_id, b.academic_year, b.code)
  )
),
present_marks as (
  select *, code in ('/', '\') as is_present_mark from by_group
),
final as (
  select *,
    coalesce(sum(sessions) filter (where is_present_mark) over (partition by school_id, academic_year, term, year_group), 0)::INTEGER as present_mark_sessions
  from present_marks
)
select * from final
