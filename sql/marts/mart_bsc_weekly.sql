-- BSC placements per school, academic year, term, school week (Monday start) and year group
-- (null: the pupil has no year group that year): the BSC page's weekly chart. Weeks with no
-- placements have no row (holidays show as gaps, not zeros). first_placed: the earliest
-- placement of the row ('YYYY-MM-DD id'), so a chart can stack year groups in the order they
-- were first placed.
with referrals as (
  select * from mart_bsc_referrals
),
final as (
  select school_id, academic_year, term, week_start, year_group,
    count(*)::INTEGER as placements,
    min(strftime(date, '%Y-%m-%d') || ' ' || referral_id) as first_placed
  from referrals
  group by all
)
select * from final
