-- incremental: school_year
-- The weekly review's numbers: every row and column of mart_yeargroup_week (one row per school,
-- academic year, year group and school week), with the changes the page shows worked out here
-- rather than in the browser. Each change is this week's figure − the other's (null when either
-- is null), in the figure's own unit:
--   negative_per_100_change_vs_last_week / _vs_term_avg: negative events per 100 pupils − last
--   school week's / the term's weekly average so far;
--   negative_per_100_per_day_change_vs_last_week / _vs_term: per 100 pupils per school day (how a
--   partial week is compared) − last week's / the term's so far;
--   attendance_pct_change_vs_last_week / _vs_term: percentage points;
--   bsc_placements_change_vs_last_week, detentions_missed_change_vs_last_week: counts;
--   bsc_placements_per_day_change_vs_last_week, detentions_missed_per_day_change_vs_last_week:
--   a school day.
with weeks as (
  select * from mart_yeargroup_week
),
final as (
  select *,
    negative_per_100 - negative_per_100_last_week as negative_per_100_change_vs_last_week,
    negative_per_100 - negative_per_100_term_avg as negative_per_100_change_vs_term_avg,
    negative_per_100_per_day - negative_per_100_per_day_last_week as negative_per_100_per_day_change_vs_last_week,
    negative_per_100_per_day - negative_per_100_per_day_term as negative_per_100_per_day_change_vs_term,
    attendance_pct - attendance_pct_last_week as attendance_pct_change_vs_last_week,
    attendance_pct - attendance_pct_term as attendance_pct_change_vs_term,
    bsc_placements - bsc_placements_last_week as bsc_placements_change_vs_last_week,
    bsc_placements_per_day - bsc_placements_per_day_last_week as bsc_placements_per_day_change_vs_last_week,
    detentions_missed - detentions_missed_last_week as detentions_missed_change_vs_last_week,
    detentions_missed_per_day - detentions_missed_per_day_last_week as detentions_missed_per_day_change_vs_last_week
  from weeks
)
select * from final
