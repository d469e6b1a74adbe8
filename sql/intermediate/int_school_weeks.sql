-- incremental: school
-- incremental weeks: compared by week_start
-- School weeks (Monday start) with their number within the academic year, so "the same week
-- last year" is week N of the previous year. is_partial: fewer than five school days in the
-- week (the data ends part-way through it, or the school was closed some days: a bank holiday,
-- INSET, the end of term). data_ends_in_week: the data stops inside the week: it holds the
-- school's last school day in the data, that day is before Friday, and calendar.csv does not
-- end a term or half-term on it (then the school closed, and the data did not stop short).
-- week_index: the school week's running number per school across academic years (1 = the
-- school's first week with school days), so "N school weeks before / after" skips holidays.
-- Computed here once; every model that counts school weeks across years reads it.
with days as (
  select * from int_school_days
),
data_end as (
  select school_id, max(date) as last_school_day from days group by school_id
),
term_ends as (
  select distinct school_id, end_date from stg_calendar
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
    w.*,
    (w.week_start + INTERVAL 6 DAY)::DATE as week_end,
    dense_rank() over (partition by w.school_id, w.academic_year order by w.week_start)::INTEGER as week_number,
    dense_rank() over (partition by w.school_id order by w.week_start)::INTEGER as week_index,
    w.school_days < 5 as is_partial,
    coalesce(w.last_day = e.last_school_day and isodow(e.last_school_day) < 5 and t.end_date is null, false) as data_ends_in_week
  from weeks w
  left join data_end e on e.school_id = w.school_id
  left join term_ends t on t.school_id = w.school_id and t.end_date = w.last_day
)
select * from final
