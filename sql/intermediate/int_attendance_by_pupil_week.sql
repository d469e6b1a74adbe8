-- incremental: school_year
-- Sessions per pupil per school week, and running totals for the academic year so far
-- (persistent absence is judged on the pupil's own possible sessions to date). The one pass
-- over the register marks that the weekly attendance models share.
with classified as (
  select * from int_attendance_classified
),
-- The academic year and week of each school day, looked up (948 days at the large scale)
-- rather than worked out again for each of the 3.8M marks.
days as (
  select school_id, date, academic_year, week_start from int_school_days
),
marks as (
  select m.* exclude (academic_year, week_start), d.academic_year, d.week_start
  from classified m
  join days d using (school_id, date)
),
weekly as (
  select
    school_id,
    student_id,
    academic_year,
    week_start,
    count(*) filter (where is_possible)::INTEGER as possible_sessions,
    count(*) filter (where is_attending)::INTEGER as attending_sessions,
    count(*) filter (where is_present)::INTEGER as present_sessions,
    count(*) filter (where is_approved_activity)::INTEGER as approved_activity_sessions,
    count(*) filter (where is_authorised)::INTEGER as authorised_sessions,
    count(*) filter (where is_unauthorised)::INTEGER as unauthorised_sessions,
    count(*) filter (where is_late_before_close)::INTEGER as late_before_close_sessions,
    count(*) filter (where is_late_after_close)::INTEGER as late_after_close_sessions,
    coalesce(sum(minutes_late) filter (where is_late_before_close or is_late_after_close), 0)::INTEGER as minutes_late,
    coalesce(sum(minutes_late) filter (where is_late_before_close), 0)::INTEGER as minutes_late_before_close,
    coalesce(sum(minutes_late) filter (where is_late_after_close), 0)::INTEGER as minutes_late_after_close,
    max(date) as last_mark_date
  from marks
  group by school_id, student_id, academic_year, week_start
),
final as (
  select
    *,
    sum(possible_sessions) over to_date::INTEGER as possible_sessions_to_date,
    sum(attending_sessions) over to_date::INTEGER as attending_sessions_to_date
  from weekly
  window to_date as (partition by school_id, student_id, academic_year order by week_start rows unbounded preceding)
)
select * from final
