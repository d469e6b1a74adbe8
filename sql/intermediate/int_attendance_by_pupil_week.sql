-- incremental: school_year
-- incremental weeks: by week_start; same week of int_attendance_classified, int_school_days
-- Sessions per pupil per school week. The one pass over the register marks that the weekly
-- attendance models share. A week's row reads that week's marks only, so a weekly refresh
-- counts the new week's marks alone; the running totals for the year so far are summed by the
-- models that show them (mart_yeargroup_week; int_attendance_thresholds_by_pupil_week).
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
  select * from weekly
)
select * from final
