-- incremental: school_year; all years of int_school_weeks
-- The terms a termly report can be about: one row per school, academic year and term that has
-- school days, in calendar order. term_index counts the school's terms across academic years
-- (so "the previous term" of Autumn is the Summer before); term_in_year counts within the year
-- (year to date = terms 1..term_in_year). first_day / last_day are the term's first and last
-- school days. Read by mart_termly_counts, mart_termly_report and mart_termly_intervention_impact.
with weeks as (
  select * from int_school_weeks
),
terms as (
  select school_id, academic_year, term,
    min(first_day) as first_day,
    max(last_day) as last_day,
    count(*)::INTEGER as school_weeks,
    sum(school_days)::INTEGER as school_days
  from weeks
  group by all
),
final as (
  select t.*,
    t.term || ' ' || t.academic_year as term_label,
    row_number() over (partition by school_id order by first_day)::INTEGER as term_index,
    row_number() over (partition by school_id, academic_year order by first_day)::INTEGER as term_in_year
  from terms t
)
select * from final
