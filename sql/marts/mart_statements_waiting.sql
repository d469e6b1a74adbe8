-- incremental: school_year by academic_year_of(list_date); previous year of int_pupil_names
-- incremental weeks: by list_date; same week of int_school_days; 10 weeks back of int_statement_incidents
-- Incidents still waiting for a statement, as the Pastoral Support Officer's list for each
-- school day (list_date, staff page: names): incidents that need a statement
-- (int_statement_incidents) from the last 10 school days up to and including that day, with no
-- statement taken by the end of it. A statement with no time (marked on the BSC placement)
-- counts as taken. school_days_waiting: 0 = today's incident.
-- A day's list reads incidents dated after the school day 10 school days before it (an incident
-- on a weekend or in a holiday takes the next school day's number): at most 10 school weeks
-- back, which in September reach the summer term before (its pupils' year groups too).
with incidents as (
  select * from int_statement_incidents
),
days as (
  select school_id, date as list_date, school_day_number from int_school_days
),
on_lists as (
  -- An incident is on the lists of its own school day and the 9 after it: joined to those 10
  -- days by number (an equality join), not to every school day of its school with a range test.
  select i.*, i.incident_school_day + unnest(range(10)) as list_day_number
  from incidents i
),
waiting as (
  select d.list_date, d.school_day_number - i.incident_school_day as school_days_waiting, i.* exclude (list_day_number)
  from on_lists i
  join days d on d.school_id = i.school_id and d.school_day_number = i.list_day_number
  where not (coalesce(i.statement_taken_at::DATE <= d.list_date, false)
             or (i.statement_taken and i.statement_taken_at is null))
),
final as (
  select w.school_id, w.list_date, w.event_id, w.date, left(w.time::VARCHAR, 5) as time, w.student_id,
    p.first_name, p.last_name, w.year_group, p.form,
    w.category, w.severity, w.why_statement, w.location, w.staff,
    w.school_days_waiting::INTEGER as school_days_waiting
  from waiting w
  left join int_pupil_names p on p.school_id = w.school_id and p.student_id = w.student_id and p.academic_year = w.academic_year
)
select * from final
