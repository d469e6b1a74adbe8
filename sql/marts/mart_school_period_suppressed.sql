-- incremental: school_year
-- The schools comparison side by side for the builds outside the staff site (leaders,
-- governors, trust): mart_school_period with the counts mart_school_suppression hides set to
-- NULL (average_roll with pupil-weeks), and each rate NULL when a count it is built on is hidden
-- (negative_per_100: negative events, pupil-weeks; attendance_pct: attending, possible sessions;
-- pa_pct: persistently absent, pupils on roll; bsc_per_100 and suspensions_per_100: the count,
-- pupil-weeks). <rate>_suppression says why a rate is hidden: 'fewer than 5' when every count
-- hidden under it is below the threshold, 'secondary' when one was hidden with another (it may
-- be 5 or more); NULL when shown. suppressed: each hidden count and why, as a map.
with periods as (
  select * from mart_school_period
),
hidden as (
  select school_id, academic_year, period, year_group, map_from_entries(list((measure, suppression) order by measure)) as suppressed
  from mart_school_suppression
  where grain = 'period'
  group by all
),
joined as (
  select p.*, h.suppressed,
    -- A rate's reason, from the reasons of the counts it is built on.
    suppression_of(h.suppressed, ['negative_events', 'pupil_weeks']) as negative_per_100_suppression,
    suppression_of(h.suppressed, ['attending_sessions', 'possible_sessions']) as attendance_pct_suppression,
    suppression_of(h.suppressed, ['pupils_persistently_absent', 'pupils_on_roll']) as pa_pct_suppression,
    suppression_of(h.suppressed, ['bsc_placements', 'pupil_weeks']) as bsc_per_100_suppression,
    suppression_of(h.suppressed, ['suspensions', 'pupil_weeks']) as suspensions_per_100_suppression
  from periods p
  left join hidden h using (school_id, academic_year, period, year_group)
),
final as (
  select school_id, academic_year, period, year_group, weeks, last_week,
    case when suppressed['pupil_weeks'] is null then pupil_weeks end as pupil_weeks,
    case when suppressed['pupil_weeks'] is null then average_roll end as average_roll,
    case when suppressed['pupils_on_roll'] is null then pupils_on_roll end as pupils_on_roll,
    case when suppressed['pupils_persistently_absent'] is null then pupils_persistently_absent end as pupils_persistently_absent,
    case when suppressed['negative_events'] is null then negative_events end as negative_events,
    case when suppressed['possible_sessions'] is null then possible_sessions end as possible_sessions,
    case when suppressed['attending_sessions'] is null then attending_sessions end as attending_sessions,
    case when suppressed['bsc_placements'] is null then bsc_placements end as bsc_placements,
    case when suppressed['suspensions'] is null then suspensions end as suspensions,
    case when negative_per_100_suppression is null then negative_per_100 end as negative_per_100,
    negative_per_100_suppression,
    case when attendance_pct_suppression is null then attendance_pct end as attendance_pct,
    attendance_pct_suppression,
    case when pa_pct_suppression is null then pa_pct end as pa_pct,
    pa_pct_suppression,
    case when bsc_per_100_suppression is null then bsc_per_100 end as bsc_per_100,
    bsc_per_100_suppression,
    case when suspensions_per_100_suppression is null then suspensions_per_100 end as suspensions_per_100,
    suspensions_per_100_suppression,
    suppressed
  from joined
)
select * from final
