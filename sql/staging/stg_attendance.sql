-- incremental: school_year by academic_year_of(date)
-- incremental weeks: by date
-- materialised: view (3.8M marks at the large-school scale: a stored copy cost more than the
-- two models that read it spend reading raw.attendance through the view)
-- One register mark per pupil per session.
with source as (
  select * from raw.attendance
),
cleaned as (
  select school_id, student_id, date, session, code, coalesce(minutes_late, 0) as minutes_late
  from source
)
select * from cleaned
