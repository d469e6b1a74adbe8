-- incremental: school_year
-- incremental weeks: by week_start; same week of int_pupil_week_indexed
-- materialised: view (a pass-through of int_pupil_week_indexed, 4.4M rows at the trust scale:
-- a stored copy took 4 s on one core; no page loader reads it, analysts and tests do)
-- One row per pupil per school week on roll: behaviour, attendance, BSC, detentions,
-- suspensions, parent contacts and interventions active that week. The grain the watchlist,
-- the pupil profile and the intervention impact build on; computed in int_pupil_week_indexed,
-- which the models read (an intermediate never reads a mart): this view is for analysts.
with pupil_weeks as (
  select * exclude (week_index) from int_pupil_week_indexed
)
select * from pupil_weeks
