-- incremental: school_year
-- incremental weeks: by week_start; same week of int_pupil_week_indexed
-- One row per pupil per school week on roll: behaviour, attendance, BSC, detentions,
-- suspensions, parent contacts and interventions active that week. The grain the watchlist,
-- the pupil profile and the intervention impact build on; computed in int_pupil_week_indexed,
-- which the models read (an intermediate never reads a mart), and shown here without its
-- week_index (and the minutes late it carries for the attendance thresholds: the attendance
-- marts show those), for analysts: no page loader reads it.
-- materialised: view (a stored copy of the 4.4M pupil-weeks of a trust took 4 s on one core)
with pupil_weeks as (
  select * exclude (week_index, minutes_late_before_close, minutes_late_after_close) from int_pupil_week_indexed
)
select * from pupil_weeks
