-- BSC use and repeat referrals per school, academic year, term and year group, with rows for
-- the whole year (term = 'All') and all year groups (year_group = 0); a placement whose pupil
-- has no year group that year is under year_group = -1. Repeat rate = pupils
-- placed in the period who were referred again within the window ÷ pupils placed.
-- booklet_*, conduct_*, outcome_*: placements with that value (_not_recorded: left blank);
-- *_share_pct: those placements ÷ all placements × 100, to a whole number.
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
    count(*) filter (where booklet is null)::INTEGER as booklet_not_recorded,
    count(*) filter (where conduct = 'good')::INTEGER as conduct_good,
    count(*) filter (where conduct = 'satisfactory')::INTEGER as conduct_satisfactory,
    count(*) filter (where conduct = 'poor')::INTEGER as conduct_poor,
    count(*) filter (where conduct is null)::INTEGER as conduct_not_recorded,
    count(*) filter (where outcome = 'completed')::INTEGER as outcome_completed,
    count(*) filter (where outcome = 'extended')::INTEGER as outcome_extended,
    count(*) filter (where outcome = 'escalated')::INTEGER as outcome_escalated,
    count(*) filter (where outcome = 'sent home')::INTEGER as outcome_sent_home,
    count(*) filter (where outcome = 'suspended')::INTEGER as outcome_suspended,
    count(*) filter (where outcome is null)::INTEGER as outcome_not_recorded,
    count(*) filter (where followed_by_parent_contact)::INTEGER as followed_by_parent_contact,
    count(*) filter (where followed_by_reintegration)::INTEGER as followed_by_reintegration,
    -- the follow-up card: placements with no parent contact or no reintegration meeting
    count(*) filter (where not followed_by_parent_contact or not followed_by_reintegration)::INTEGER as placements_not_followed_up
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
    -- How placements went (the BSC page's three share cards): each recorded value, and
    -- "not recorded", as a whole-number share of all the period's placements.
    round(100.0 * booklet_completed / nullif(placements, 0))::DOUBLE as booklet_completed_share_pct,
    round(100.0 * booklet_partial / nullif(placements, 0))::DOUBLE as booklet_partial_share_pct,
    round(100.0 * booklet_not_completed / nullif(placements, 0))::DOUBLE as booklet_not_completed_share_pct,
    round(100.0 * booklet_not_recorded / nullif(placements, 0))::DOUBLE as booklet_not_recorded_share_pct,
    round(100.0 * conduct_good / nullif(placements, 0))::DOUBLE as conduct_good_share_pct,
    round(100.0 * conduct_satisfactory / nullif(placements, 0))::DOUBLE as conduct_satisfactory_share_pct,
    round(100.0 * conduct_poor / nullif(placements, 0))::DOUBLE as conduct_poor_share_pct,
    round(100.0 * conduct_not_recorded / nullif(placements, 0))::DOUBLE as conduct_not_recorded_share_pct,
    round(100.0 * outcome_completed / nullif(placements, 0))::DOUBLE as outcome_completed_share_pct,
    round(100.0 * outcome_extended / nullif(placements, 0))::DOUBLE as outcome_extended_share_pct,
    round(100.0 * outcome_escalated / nullif(placements, 0))::DOUBLE as outcome_escalated_share_pct,
    round(100.0 * outcome_sent_home / nullif(placements, 0))::DOUBLE as outcome_sent_home_share_pct,
    round(100.0 * outcome_suspended / nullif(placements, 0))::DOUBLE as outcome_suspended_share_pct,
    round(100.0 * outcome_not_recorded / nullif(placements, 0))::DOUBLE as outcome_not_recorded_share_pct,
    s.repeat_referral_window_days
  from grouped g cross join settings s
)
select * from final
