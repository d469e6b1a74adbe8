-- incremental: school_year
-- Register marks by code, per school, academic year, term and year group, with rows for the
-- whole year (term = 'All') and all year groups (year_group = 0): how often each DfE code was
-- used (sessions), with its description and class (present, approved, authorised,
-- unauthorised, not_possible) from ref_attendance_codes, is_retired for pre-2024 codes still
-- in the data, and minutes_late recorded with L and U. is_present_mark: the plain present
-- marks, / (morning) and \ (afternoon); present_mark_sessions: their sessions in the same
-- school, academic year, term and year group (the same on each of its rows).
with by_pupil_group as (
  -- Counted per term, year group and code in int_attendance_codes_by_term (updated by term: a
  -- weekly refresh recounts the current term's marks only); the totals below add up its rows.
  select school_id, academic_year, term, year_group, code, class, is_retired, sessions, minutes_late
  from int_attendance_codes_by_term
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
