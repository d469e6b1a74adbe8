-- incremental: school_year
-- The schools comparison (reports/schools.md), week by week, EXACT: staff build only (the other
-- builds read mart_school_week_suppressed). One row per school, academic year, year group and
-- school week of mart_yeargroup_week, and one for all year groups together (year_group = 0).
-- Counts (a missing one is 0): pupils on roll that week, negative events, possible and
-- attending sessions, pupils persistently absent so far, BSC placements, suspensions. Rates
-- (docs/metrics.md, "Schools compared"):
--   negative_per_100   negative events × 100 ÷ pupils on roll that week
--   attendance_pct     attending × 100 ÷ possible sessions that week
--   pa_pct             pupils persistently absent so far × 100 ÷ pupils on roll that week
--   *_per_100_term_so_far, *_per_100_year_so_far: BSC placements (suspensions) from the first
--                      week of the term (of the year) to this week × 100 ÷ the average roll over
--                      those weeks (the sum of their rolls ÷ the number of weeks), with the
--                      counts and the average roll they rest on.
-- A rate whose denominator is 0 is NULL.
with weeks as (
  select school_id, academic_year, year_group, week_start, term,
    coalesce(pupils_on_roll, 0) as pupils_on_roll,
    coalesce(negative_events, 0) as negative_events,
    coalesce(possible_sessions, 0) as possible_sessions,
    coalesce(attending_sessions, 0) as attending_sessions,
    coalesce(pupils_persistently_absent, 0) as pupils_persistently_absent,
    coalesce(bsc_placements, 0) as bsc_placements,
    coalesce(suspensions, 0) as suspensions
  from mart_yeargroup_week
),
with_all as (
  select * from weeks
  union all
  select school_id, academic_year, 0 as year_group, week_start, any_value(term) as term,
    sum(pupils_on_roll), sum(negative_events), sum(possible_sessions), sum(attending_sessions),
    sum(pupils_persistently_absent), sum(bsc_placements), sum(suspensions)
  from weeks
  group by school_id, academic_year, week_start
),
so_far as (
  select w.*,
    sum(bsc_placements) over w_term as bsc_placements_term_so_far,
    sum(suspensions) over w_term as suspensions_term_so_far,
    sum(pupils_on_roll) over w_term / count(*) over w_term as average_roll_term_so_far,
    sum(bsc_placements) over w_year as bsc_placements_year_so_far,
    sum(suspensions) over w_year as suspensions_year_so_far,
    sum(pupils_on_roll) over w_year / count(*) over w_year as average_roll_year_so_far
  from with_all w
  window
    w_term as (partition by school_id, academic_year, year_group, term order by week_start rows unbounded preceding),
    w_year as (partition by school_id, academic_year, year_group order by week_start rows unbounded preceding)
),
final as (
  select school_id, academic_year, term, week_start, year_group::INTEGER as year_group,
    pupils_on_roll::INTEGER as pupils_on_roll,
    negative_events::INTEGER as negative_events,
    possible_sessions::INTEGER as possible_sessions,
    attending_sessions::INTEGER as attending_sessions,
    pupils_persistently_absent::INTEGER as pupils_persistently_absent,
    bsc_placements::INTEGER as bsc_placements,
    suspensions::INTEGER as suspensions,
    per_100(negative_events, pupils_on_roll) as negative_per_100,
    attendance_pct(attending_sessions, possible_sessions) as attendance_pct,
    per_100(pupils_persistently_absent, pupils_on_roll) as pa_pct,
    bsc_placements_term_so_far::INTEGER as bsc_placements_term_so_far,
    suspensions_term_so_far::INTEGER as suspensions_term_so_far,
    average_roll_term_so_far::DOUBLE as average_roll_term_so_far,
    per_100(bsc_placements_term_so_far, average_roll_term_so_far) as bsc_per_100_term_so_far,
    per_100(suspensions_term_so_far, average_roll_term_so_far) as suspensions_per_100_term_so_far,
    bsc_placements_year_so_far::INTEGER as bsc_placements_year_so_far,
    suspensions_year_so_far::INTEGER as suspensions_year_so_far,
    average_roll_year_so_far::DOUBLE as average_roll_year_so_far,
    per_100(bsc_placements_year_so_far, average_roll_year_so_far) as bsc_per_100_year_so_far,
    per_100(suspensions_year_so_far, average_roll_year_so_far) as suspensions_per_100_year_so_far
  from so_far
)
select * from final
