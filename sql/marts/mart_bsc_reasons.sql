-- BSC placements by reason per school, academic year, term and year group (term 'All' and
-- year_group 0 are the totals, year_group -1 no year group, as mart_bsc_repeat), split into
-- first placements and repeat referrals: the BSC page's "Why" chart. A blank reason is
-- 'Not recorded'. When a period has more than 12 reasons, the 11 with most placements are kept
-- and the rest are added up in one row 'Other reasons (N)' (N = how many), so the rows always
-- account for every placement. Ties are ordered by the reason's first placement (date, id).
-- Two versions (`audience`): 'staff', every reason as typed; 'trust', where a reason given
-- for fewer than 5 of the school's placements (all years) is 'Other' (typed text that could
-- say who it was about), as the trust build's bsc-placements.
with referrals as (
  select *,
    count(*) over (partition by school_id, reason) as school_reason_placements
  from mart_bsc_referrals
),
labelled as (
  select school_id, academic_year, term, year_group, is_repeat, strftime(date, '%Y-%m-%d') || ' ' || referral_id as placed_order,
    audience,
    case
      when reason is null then 'Not recorded'
      when audience = 'trust' and school_reason_placements < 5 then 'Other'
      else reason
    end as reason
  from referrals cross join (values ('staff'), ('trust')) as a(audience)
),
per_reason as (
  select audience, school_id, academic_year,
    case when grouping(term) = 1 then 'All' else coalesce(term, 'Unknown') end as term,
    case when grouping(year_group) = 1 then 0 else coalesce(year_group, -1) end as year_group,
    reason,
    count(*)::INTEGER as placements,
    count(*) filter (where not is_repeat)::INTEGER as first_placements,
    count(*) filter (where is_repeat)::INTEGER as repeat_placements,
    min(placed_order) as first_placed
  from labelled
  group by grouping sets (
    (audience, school_id, academic_year, term, year_group, reason),
    (audience, school_id, academic_year, term, reason),
    (audience, school_id, academic_year, year_group, reason),
    (audience, school_id, academic_year, reason)
  )
),
ranked as (
  select *,
    row_number() over (partition by audience, school_id, academic_year, term, year_group order by placements desc, first_placed) as reason_rank,
    count(*) over (partition by audience, school_id, academic_year, term, year_group) as reasons
  from per_reason
),
bucketed as (
  select *,
    reasons > 12 and reason_rank >= 12 as folded
  from ranked
),
final as (
  select audience, school_id, academic_year, term, year_group,
    case when folded then 'Other reasons (' || (reasons - 11) || ')' else reason end as reason,
    (case when folded then 12 else reason_rank end)::INTEGER as reason_order,
    sum(placements)::INTEGER as placements,
    sum(first_placements)::INTEGER as first_placements,
    sum(repeat_placements)::INTEGER as repeat_placements
  from bucketed
  group by all
)
select * from final
