-- incremental: school
-- A school's own day (periods.csv): period names spelt as in behaviour (period_label), the day
-- as an ISO weekday (NULL = every day).
with source as (
  select * from raw.periods
),
cleaned as (
  select
    school_id,
    weekday_number(nullif(day, ''))::INTEGER as weekday,
    period_label(period) as period,
    start_time,
    end_time
  from source
)
select * from cleaned
