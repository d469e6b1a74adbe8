-- incremental: school_year
-- incremental weeks: by date; same week of stg_attendance
-- materialised: view (one row per mark; the three models that read it aggregate it at once,
-- and classifying a mark again costs less than storing 3.8M classified rows and reading them back)
-- Each register mark with what it counts as under the DfE rules (the flags are the code's, in
-- ref_attendance_codes: int_attendance_by_pupil_week counts a week's marks per code and
-- classifies the counts by the same flags).
with marks as (
  select * from stg_attendance
),
codes as (
  select * from ref_attendance_codes
),
final as (
  select
    m.school_id,
    m.student_id,
    m.date,
    m.session,
    m.code,
    m.minutes_late,
    academic_year_of(m.date) as academic_year,
    school_week_start(m.date) as week_start,
    c.class,
    c.is_possible,
    c.is_attending,
    c.is_absent,
    c.is_authorised,
    c.is_unauthorised,
    c.is_late_before_close,
    c.is_late_after_close,
    c.is_present,
    c.is_approved_activity,
    c.is_retired
  from marks m
  join codes c using (code)
)
select * from final
