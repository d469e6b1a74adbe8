-- incremental: school
-- incremental weeks: by date
with source as (
  select * from raw.contacts
),
cleaned as (
  select school_id, contact_id, student_id, date::DATE as date, date as contacted_at, lower(method) as method,
    reason, staff, outcome
  from source
)
select * from cleaned
