-- Does the watchlist pick the right pupils? For each past school week with 6 school weeks of
-- data after it: of the top 20 ranked pupils, how many had a repeat BSC placement or a
-- suspension in the next settings.watchlist_horizon_weeks school weeks, against the base rate
-- among all pupils on roll that week. lift = hit rate ÷ base rate.
with horizon as (
  select watchlist_horizon_weeks as h from settings
),
pw as (
  select school_id, student_id, week_index, week_start, academic_year,
    suspensions_started > 0 as suspended
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
  select o.school_id, o.student_id, o.week_index, o.week_start, o.academic_year,
    coalesce(max(o.bad_outcome::INTEGER) over (
      partition by o.school_id, o.student_id order by o.week_index range between 1 following and (select h from horizon) following
    ), 0) = 1 as outcome_next
  from outcomes o
),
last_week as (
  select school_id, max(week_index) as last_index from pw group by school_id
),
eligible as (
  select f.* from future f join last_week l using (school_id)
  where f.week_index <= l.last_index - (select h from horizon)
),
top_ranked as (
  select w.school_id, w.as_of_week as week_start, w.student_id from mart_watchlist w where w.rank <= 20
),
final as (
  select e.school_id, e.academic_year, e.week_start,
    count(*)::INTEGER as pupils_on_roll,
    count(*) filter (where e.outcome_next)::INTEGER as pupils_with_outcome,
    count(t.student_id)::INTEGER as top_ranked,
    count(t.student_id) filter (where e.outcome_next)::INTEGER as top_ranked_with_outcome,
    round(100.0 * count(*) filter (where e.outcome_next) / count(*), 2) as base_rate_pct,
    round(100.0 * count(t.student_id) filter (where e.outcome_next) / nullif(count(t.student_id), 0), 2) as hit_rate_pct,
    round((count(t.student_id) filter (where e.outcome_next) / nullif(count(t.student_id), 0))
      / nullif(count(*) filter (where e.outcome_next) / count(*), 0), 2) as lift
  from eligible e
  left join top_ranked t using (school_id, week_start, student_id)
  group by all
)
select * from final
