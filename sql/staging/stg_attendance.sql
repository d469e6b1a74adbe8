-- One register mark per pupil per session.
with source as (
  select * from raw.attendance
),
cleaned as (
  select school_id, student_id, date, session, code, coalesce(minutes_late, 0) as minutes_late
  from source
)
select * from cleaned
