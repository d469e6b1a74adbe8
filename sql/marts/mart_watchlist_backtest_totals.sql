-- incremental: school
-- The watchlist backtest (mart_watchlist_backtest) summed over the school weeks of each period,
-- per school, period ('fitting', 'between', 'test') and rule (the watchlist and the two naive
-- rules), over every academic year of the school: the figures the watchlist page's verdict,
-- cards and table show. weeks: the weeks summed; pupils_on_roll, pupils_with_outcome, picked,
-- picked_with_outcome: summed over those weeks (pupil-weeks: a pupil counts once per week).
-- hit_rate_pct = picked_with_outcome ÷ picked × 100; recall_pct = picked_with_outcome ÷
-- pupils_with_outcome × 100; base_rate_pct = pupils_with_outcome ÷ pupils_on_roll × 100;
-- lift = hit_rate_pct ÷ base_rate_pct. Each null where its divisor is 0. Not rounded here (the
-- page rounds them for display), and never an average of the weeks' own rates.
with weeks as (
  select * from mart_watchlist_backtest
),
summed as (
  select school_id, period, rule, rule_order,
    count(*)::INTEGER as weeks,
    sum(pupils_on_roll)::INTEGER as pupils_on_roll,
    sum(pupils_with_outcome)::INTEGER as pupils_with_outcome,
    sum(picked)::INTEGER as picked,
    sum(picked_with_outcome)::INTEGER as picked_with_outcome
  from weeks
  group by school_id, period, rule, rule_order
),
rates as (
  select *,
    100::DOUBLE * picked_with_outcome / nullif(picked, 0) as hit_rate_pct,
    100::DOUBLE * picked_with_outcome / nullif(pupils_with_outcome, 0) as recall_pct,
    100::DOUBLE * pupils_with_outcome / nullif(pupils_on_roll, 0) as base_rate_pct
  from summed
),
final as (
  select *, hit_rate_pct / nullif(base_rate_pct, 0) as lift
  from rates
)
select * from final
