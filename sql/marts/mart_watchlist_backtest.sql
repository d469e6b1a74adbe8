-- incremental: school_year; all years of int_pupil_week_indexed; next year of int_pupil_week_indexed, int_bsc_placements
-- incremental weeks: by week_start; watchlist_horizon_weeks weeks ahead of int_pupil_week_indexed, int_school_weeks, int_bsc_placements; same week of int_watchlist_signals, mart_watchlist
-- Does the watchlist pick the right pupils, better than the obvious rules? For each past
-- school week with settings.watchlist_horizon_weeks school weeks of data after it, and for
-- each of three ways to pick settings.watchlist_top_pupils pupils that week:
--   watchlist         the list's top ranks (mart_watchlist: the risk score);
--   recent_negatives  most negative events in the last 6 school weeks (ties: more BSC
--                     placements this year, then pupil id);
--   bsc_this_year     most BSC placements this academic year so far (ties: more negative
--                     events in the last 6 school weeks, then pupil id);
-- (a naive rule picks only pupils whose count is above 0), how many of the picked pupils had a
-- repeat BSC placement or a suspension in the next h school weeks (hit rate), what share of
-- all the pupils who had one were picked (recall), and hit rate ÷ the base rate among all
-- pupils on roll (lift).
-- period: the risk score's weights were fixed on 'fitting' weeks only: Autumn-term weeks whose
-- h-week outcome window closes within the Autumn term. Spring and Summer weeks are 'test'
-- weeks, whose outcomes the fitting never saw; the Autumn weeks between are 'between'.
with settings_now as (
  select watchlist_horizon_weeks as h, watchlist_top_pupils as n from settings
),
signals as (
  select school_id, academic_year, week_start, week_index, student_id, negative_last_6_weeks, bsc_this_year
  from int_watchlist_signals
),
pw as (
  select school_id, student_id, week_index, week_start, suspensions_started > 0 as suspended
  from int_pupil_week_indexed
),
repeat_bsc as (
  select school_id, student_id, school_week_start(date) as week_start, true as repeat_placed
  from int_bsc_placements where is_repeat group by all
),
bad_weeks as (
  -- The pupil-weeks with a bad outcome: a repeat BSC placement or a suspension started.
  select pw.school_id, pw.student_id, pw.week_index
  from pw left join repeat_bsc rb using (school_id, student_id, week_start)
  where coalesce(rb.repeat_placed, false) or pw.suspended
),
outcome_ahead as (
  -- The h pupil-weeks before each bad one: those with a bad outcome in the next h school weeks.
  select distinct school_id, student_id, unnest(range(week_index - (select h from settings_now), week_index)) as week_index
  from bad_weeks
),
last_week as (
  select school_id, max(week_index) as last_index from pw group by school_id
),
weeks as (
  select w.school_id, w.academic_year, w.week_start, w.term, i.week_index,
    max(i.week_index) filter (where w.term = 'Autumn') over (partition by w.school_id, w.academic_year) as last_autumn_index
  from int_school_weeks w
  join (select distinct school_id, week_start, week_index from int_pupil_week_indexed) i using (school_id, week_start)
),
periods as (
  select school_id, academic_year, week_start, week_index,
    case when term = 'Autumn' and week_index + (select h from settings_now) <= last_autumn_index then 'fitting'
         when term = 'Autumn' then 'between'
         else 'test' end as period
  from weeks
),
eligible as (
  -- Every pupil-week (int_watchlist_signals has one per row of int_pupil_week_indexed) with h
  -- school weeks of data after it, and whether a bad outcome came in those h weeks.
  select s.school_id, s.student_id, s.week_index, s.week_start, a.week_index is not null as outcome_next,
    s.academic_year, s.negative_last_6_weeks, s.bsc_this_year
  from signals s
  join last_week l using (school_id)
  left join outcome_ahead a using (school_id, student_id, week_index)
  where s.week_index <= l.last_index - (select h from settings_now)
),
picked as (
  select school_id, as_of_week as week_start, student_id, 'watchlist' as rule
  from mart_watchlist where rank <= (select n from settings_now)
  union all
  -- The n pupils with the smallest keys, i.e. the highest counts, ties as described above
  -- (arg_min keeps n per school-week without sorting every pupil-week).
  select school_id, week_start, unnest(top), 'recent_negatives' from (
    select school_id, week_start,
      arg_min(student_id, {count: -negative_last_6_weeks, tie: -bsc_this_year, student_id: student_id}, (select n from settings_now)) as top
    from eligible where negative_last_6_weeks > 0 group by school_id, week_start
  )
  union all
  select school_id, week_start, unnest(top), 'bsc_this_year' from (
    select school_id, week_start,
      arg_min(student_id, {count: -bsc_this_year, tie: -negative_last_6_weeks, student_id: student_id}, (select n from settings_now)) as top
    from eligible where bsc_this_year > 0 group by school_id, week_start
  )
),
rules as (
  select * from (values ('watchlist', 1), ('recent_negatives', 2), ('bsc_this_year', 3)) as r(rule, rule_order)
),
week_counts as (
  -- Each week's pupils on roll and those with an outcome, counted once (not once per rule).
  select school_id, academic_year, week_start,
    count(*) as on_roll,
    count(*) filter (where outcome_next) as with_outcome
  from eligible
  group by all
),
picked_counts as (
  -- Each rule's picks among the week's eligible pupils.
  select k.school_id, k.week_start, k.rule,
    count(*) as picked,
    count(*) filter (where e.outcome_next) as picked_with_outcome
  from picked k
  join eligible e on e.school_id = k.school_id and e.week_start = k.week_start and e.student_id = k.student_id
  group by all
),
counted as (
  select w.school_id, w.academic_year, w.week_start, p.period, r.rule, r.rule_order, w.on_roll, w.with_outcome,
    coalesce(k.picked, 0) as picked, coalesce(k.picked_with_outcome, 0) as picked_with_outcome
  from week_counts w
  cross join rules r
  join periods p using (school_id, week_start)
  left join picked_counts k on k.school_id = w.school_id and k.week_start = w.week_start and k.rule = r.rule
),
final as (
  select school_id, academic_year, week_start, period, rule, rule_order::INTEGER as rule_order,
    on_roll::INTEGER as pupils_on_roll,
    with_outcome::INTEGER as pupils_with_outcome,
    picked::INTEGER as picked,
    picked_with_outcome::INTEGER as picked_with_outcome,
    round(100.0 * with_outcome / on_roll, 2) as base_rate_pct,
    round(100.0 * picked_with_outcome / nullif(picked, 0), 2) as hit_rate_pct,
    round(100.0 * picked_with_outcome / nullif(with_outcome, 0), 2) as recall_pct,
    round((picked_with_outcome / nullif(picked, 0)) / nullif(with_outcome / on_roll, 0), 2) as lift
  from counted
)
select * from final
