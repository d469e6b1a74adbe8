-- School weeks (Monday start) with their number within the academic year, so "the same week
-- last year" is week N of the previous year.
with days as (
  select * from int_school_days
),
weeks as (
  select
    school_id,
    academic_year,
    week_start,
    min(term) as term,
    min(half_term) as half_term,
    count(*)::INTEGER as school_days,
    min(date) as first_day,
    max(date) as last_day,
    min(school_day_number) as first_school_day_number
  from days
  group by school_id, academic_year, week_start
),
final as (
  select
    *,
    (week_start + INTERVAL 6 DAY)::DATE as week_end,
    dense_rank() over (partition by school_id, academic_year order by week_start)::INTEGER as week_number
  from weeks
)
select * from final
