-- incremental: school_year; all years of int_pupil_week_indexed; next year of int_pupil_week_indexed, mart_bsc_referrals
-- incremental weeks: by week_start; watchlist_horizon_weeks weeks ahead of int_pupil_week_indexed, int_school_weeks; same week of int_watchlist_signals, mart_watchlist
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
  from mart_bsc_referrals where is_repeat group by all
),
outcomes as (
  select pw.*, coalesce(rb.repeat_placed, false) or pw.suspended as bad_outcome
  from pw left join repeat_bsc rb using (school_id, student_id, week_start)
),
future as (
  -- For each pupil-week: any bad outcome in the next h school weeks.
  select o.school_id, o.student_id, o.week_index, o.week_start,
    coalesce(max(o.bad_outcome::INTEGER) over (
      partition by o.school_id, o.student_id order by o.week_index range between 1 following and (select h from settings_now) following
    ), 0) = 1 as outcome_next
  from outcomes o
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
  select f.*, s.academic_year, s.negative_last_6_weeks, s.bsc_this_year
  from future f
  join last_week l using (school_id)
  join signals s using (school_id, student_id, week_index)
  where f.week_index <= l.last_index - (select h from settings_now)
),
picked as (
  select school_id, as_of_week as week_start, student_id, 'watchlist' as rule
  from mart_watchlist where rank <= (select n from settings_now)
  union all
  select school_id, week_start, student_id, 'recent_negatives' from (
    select *, row_number() over (partition by school_id, week_start order by negative_last_6_weeks desc, bsc_this_year desc, student_id) as pick
    from eligible where negative_last_6_weeks > 0
  ) where pick <= (select n from settings_now)
  union all
  select school_id, week_start, student_id, 'bsc_this_year' from (
    select *, row_number() over (partition by school_id, week_start order by bsc_this_year desc, negative_last_6_weeks desc, student_id) as pick
    from eligible where bsc_this_year > 0
  ) where pick <= (select n from settings_now)
),
rules as (
  select * from (values ('watchlist', 1), ('recent_negatives', 2), ('bsc_this_year', 3)) as r(rule, rule_order)
),
final as (
  select e.school_id, e.academic_year, e.week_start, p.period, r.rule, r.rule_order::INTEGER as rule_order,
    count(*)::INTEGER as pupils_on_roll,
    count(*) filter (where e.outcome_next)::INTEGER as pupils_with_outcome,
    count(k.student_id)::INTEGER as picked,
    count(k.student_id) filter (where e.outcome_next)::INTEGER as picked_with_outcome,
    round(100.0 * count(*) filter (where e.outcome_next) / count(*), 2) as base_rate_pct,
    round(100.0 * count(k.student_id) filter (where e.outcome_next) / nullif(count(k.student_id), 0), 2) as hit_rate_pct,
    round(100.0 * count(k.student_id) filter (where e.outcome_next) / nullif(count(*) filter (where e.outcome_next), 0), 2) as recall_pct,
    round((count(k.student_id) filter (where e.outcome_next) / nullif(count(k.student_id), 0))
      / nullif(count(*) filter (where e.outcome_next) / count(*), 0), 2) as lift
  from eligible e
  cross join rules r
  join periods p using (school_id, week_start)
  left join picked k on k.school_id = e.school_id and k.week_start = e.week_start and k.student_id = e.student_id and k.rule = r.rule
  group by all
)
select * from final
