-- Pupils placed in the BSC two or more times, per school, academic year, term and year group
-- (term 'All' and year_group 0 are the totals, year_group -1 no year group, as mart_bsc_repeat;
-- a pupil is in the year group of each placement): the BSC page's "placed more than once" table.
-- placements and repeats (placements within the repeat window of the one before) in the period;
-- gaps: school days since the previous placement for each of them, in date order, even when the
-- previous one fell before the period (so the gaps match the repeats); first and last placement
-- dates; the latest placement's year group, form and reason (last_reason_trust: 'Other' when
-- fewer than 5 of the school's placements give that reason, for the trust build).
-- pupil_order: most placements first, then most repeats, then the latest placed most recently,
-- then the pupil placed first. pupils_listed: how many pupils the period's list has.
with referrals as (
  -- placed_order numbers the school's placements by date, then referral id (NULL with no date),
  -- so the latest placement's fields are picked by a whole number, not a text key.
  select *,
    count(*) over (partition by school_id, reason) as school_reason_placements,
    case when date is not null then row_number() over (partition by school_id order by date, referral_id) end as placed_order
  from mart_bsc_referrals
),
in_periods as (
  select r.*,
    case when g.all_terms then 'All' else coalesce(r.term, 'Unknown') end as period_term,
    case when g.all_year_groups then 0 else coalesce(r.year_group, -1) end as period_year_group
  from referrals r
  cross join (values (false, false), (true, false), (false, true), (true, true)) as g(all_terms, all_year_groups)
),
per_pupil as (
  select school_id, academic_year, period_term as term, period_year_group as year_group, student_id,
    count(*)::INTEGER as placements,
    count(*) filter (where is_repeat)::INTEGER as repeats,
    -- The gaps listed unordered as (placed_order, gap) pairs, then sorted: an ordered aggregate
    -- (`list(… order by placed_order)`) took three quarters of the model's time for the same
    -- lists (docs/performance.md, "Session 47").
    list_transform(list_sort(list({'o': placed_order, 'g': school_days_since_previous}) filter (where school_days_since_previous is not null)), x -> x.g) as gaps,
    min(date) as first_date,
    max(date) as last_date,
    arg_max_null(year_group, placed_order) as last_year_group,
    arg_max_null(form, placed_order) as last_form,
    arg_max_null(reason, placed_order) as last_reason,
    arg_max_null(case when reason is not null and school_reason_placements < 5 then 'Other' else reason end, placed_order) as last_reason_trust,
    min(placed_order) as first_placed
  from in_periods
  group by all
  having count(*) > 1
),
final as (
  select school_id, academic_year, term, year_group, student_id, placements, repeats,
    coalesce(gaps, []::INTEGER[]) as gaps, first_date, last_date, last_year_group, last_form, last_reason, last_reason_trust,
    row_number() over (partition by school_id, academic_year, term, year_group
      order by placements desc, repeats desc, last_date desc, first_placed)::INTEGER as pupil_order,
    count(*) over (partition by school_id, academic_year, term, year_group)::INTEGER as pupils_listed
  from per_pupil
)
select * from final
