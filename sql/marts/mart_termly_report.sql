-- incremental: school_year; previous year of mart_termly_counts, mart_termly_terms
-- The termly report for SLT and governors, safe to share: aggregate figures only (no pupil
-- ids, names or free text), with small numbers suppressed HERE, so that no unsuppressed small
-- number ever reaches a page, a data file or a PDF. One row per figure of mart_termly_counts.
-- Suppression (threshold = settings.small_count_threshold, 5):
--   1. primary: a figure whose count, group size (pupils), or "rest of pupils" count or size is
--      below the threshold (zero included) is suppressed: count, value, rest value, risk
--      ratio and change are all NULL and suppressed = true;
--   2. secondary: in a suppression_group (figures adding up to a total shown elsewhere: year
--      groups, SEN types, genders, reasons, the weeks of a year group), when one figure alone
--      is suppressed, or the suppressed counts add up to less than the threshold, the smallest
--      remaining figure is suppressed as well, so the hidden ones cannot be got back by
--      subtraction from the total; and when a year group's term figure of negative events is
--      hidden while none of its weeks is, its smallest week is hidden (the weeks add up to it);
--   3. over time: a year-to-date figure is suppressed when the same figure was suppressed (or
--      absent, i.e. zero) in any term of the year so far, so the terms cannot be got back by
--      subtracting one year-to-date figure from the next.
-- suppression says why ('fewer than 5', 'secondary', 'earlier term suppressed'): pages show
-- "<5" for the first and "suppressed" for the others (a hidden figure may be 5 or more).
-- value = scale × (amount, else count) ÷ base, rounded to 1 decimal (no base: the amount or
-- count). Risk ratio = group rate ÷ rest rate (2 decimals). Previous term: the same figure in
-- the school's previous term (term_index − 1), change = value − previous value. National:
-- the latest year of the benchmark in ref_national_benchmarks for a whole year, with its source;
-- national_term_*: the latest figure for that term alone, where DfE publishes one (persistent
-- absence in the autumn term), beside a term's figures.
-- Updated by (school, academic year): a year's rows read its counts and terms and, for the
-- previous term of its first term, the year before's (term_index runs across years).
with counts as (
  select * from mart_termly_counts
),
threshold as (
  select small_count_threshold as t from settings
),
primary_flagged as (
  select c.*,
    c.count is null or c.count < t
      or coalesce(c.pupils < t, false)
      or coalesce(c.rest_count < t, false)
      or coalesce(c.rest_pupils < t, false) as primary_suppressed,
    t
  from counts c cross join threshold
),
group_stats as (
  select p.*,
    count(*) filter (where primary_suppressed) over w_group as suppressed_in_group,
    coalesce(sum(count) filter (where primary_suppressed) over w_group, 0) as suppressed_count_in_group,
    row_number() over (
      partition by school_id, academic_year, term, period, section, measure, suppression_group, primary_suppressed
      order by count, label_order, label, week_start
    ) as rank_among_same
  from primary_flagged p
  window w_group as (partition by school_id, academic_year, term, period, section, measure, suppression_group)
),
flagged_in_group as (
  select g.*,
    not g.primary_suppressed and g.suppression_group is not null and g.rank_among_same = 1
      and (g.suppressed_in_group = 1 or (g.suppressed_in_group > 1 and g.suppressed_count_in_group < g.t))
      as secondary_suppressed
  from group_stats g
),
weeks_total as (
  -- The weeks of a year group add up to its term figure (negative events), itself a member of
  -- the year groups' suppression group: when that figure is hidden and none of its weeks is,
  -- the weeks would give it back (and with it, by subtraction from the school, the year group
  -- it was hidden to protect). Then the smallest week is hidden too.
  select school_id, academic_year, term, period, 'weeks of ' || label as suppression_group,
    primary_suppressed or secondary_suppressed as total_hidden
  from flagged_in_group
  where breakdown = 'year_group' and measure = 'negative_per_100_per_week' and week_start is null
),
flagged as (
  select f.* replace (
    f.secondary_suppressed
      or (coalesce(w.total_hidden, false) and f.week_start is not null and not f.primary_suppressed
          and f.suppressed_in_group = 0 and f.rank_among_same = 1) as secondary_suppressed)
  from flagged_in_group f
  left join weeks_total w using (school_id, academic_year, term, period, suppression_group)
),
terms as (
  select * from mart_termly_terms
),
with_terms as (
  select f.*, f.primary_suppressed or f.secondary_suppressed as suppressed_alone,
    t.term_label, t.term_index, t.term_in_year, t.first_day as term_first_day, t.last_day as term_last_day,
    t.school_weeks as term_school_weeks
  from flagged f
  join terms t using (school_id, academic_year, term)
),
year_to_date_checked as (
  -- How many terms of the year so far show this figure for the term alone.
  select y.school_id, y.academic_year, y.term, y.section, y.measure, y.breakdown, y.label,
    count(*) filter (where not s.suppressed_alone) as terms_shown
  from with_terms y
  left join with_terms s
    on s.period = 'term' and s.school_id = y.school_id and s.academic_year = y.academic_year
   and s.term_in_year <= y.term_in_year and s.section = y.section and s.measure = y.measure
   and s.breakdown = y.breakdown and s.label = y.label and s.week_start is null
  where y.period = 'year_to_date'
  group by all
),
all_flags as (
  select w.*,
    w.suppressed_alone
      or (w.period = 'year_to_date' and coalesce(y.terms_shown, 0) < w.term_in_year) as suppressed
  from with_terms w
  -- A condition on the left row alone (w.period = 'year_to_date') inside a left join's keys
  -- turns DuckDB's hash join into a nested loop (23 s at the trust scale): the key is null
  -- instead where the condition fails, which matches nothing, the same as the condition.
  left join year_to_date_checked y
    on y.school_id = case when w.period = 'year_to_date' then w.school_id end and y.academic_year = w.academic_year
   and y.term = w.term and y.section = w.section and y.measure = w.measure and y.breakdown = w.breakdown
   and y.label = w.label
),
shown as (
  select f.school_id, f.academic_year, f.term, f.term_label, f.term_index, f.term_first_day, f.term_last_day,
    f.term_school_weeks, f.period, f.section, f.measure, f.measure_order, f.breakdown, f.label,
    f.label_order, f.week_start, f.unit, f.benchmark, f.suppressed,
    case when not f.suppressed then null
         when f.primary_suppressed then 'fewer than ' || f.t
         when f.secondary_suppressed then 'secondary'
         else 'earlier term suppressed' end as suppression,
    case when not f.suppressed then f.count end as count,
    case when not f.suppressed then
      round(case when f.base is null then coalesce(f.amount, f.count)
                 else f.scale * coalesce(f.amount, f.count) / nullif(f.base, 0) end, 1) end as value,
    case when not f.suppressed and f.rest_count is not null then
      round(f.scale * f.rest_count / nullif(f.rest_base, 0), 1) end as rest_value,
    case when not f.suppressed and f.rest_count is not null and f.measure <> 'pupils_on_roll' then
      round((f.count / nullif(f.base, 0)) / nullif(f.rest_count / nullif(f.rest_base, 0), 0), 2) end as risk_ratio
  from all_flags f
),
national as (
  select measure as benchmark, arg_max(value, academic_year) as national_value,
    max(academic_year) as national_year, arg_max(source, academic_year) as national_source,
    arg_max(unit, academic_year) as national_unit
  from ref_national_benchmarks
  where term is null
  group by all
),
national_term as (
  select measure as benchmark, term, arg_max(value, academic_year) as national_term_value,
    max(academic_year) as national_term_year, arg_max(source, academic_year) as national_term_source
  from ref_national_benchmarks
  where term is not null
  group by all
),
final as (
  select c.school_id, c.academic_year, c.term, c.term_label, c.term_index, c.term_first_day, c.term_last_day,
    c.term_school_weeks, c.period, c.section, c.measure, c.measure_order, c.breakdown, c.label, c.label_order,
    c.week_start, c.unit, c.count, c.value, c.rest_value, c.risk_ratio, c.suppressed, c.suppression,
    pt.term_label as previous_term_label,
    p.value as previous_value,
    p.count as previous_count,
    p.suppressed as previous_suppressed,
    p.suppression as previous_suppression,
    round(c.value - p.value, 1) as change,
    n.national_value, n.national_year, n.national_source, n.national_unit,
    nt.national_term_value, nt.national_term_year, nt.national_term_source
  from shown c
  -- The previous term's figure, for a term's figures other than the weekly ones; conditions on
  -- c alone are put in the key (null where they fail: no match), so each join stays a hash join.
  left join shown p
    on p.school_id = case when c.period = 'term' and c.week_start is null then c.school_id end
   and p.term_index = c.term_index - 1 and p.period = c.period
   and p.section = c.section and p.measure = c.measure and p.breakdown = c.breakdown and p.label = c.label
   and p.week_start is null
  left join terms pt on pt.school_id = case when c.period = 'term' then c.school_id end and pt.term_index = c.term_index - 1
  left join national n on n.benchmark = c.benchmark
  left join national_term nt on nt.benchmark = case when c.period = 'term' then c.benchmark end and nt.term = c.term
)
select * from final
