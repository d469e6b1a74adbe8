-- incremental: school
-- incremental weeks: by date
with source as (
  select * from raw.detentions
),
cleaned as (
  select school_id, detention_id, student_id, date, coalesce(lower(type), 'unspecified') as type, minutes, reason,
    issued_by, event_id, status
  from source
)
select * from cleaned
