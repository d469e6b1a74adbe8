-- incremental: school_year
-- incremental weeks: by week_start
-- One row per school, academic year, year group and school week, plus one row per school,
-- academic year and week for all year groups together (year_group = 0): the numbers the
-- attendance page shows, so the page never adds year groups up itself.
--   The counts are mart_attendance_yeargroup_week's (see there), summed over year groups for
--   the all-year-groups row (every count there adds up across year groups).
--   attendance_pct / attendance_pct_to_date: attending ÷ possible sessions × 100, this week /
--   the year so far, from the summed sessions (never an average of percentages);
--   persistent_pct / severe_pct / at_risk_pct: those pupils ÷ pupils_measured × 100.
--   Percentages are not rounded here: the page rounds them for display.
--   attendance_pct_change_vs_last_week: this week's attendance_pct − the previous school
--   week's (same school, academic year and year group), in percentage points; null in the
--   first week or when either week had no possible session.
--   at_risk_band_change_vs_last_week: at_risk_band − the previous school week's; null in the
--   first week.
--   attendance_pct_to_date_vs_national / persistent_pct_vs_national / severe_pct_vs_national:
--   the figure − the national one (int_national_latest: the latest whole-year figure; national
--   attendance = 100 − overall absence, to 1 dp), in percentage points; null without either.
--   late_before_close_sessions_to_date / late_after_close_sessions_to_date (L / U marks) and
--   minutes_late_*_to_date: the week's figures summed over the year so far (this week and the
--   school weeks before it); avg_minutes_late_*_to_date: those minutes ÷ those marks (minutes
--   late per late mark, the year so far; null before the year's first such mark).
-- A week's row reads its year's weeks up to it (the sums to date, last week's figures): updated
-- from the first changed week on, reading the year of mart_attendance_yeargroup_week.
with year_groups as (
  select * from mart_attendance_yeargroup_week
),
all_year_groups as (
  select school_id, academic_year, 0 as year_group, week_start,
    any_value(week_number) as week_number,
    any_value(term) as term,
    sum(pupils_on_roll)::INTEGER as pupils_on_roll,
    sum(pupils_measured)::INTEGER as pupils_measured,
    sum(possible_sessions)::INTEGER as possible_sessions,
    sum(attending_sessions)::INTEGER as attending_sessions,
    sum(possible_sessions_to_date)::INTEGER as possible_sessions_to_date,
    sum(attending_sessions_to_date)::INTEGER as attending_sessions_to_date,
    sum(persistently_absent)::INTEGER as persistently_absent,
    sum(severely_absent)::INTEGER as severely_absent,
    sum(at_risk_band)::INTEGER as at_risk_band,
    sum(band_green)::INTEGER as band_green,
    sum(band_amber)::INTEGER as band_amber,
    sum(band_amber_red)::INTEGER as band_amber_red,
    sum(band_red)::INTEGER as band_red,
    sum(penalty_threshold_now)::INTEGER as penalty_threshold_now,
    sum(late_before_close_sessions)::INTEGER as late_before_close_sessions,
    sum(late_after_close_sessions)::INTEGER as late_after_close_sessions,
    sum(minutes_late_before_close)::INTEGER as minutes_late_before_close,
    sum(minutes_late_after_close)::INTEGER as minutes_late_after_close,
    sum(entered_persistent_absence)::INTEGER as entered_persistent_absence,
    sum(entered_severe_absence)::INTEGER as entered_severe_absence,
    sum(entered_at_risk_band)::INTEGER as entered_at_risk_band,
    sum(reached_penalty_threshold)::INTEGER as reached_penalty_threshold
  from year_groups
  group by school_id, academic_year, week_start
),
both_levels as (
  select school_id, academic_year, year_group::INTEGER as year_group, week_start, week_number, term,
    pupils_on_roll, pupils_measured, possible_sessions, attending_sessions, possible_sessions_to_date,
    attending_sessions_to_date, persistently_absent, severely_absent, at_risk_band, band_green, band_amber,
    band_amber_red, band_red, penalty_threshold_now, late_before_close_sessions, late_after_close_sessions,
    minutes_late_before_close, minutes_late_after_close, entered_persistent_absence, entered_severe_absence,
    entered_at_risk_band, reached_penalty_threshold
  from year_groups
  union all by name
  select * from all_year_groups
),
-- The late marks of the year so far, summed over the weeks up to and including this one (the
-- attendance page's "This year" line reads them at the year's last week).
to_date as (
  select *,
    sum(late_before_close_sessions) over year_so_far::INTEGER as late_before_close_sessions_to_date,
    sum(late_after_close_sessions) over year_so_far::INTEGER as late_after_close_sessions_to_date,
    sum(minutes_late_before_close) over year_so_far::INTEGER as minutes_late_before_close_to_date,
    sum(minutes_late_after_close) over year_so_far::INTEGER as minutes_late_after_close_to_date
  from both_levels
  window year_so_far as (partition by school_id, academic_year, year_group order by week_start rows unbounded preceding)
),
with_rates as (
  select *,
    attendance_pct(attending_sessions, possible_sessions) as attendance_pct,
    attendance_pct(attending_sessions_to_date, possible_sessions_to_date) as attendance_pct_to_date,
    100.0 * persistently_absent / nullif(pupils_measured, 0) as persistent_pct,
    100.0 * severely_absent / nullif(pupils_measured, 0) as severe_pct,
    100.0 * at_risk_band / nullif(pupils_measured, 0) as at_risk_pct,
    minutes_late_before_close_to_date / nullif(late_before_close_sessions_to_date, 0) as avg_minutes_late_before_close_to_date,
    minutes_late_after_close_to_date / nullif(late_after_close_sessions_to_date, 0) as avg_minutes_late_after_close_to_date
  from to_date
),
national as (
  select
    any_value(value) filter (where measure = 'overall_attendance_pct') as attendance,
    any_value(value) filter (where measure = 'persistent_absence_pct') as persistent,
    any_value(value) filter (where measure = 'severe_absence_pct') as severe
  from int_national_latest
),
final as (
  select r.*,
    r.attendance_pct - lag(r.attendance_pct) over previous_week as attendance_pct_change_vs_last_week,
    r.at_risk_band - lag(r.at_risk_band) over previous_week as at_risk_band_change_vs_last_week,
    r.attendance_pct_to_date - n.attendance as attendance_pct_to_date_vs_national,
    r.persistent_pct - n.persistent as persistent_pct_vs_national,
    r.severe_pct - n.severe as severe_pct_vs_national
  from with_rates r
  cross join national n
  window previous_week as (partition by r.school_id, r.academic_year, r.year_group order by r.week_start)
)
select * from final
