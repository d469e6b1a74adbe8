-- incremental: school
-- incremental weeks: by start_date
with source as (
  select * from raw.interventions
),
cleaned as (
  select school_id, intervention_id, student_id, type, start_date, end_date, review_date,
    coalesce(focus, 'other') as focus, staff, coalesce(status, 'active') as status, group_id,
    sessions_planned, sessions_attended, outcome
  from source
)
select * from cleaned
