-- incremental: school_year
-- The schools comparison week by week for the builds outside the staff site (leaders, governors,
-- trust): mart_school_week for all year groups together only (no year group is shown week by
-- week), with the counts mart_school_suppression hides set to NULL, and a rate built on a hidden
-- count NULL too. The rates are mart_school_week's (docs/metrics.md, "Schools compared"); BSC
-- placements and suspensions "so far" are not shipped (too few in a week to show without
-- identifying pupils). suppressed: 'fewer than 5' or 'secondary' per hidden count, as a map.
with weeks as (
  select * from mart_school_week where year_group = 0
),
hidden as (
  select school_id, academic_year, week_start, map_from_entries(list((measure, suppression) order by measure)) as suppressed
  from mart_school_suppression
  where grain = 'week'
  group by all
),
final as (
  select w.school_id, w.academic_year, w.term, w.week_start,
    case when h.suppressed['pupils_on_roll'] is null then w.pupils_on_roll end as pupils_on_roll,
    case when h.suppressed['negative_events'] is null then w.negative_events end as negative_events,
    case when h.suppressed['possible_sessions'] is null then w.possible_sessions end as possible_sessions,
    case when h.suppressed['attending_sessions'] is null then w.attending_sessions end as attending_sessions,
    case when h.suppressed['pupils_persistently_absent'] is null then w.pupils_persistently_absent end as pupils_persistently_absent,
    case when h.suppressed['bsc_placements'] is null then w.bsc_placements end as bsc_placements,
    case when h.suppressed['suspensions'] is null then w.suspensions end as suspensions,
    case when h.suppressed['negative_events'] is null and h.suppressed['pupils_on_roll'] is null then w.negative_per_100 end as negative_per_100,
    case when h.suppressed['attending_sessions'] is null and h.suppressed['possible_sessions'] is null then w.attendance_pct end as attendance_pct,
    case when h.suppressed['pupils_persistently_absent'] is null and h.suppressed['pupils_on_roll'] is null then w.pa_pct end as pa_pct,
    h.suppressed
  from weeks w
  left join hidden h using (school_id, academic_year, week_start)
)
select * from final
