-- incremental: school_year
-- Per pupil and academic year, to the last day of data: sessions by DfE class, attendance %,
-- persistent absence (absence ≥ 10% of own possible sessions), severe absence (≥ 50%), the
-- 90–92% at-risk band, the school's RAG band, and the penalty-notice threshold (10 or more
-- unauthorised sessions within any 10 consecutive school weeks, which may span school years). Definitions: docs/metrics.md.
with weekly as (
  select * from int_attendance_by_pupil_week
),
pupils as (
  select * from int_pupil_years
),
totals as (
  -- The year to date is the sum of the pupil's school weeks.
  select school_id, student_id, academic_year,
    sum(possible_sessions)::INTEGER as possible_sessions,
    sum(attending_sessions)::INTEGER as attending_sessions,
    sum(present_sessions)::INTEGER as present_sessions,
    sum(approved_activity_sessions)::INTEGER as approved_activity_sessions,
    sum(authorised_sessions)::INTEGER as authorised_sessions,
    sum(unauthorised_sessions)::INTEGER as unauthorised_sessions,
    sum(late_before_close_sessions)::INTEGER as late_before_close_sessions,
    sum(late_after_close_sessions)::INTEGER as late_after_close_sessions,
    sum(minutes_late)::INTEGER as minutes_late,
    max(last_mark_date) as last_mark_date
  from weekly
  group by all
),
penalty as (
  -- The unauthorised sessions in each 10 school weeks, every school week of the year on roll
  -- counted (zero when none, so the window counts school weeks, not weeks that happen to have
  -- absences): int_attendance_thresholds_by_pupil_week's unauthorised_last_10_weeks, the same
  -- window, summed there once for both models (in a year's first weeks it reaches back into the
  -- last school weeks of the year before, as DfE's window may).
  select school_id, student_id, academic_year,
    max(unauthorised_last_10_weeks)::INTEGER as max_unauthorised_in_10_weeks,
    arg_max(unauthorised_last_10_weeks, week_start)::INTEGER as unauthorised_last_10_weeks,
    min(week_start) filter (where at_penalty_threshold(unauthorised_last_10_weeks)) as penalty_threshold_first_week
  from int_attendance_thresholds_by_pupil_week
  group by all
),
measured as (
  select t.*,
    round(attendance_pct(attending_sessions, possible_sessions), 2) as attendance_pct,
    round(100.0 * (possible_sessions - attending_sessions) / nullif(possible_sessions, 0), 2) as absence_pct
  from totals t
),
final as (
  select
    p.school_id, p.academic_year, p.student_id, p.year_group, p.form, p.gender, p.sen, p.disadvantaged, p.eal,
    m.possible_sessions, m.attending_sessions, m.present_sessions, m.approved_activity_sessions,
    m.authorised_sessions, m.unauthorised_sessions, m.late_before_close_sessions, m.late_after_close_sessions,
    m.minutes_late, m.attendance_pct, m.absence_pct,
    -- No possible sessions: no attendance figure and no flags, rather than 0% or 100%.
    persistently_absent_so_far(m.attending_sessions, m.possible_sessions) as persistently_absent,
    severely_absent_so_far(m.attending_sessions, m.possible_sessions) as severely_absent,
    -- Banded on the unrounded figure (attendance_pct is rounded to 2 dp for display).
    case when m.possible_sessions > 0 then is_at_risk_band(attendance_pct(m.attending_sessions, m.possible_sessions)) end as at_risk_band,
    case when m.possible_sessions > 0 then attendance_band(attendance_pct(m.attending_sessions, m.possible_sessions)) end as attendance_band,
    coalesce(pn.unauthorised_last_10_weeks, 0) as unauthorised_last_10_weeks,
    coalesce(pn.max_unauthorised_in_10_weeks, 0) as max_unauthorised_in_10_weeks,
    at_penalty_threshold(coalesce(pn.max_unauthorised_in_10_weeks, 0)) as penalty_threshold_reached,
    at_penalty_threshold(coalesce(pn.unauthorised_last_10_weeks, 0)) as penalty_threshold_now,
    pn.penalty_threshold_first_week,
    m.last_mark_date
  from pupils p
  left join measured m using (school_id, student_id, academic_year)
  left join penalty pn using (school_id, student_id, academic_year)
)
select * from final
