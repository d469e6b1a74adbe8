-- incremental: school_year
-- materialised: view (8.9M rows of 44 mostly-empty columns in a trust, read once, by the pupil
-- profile's export, one school at a time: a stored copy cost the models stage more than the export
-- spends working out each school's union as it reads it; docs/performance.md, session 16). The
-- records are int_pupil_records (a view too); this joins each pupil's detail file to them.
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
final as (
  select d.detail_file, u.school_id, u.student_id, u.academic_year, u.kind, u.record_id, u.date, u.end_date,
    u.time, u.period, u.category, u.staff, u.status, u.outcome,
    u.polarity, u.points, u.severity, u.subject, u.location, u.action, u.comment,
    u.periods, u.start_time, u.end_time, u.booklet, u.conduct, u.is_repeat,
    u.session, u.minutes, u.sessions, u.sessions_planned, u.focus, u.method,
    u.possible_sessions, u.attending_sessions, u.unauthorised_sessions, u.late_sessions,
    u.attendance_pct_to_date, u.persistently_absent_to_date,
    u.negative_points_year, u.attendance_pct, u.possible_sessions_to_date, u.attending_sessions_to_date
  from int_pupil_records u
  join directory d using (school_id, student_id)
)
select * from final
