-- incremental: school_year
-- materialised: view (read once, by int_school_days)
with source as (
  select * from raw.calendar
),
cleaned as (
  select school_id, academic_year, upper(left(term, 1)) || lower(substr(term, 2)) as term, half_term, start_date, end_date
  from source
)
select * from cleaned
