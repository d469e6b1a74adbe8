-- incremental: school_year
-- materialised: view (read through mart_pupil_timeline, which adds each pupil's detail file)
-- Everything recorded about a pupil, one row per record, with no pupil details: the union of
-- mart_pupil_timeline's records (see there for the kinds and columns) before the pupil
-- directory is joined. Apart so that the data test of each record occurring once
-- (unique_int_pupil_records) reads the records alone: the directory is rebuilt by school, so a
-- week whose pupils file changed (a SEN status, a joiner) changes it in every year, which would
-- check every year's records again (docs/performance.md, "Session 50"). The directory is unique
-- by school and pupil (unique_mart_pupil_directory), so its join adds no row twice.
with behaviour as (
  select school_id, student_id, academic_year, 'behaviour' as kind, event_id as record_id, date,
    NULL::DATE as end_date, left(time::VARCHAR, 5) as time, period, category, staff,
    NULL::VARCHAR as status, NULL::VARCHAR as outcome, polarity, points, severity, subject, location,
    action, comment,
    coalesce(sum(abs(points)) filter (where polarity = 'negative') over (partition by school_id, student_id, academic_year), 0)::INTEGER as negative_points_year
  from int_behaviour_events
),
bsc as (
  select school_id, student_id, academic_year, 'bsc' as kind, referral_id as record_id, date,
    reason as category, referred_by as staff, outcome, periods, left(start_time::VARCHAR, 5) as start_time,
    left(end_time::VARCHAR, 5) as end_time, booklet, conduct, is_repeat
  from int_bsc_placements
),
detentions as (
  select school_id, student_id, academic_year_of(date) as academic_year, 'detention' as kind,
    detention_id as record_id, date, reason as category, issued_by as staff, status,
    type as session, minutes
  from stg_detentions
),
suspensions as (
  select school_id, student_id, academic_year_of(start_date) as academic_year, 'suspension' as kind,
    suspension_id as record_id, start_date as date, reason as category, type as status, sessions
  from stg_suspensions
),
interventions as (
  select school_id, student_id, academic_year_of(start_date) as academic_year, 'intervention' as kind,
    intervention_id as record_id, start_date as date, end_date, type as category, staff, status,
    outcome, focus, sessions_attended::DOUBLE as sessions, sessions_planned
  from stg_interventions
),
contacts as (
  select school_id, student_id, academic_year_of(date) as academic_year, 'contact' as kind,
    contact_id as record_id, date, strftime(contacted_at, '%H:%M') as time, reason as category,
    staff, outcome, method
  from stg_contacts
),
attendance as (
  -- The pupil's standing for the year so far at the end of each week comes from the one
  -- definition (int_attendance_thresholds_by_pupil_week: is_persistently_absent), so the
  -- profile does not work it out again. That model has a row for every pupil-week on roll (as
  -- int_pupil_week_indexed) with the week's sessions, so it is read alone, without a join.
  select school_id, student_id, academic_year, 'attendance_week' as kind, NULL::VARCHAR as record_id,
    week_start as date, possible_sessions, attending_sessions, unauthorised_sessions,
    late_before_close_sessions + late_after_close_sessions as late_sessions,
    attendance_pct(attending_sessions, possible_sessions) as attendance_pct,
    possible_sessions_to_date, attending_sessions_to_date,
    attendance_pct_to_date, persistently_absent as persistently_absent_to_date
  from int_attendance_thresholds_by_pupil_week
)
select * from behaviour
union all by name select * from bsc
union all by name select * from detentions
union all by name select * from suspensions
union all by name select * from interventions
union all by name select * from contacts
union all by name select * from attendance
