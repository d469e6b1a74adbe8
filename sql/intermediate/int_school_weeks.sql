-- School weeks (Monday start) with their number within the academic year, so "the same week
-- last year" is week N of the previous year. is_partial: the data ends inside this week, so it
-- holds only some of its school days: the school's last school day in the data falls before
-- Friday, and calendar.csv does not end a term or half-term that day (the school then closed;
-- the week is complete). A short week inside the data (a bank holiday, INSET) is complete.
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
    coalesce(w.last_day = e.last_school_day and isodow(e.last_school_day) < 5 and t.end_date is null, false) as is_partial
  from weeks w
  left join data_end e on e.school_id = w.school_id
  left join term_ends t on t.school_id = w.school_id and t.end_date = w.last_day
)
select * from final
