-- incremental: school_year
-- incremental weeks: by week_start; same week of int_attendance_thresholds_by_pupil_week
-- One row per school, academic year, year group and school week: the attendance page's
-- numbers, all year to date at the end of the week unless named "this week". Counts add up
-- across year groups (mart_attendance_week adds them up for "all year groups").
--   pupils_on_roll; pupils_measured: with at least one possible session so far this year;
--   possible_sessions / attending_sessions: this week; *_to_date: the year so far;
--   persistently_absent / severely_absent / at_risk_band: pupils flagged at the end of the week
--   (see int_attendance_thresholds_by_pupil_week); band_green / band_amber / band_amber_red /
--   band_red: pupils in each RAG band (96+, 93–95.9, 90–92.9, under 90);
--   penalty_threshold_now: pupils with 10+ unauthorised sessions in the last 10 school weeks;
--   unauthorised_sessions, late_before_close_sessions (L), late_after_close_sessions (U) and
--   their minutes: this week; entered_* / reached_penalty_threshold: pupils crossing that
--   threshold this week.
with pupil_weeks as (
  select * from int_attendance_thresholds_by_pupil_week
),
final as (
  select school_id, academic_year, year_group, week_start,
    any_value(week_number) as week_number,
    any_value(term) as term,
    count(*)::INTEGER as pupils_on_roll,
    count(*) filter (where possible_sessions_to_date > 0)::INTEGER as pupils_measured,
    sum(possible_sessions)::INTEGER as possible_sessions,
    sum(attending_sessions)::INTEGER as attending_sessions,
    round(attendance_pct(sum(attending_sessions), sum(possible_sessions)), 2) as attendance_pct,
    sum(possible_sessions_to_date)::INTEGER as possible_sessions_to_date,
    sum(attending_sessions_to_date)::INTEGER as attending_sessions_to_date,
    round(attendance_pct(sum(attending_sessions_to_date), sum(possible_sessions_to_date)), 2) as attendance_pct_to_date,
    count(*) filter (where persistently_absent)::INTEGER as persistently_absent,
    count(*) filter (where severely_absent)::INTEGER as severely_absent,
    count(*) filter (where at_risk_band)::INTEGER as at_risk_band,
    count(*) filter (where attendance_band = 'green')::INTEGER as band_green,
    count(*) filter (where attendance_band = 'amber')::INTEGER as band_amber,
    count(*) filter (where attendance_band = 'amber/red')::INTEGER as band_amber_red,
    count(*) filter (where attendance_band = 'red')::INTEGER as band_red,
    count(*) filter (where at_penalty_threshold(unauthorised_last_10_weeks))::INTEGER as penalty_threshold_now,
    sum(unauthorised_sessions)::INTEGER as unauthorised_sessions,
    sum(late_before_close_sessions)::INTEGER as late_before_close_sessions,
    sum(late_after_close_sessions)::INTEGER as late_after_close_sessions,
    sum(minutes_late_before_close)::INTEGER as minutes_late_before_close,
    sum(minutes_late_after_close)::INTEGER as minutes_late_after_close,
    count(*) filter (where entered_persistent_absence)::INTEGER as entered_persistent_absence,
    count(*) filter (where entered_severe_absence)::INTEGER as entered_severe_absence,
    count(*) filter (where entered_at_risk_band)::INTEGER as entered_at_risk_band,
    count(*) filter (where reached_penalty_threshold)::INTEGER as reached_penalty_threshold
  from pupil_weeks
  group by school_id, academic_year, year_group, week_start
)
select * from final
