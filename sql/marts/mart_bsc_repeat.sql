-- BSC use and repeat referrals per school, academic year, term and year group, with rows for
-- the whole year (term = 'All') and all year groups (year_group = 0); a placement whose pupil
-- has no year group that year is under year_group = -1. Repeat rate = pupils
-- placed in the period who were referred again within the window ÷ pupils placed.
with referrals as (
  select * from mart_bsc_referrals
),
grouped as (
  select
    school_id, academic_year,
    -- GROUPING() tells the "all" rows apart from a genuinely missing term or year group.
    case when grouping(term) = 1 then 'All' else coalesce(term, 'Unknown') end as term,
    case when grouping(year_group) = 1 then 0 else coalesce(year_group, -1) end as year_group,
    count(*)::INTEGER as placements,
    count(distinct student_id)::INTEGER as pupils_placed,
    count(distinct student_id) filter (where referred_again_within_window)::INTEGER as pupils_referred_again,
    count(*) filter (where is_repeat)::INTEGER as repeat_placements,
    median(school_days_to_next) filter (where school_days_to_next is not null) as median_school_days_to_rereferral,
    count(*) filter (where booklet = 'completed')::INTEGER as booklet_completed,
    count(*) filter (where booklet = 'partial')::INTEGER as booklet_partial,
    count(*) filter (where booklet = 'not completed')::INTEGER as booklet_not_completed,
    count(*) filter (where conduct = 'good')::INTEGER as conduct_good,
    count(*) filter (where conduct = 'satisfactory')::INTEGER as conduct_satisfactory,
    count(*) filter (where conduct = 'poor')::INTEGER as conduct_poor,
    count(*) filter (where outcome = 'completed')::INTEGER as outcome_completed,
    count(*) filter (where outcome = 'extended')::INTEGER as outcome_extended,
    count(*) filter (where outcome = 'escalated')::INTEGER as outcome_escalated,
    count(*) filter (where outcome = 'sent home')::INTEGER as outcome_sent_home,
    count(*) filter (where outcome = 'suspended')::INTEGER as outcome_suspended,
    count(*) filter (where followed_by_parent_contact)::INTEGER as followed_by_parent_contact,
    count(*) filter (where followed_by_reintegration)::INTEGER as followed_by_reintegration
  from referrals
  group by grouping sets (
    (school_id, academic_year, term, year_group),
    (school_id, academic_year, term),
    (school_id, academic_year, year_group),
    (school_id, academic_year)
  )
),
final as (
  select g.*,
    round(100.0 * pupils_referred_again / nullif(pupils_placed, 0), 1) as repeat_rate_pct,
    round(100.0 * booklet_completed / nullif(booklet_completed + booklet_partial + booklet_not_completed, 0), 1) as booklet_completed_pct,
    round(100.0 * followed_by_parent_contact / nullif(placements, 0), 1) as parent_contact_pct,
    round(100.0 * followed_by_reintegration / nullif(placements, 0), 1) as reintegration_pct,
    s.repeat_referral_window_days
  from grouped g cross join settings s
)
select * from final
