-- incremental: school_year; previous year of int_yeargroup_week
-- incremental weeks: by week_start
-- One row per school, academic year, year group and school week: the Head of Year's weekly
-- numbers, each beside last week, the term so far and the same week (by number) last year.
-- school_days: the week's school days in the data; is_partial_week: fewer than five of them
-- (the data ends part-way through the week, data_ends_in_week, or the school was closed some
-- days; int_school_weeks), so it is compared per school day: *_per_day columns are the week's
-- figure ÷ its school days (negative events per 100 pupils per school day: negative events ×
-- 100 ÷ (pupils on roll × school days); the term's: the term's events so far × 100 ÷ the sum of
-- its weeks' pupils on roll × school days). Definitions: docs/metrics.md#mart_yeargroup_week.
with joined as (
  -- The week's own figures (int_yeargroup_week, updated from the changed week on); last year's
  -- figure per week is read from its rows of the year before.
  select * from int_yeargroup_week
),
compared as (
  select
    j.*,
    lag(negative_events) over w_prev as negative_events_last_week,
    lag(negative_per_100) over w_prev as negative_per_100_last_week,
    lag(attendance_pct) over w_prev as attendance_pct_last_week,
    lag(bsc_placements) over w_prev as bsc_placements_last_week,
    lag(detentions_missed) over w_prev as detentions_missed_last_week,
    round(avg(negative_per_100) over w_term, 2) as negative_per_100_term_avg,
    round(attendance_pct(sum(attending_sessions) over w_term, sum(possible_sessions) over w_term), 2) as attendance_pct_term,
    round(avg(bsc_placements) over w_term, 2) as bsc_placements_term_avg,
    lag(negative_per_100_per_day) over w_prev as negative_per_100_per_day_last_week,
    round(100.0 * sum(negative_events) over w_term / nullif(sum(pupils_on_roll * school_days) over w_term, 0), 2) as negative_per_100_per_day_term,
    lag(bsc_placements_per_day) over w_prev as bsc_placements_per_day_last_week,
    lag(detentions_missed_per_day) over w_prev as detentions_missed_per_day_last_week
  from joined j
  window
    w_prev as (partition by school_id, academic_year, year_group order by week_start),
    w_term as (partition by school_id, academic_year, year_group, term order by week_start rows unbounded preceding)
),
final as (
  select
    c.*,
    ly.negative_per_100 as negative_per_100_last_year,
    ly.attendance_pct as attendance_pct_last_year,
    ly.bsc_placements as bsc_placements_last_year
  from compared c
  left join joined ly
    on ly.school_id = c.school_id
   and ly.year_group = c.year_group
   and ly.week_number = c.week_number
   and academic_year_start_of_label(ly.academic_year) = academic_year_start_of_label(c.academic_year) - 1
)
select * from final
