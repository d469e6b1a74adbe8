-- incremental: school_year
-- materialised: view (8.9M rows of 44 mostly-empty columns in a trust, read once, by the pupil
-- profile's export, one school at a time: a stored copy cost the models stage more than the export
-- spends working out each school's union as it reads it; docs/performance.md, session 16)
-- Everything recorded about one pupil, one row per record, for the pupil profile (staff page:
-- names and free-text comments). kind says which record: behaviour (a behaviour event),
-- bsc (a Behaviour Support Centre placement), detention, suspension, intervention,
-- contact (a parent/carer contact) or attendance_week (one row per school week on roll).
-- Shared columns: date (event/placement/detention/contact date, suspension or intervention
-- start, week start), end_date (intervention end, null while it runs; suspension's last
-- day counted in school days is not known, so null), category (behaviour category, BSC or
-- detention reason, DfE suspension reason code, intervention type, contact reason),
-- staff (who logged, referred, issued, ran or made it), status (detention or intervention
-- status), outcome (BSC, intervention or contact outcome). Kind-specific: time and period,
-- polarity, points, severity, subject, location, action and comment (behaviour: comment is
-- free text, show it as text only), periods, start_time, end_time, booklet, conduct,
-- is_repeat (bsc), session (detention: break, lunch, after school…) and minutes, sessions
-- (suspension sessions; intervention sessions attended) and sessions_planned, focus
-- (intervention), method (contact), and possible_sessions, attending_sessions,
-- unauthorised_sessions, late_sessions, attendance_pct (the week's, unrounded; null without a
-- possible session), and the year so far at the end of the week:
-- possible_sessions_to_date, attending_sessions_to_date, attendance_pct_to_date and
-- persistently_absent_to_date (is_persistently_absent; NULL in a week before the pupil's first
-- mark of the year) (attendance_week). negative_points_year (behaviour): the absolute points of
-- the pupil's negative events in the row's academic year, summed (the same on each of its rows). detail_file is the pupil's file
-- (mart_pupil_directory).
with directory as (
  select school_id, student_id, detail_file from mart_pupil_directory
),
behaviour as (
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
),
unioned as (
  select * from behaviour
  union all by name select * from bsc
  union all by name select * from detentions
  union all by name select * from suspensions
  union all by name select * from interventions
  union all by name select * from contacts
  union all by name select * from attendance
),
final as (
  select d.detail_file, u.school_id, u.student_id, u.academic_year, u.kind, u.record_id, u.date, u.end_date,
    u.time, u.period, u.category, u.staff, u.status, u.outcome,
    u.polarity, u.points, u.severity, u.subject, u.location, u.action, u.comment,
    u.periods, u.start_time, u.end_time, u.booklet, u.conduct, u.is_repeat,
    u.session, u.minutes, u.sessions, u.sessions_planned, u.focus, u.method,
    u.possible_sessions, u.attending_sessions, u.unauthorised_sessions, u.late_sessions,
    u.attendance_pct_to_date, u.persistently_absent_to_date,
    u.negative_points_year, u.attendance_pct, u.possible_sessions_to_date, u.attending_sessions_to_date
  from unioned u
  join directory d using (school_id, student_id)
)
select * from final
