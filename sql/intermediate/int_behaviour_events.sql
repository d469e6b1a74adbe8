-- incremental: school_year; all years of int_school_weeks
-- incremental weeks: by date; same week of stg_behaviour, int_school_weeks
-- Behaviour events placed in the pupil's year group, school week and term. A date's academic
-- year, school week and term are worked out once per school and date (a few hundred a year),
-- not for each event (3.6M at the trust scale): academic_year_of builds a string, and the
-- default term's Easter a subquery.
with dates as (
  select d.school_id, d.date,
    academic_year_of(d.date) as academic_year,
    school_week_start(d.date) as week_start,
    coalesce(w.term, default_term(d.date)) as term
  from (select distinct school_id, date from stg_behaviour) d
  -- By academic year too: a week spanning 31 August and 1 September with school days on both
  -- sides has a row in each year (int_school_weeks), and the event belongs to its date's.
  left join int_school_weeks w
    on w.school_id = d.school_id and w.academic_year = academic_year_of(d.date) and w.week_start = school_week_start(d.date)
),
final as (
  select
    e.*,
    p.year_group,
    d.academic_year,
    d.week_start,
    d.term
  from stg_behaviour e
  left join dates d using (school_id, date)
  left join int_pupil_roll p
    on p.school_id = e.school_id and p.student_id = e.student_id and p.academic_year = d.academic_year
)
select * from final
