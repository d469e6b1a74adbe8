-- incremental: school_year
-- The schools comparison (reports/schools.md), side by side, EXACT: staff build only (the other
-- builds read mart_school_period_suppressed). One row per school, academic year, period (each
-- term, and 'Year': the whole year so far) and year group (0: all year groups together), from
-- the period's weeks in mart_school_week:
--   weeks              school weeks counted; last_week: the last of them
--   pupil_weeks        the sum of each week's pupils on roll; average_roll = pupil_weeks ÷ weeks
--   pupils_on_roll, pupils_persistently_absent: at the last week
--   negative_events, possible_sessions, attending_sessions, bsc_placements, suspensions: totals
-- Rates (docs/metrics.md, "Schools compared"; NULL when the denominator is 0):
--   negative_per_100     negative events × 100 ÷ pupil-weeks (per 100 pupils per week)
--   attendance_pct       attending × 100 ÷ possible sessions
--   pa_pct               persistently absent × 100 ÷ pupils on roll, at the last week
--   bsc_per_100          BSC placements × 100 ÷ the average roll
--   suspensions_per_100  suspensions × 100 ÷ the average roll
with weeks as (
  select * from mart_school_week
),
periods as (
  select school_id, academic_year, term as period, year_group, week_start from weeks
  union all
  select school_id, academic_year, 'Year' as period, year_group, week_start from weeks
),
totals as (
  select p.school_id, p.academic_year, p.period, p.year_group,
    count(*) as weeks,
    max(w.week_start) as last_week,
    sum(w.pupils_on_roll) as pupil_weeks,
    arg_max(w.pupils_on_roll, w.week_start) as pupils_on_roll,
    arg_max(w.pupils_persistently_absent, w.week_start) as pupils_persistently_absent,
    sum(w.negative_events) as negative_events,
    sum(w.possible_sessions) as possible_sessions,
    sum(w.attending_sessions) as attending_sessions,
    sum(w.bsc_placements) as bsc_placements,
    sum(w.suspensions) as suspensions
  from periods p
  join weeks w using (school_id, academic_year, year_group, week_start)
  group by all
),
final as (
  select school_id, academic_year, period, year_group::INTEGER as year_group,
    weeks::INTEGER as weeks, last_week,
    pupil_weeks::INTEGER as pupil_weeks,
    (pupil_weeks / weeks)::DOUBLE as average_roll,
    pupils_on_roll::INTEGER as pupils_on_roll,
    pupils_persistently_absent::INTEGER as pupils_persistently_absent,
    negative_events::INTEGER as negative_events,
    possible_sessions::INTEGER as possible_sessions,
    attending_sessions::INTEGER as attending_sessions,
    bsc_placements::INTEGER as bsc_placements,
    suspensions::INTEGER as suspensions,
    per_100(negative_events, pupil_weeks) as negative_per_100,
    attendance_pct(attending_sessions, possible_sessions) as attendance_pct,
    per_100(pupils_persistently_absent, pupils_on_roll) as pa_pct,
    per_100(bsc_placements, (pupil_weeks / weeks)) as bsc_per_100,
    per_100(suspensions, (pupil_weeks / weeks)) as suspensions_per_100
  from totals
)
select * from final
