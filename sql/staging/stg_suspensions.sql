-- incremental: school
-- incremental weeks: by start_date
-- Suspensions: length in sessions (half-days); days are converted at two sessions a day.
with source as (
  select * from raw.suspensions
),
cleaned as (
  select
    school_id,
    suspension_id,
    student_id,
    start_date,
    coalesce(sessions, days * 2) as sessions,
    coalesce(sessions, days * 2) / 2.0 as days,
    case when type like 'permanent%' then 'permanent' else 'suspension' end as type,
    upper(trim(reason)) as reason
  from source
)
select * from cleaned
