-- incremental: school_year
-- incremental weeks: by week_start; same week of int_attendance_thresholds_by_pupil_week
-- Pupils who crossed an attendance threshold in a school week, one row per pupil, week and
-- threshold (staff lists: names included). threshold is one of 'Entered persistent absence',
-- 'Entered severe absence', 'Fell into the 90–92.9% band', 'Reached 10 unauthorised sessions
-- in 10 weeks' (definitions: int_attendance_thresholds_by_pupil_week). attendance_pct_to_date
-- and previous_attendance_pct_to_date: the pupil's attendance for the year so far at the end of
-- this week and of the week before; unauthorised_last_10_weeks: for the penalty-notice threshold.
with pupil_weeks as (
  select * from int_attendance_thresholds_by_pupil_week
),
crossings as (
  select *, 'Entered persistent absence' as threshold, 1 as threshold_order from pupil_weeks where entered_persistent_absence
  union all
  select *, 'Entered severe absence', 2 from pupil_weeks where entered_severe_absence
  union all
  select *, 'Fell into the 90–92.9% band', 3 from pupil_weeks where entered_at_risk_band
  union all
  select *, 'Reached 10 unauthorised sessions in 10 weeks', 4 from pupil_weeks where reached_penalty_threshold
),
final as (
  select c.school_id, c.academic_year, c.week_start, c.student_id, p.first_name, p.last_name, c.year_group, c.form,
    c.threshold, c.threshold_order::INTEGER as threshold_order,
    c.attendance_pct_to_date, c.previous_attendance_pct_to_date, c.unauthorised_last_10_weeks
  from crossings c
  left join int_pupil_names p using (school_id, student_id, academic_year)
)
select * from final
