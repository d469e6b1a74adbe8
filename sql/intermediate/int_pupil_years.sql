-- incremental: school_year
-- incremental weeks: compared
-- Each pupil's year group in each academic year they were on roll. When the export gives no
-- academic_year, its year_group is the one in the latest academic year of the data (or, for a
-- pupil who left earlier, the year they left) and earlier years count back: pupils move up
-- each September.
with students as (
  select * from stg_students
),
years as (
  select school_id, academic_year, min(date) as year_first_day, max(date) as year_last_day
  from int_school_days
  group by school_id, academic_year
),
latest as (
  select school_id, max(academic_year) as latest_year from years group by school_id
),
explicit_years as (
  select s.*, y.year_first_day, y.year_last_day
  from students s
  join years y using (school_id, academic_year)
  where s.academic_year is not null
),
derived_years as (
  select
    s.* exclude (academic_year, year_group),
    y.academic_year,
    s.year_group - (
      academic_year_start_of_label(
        case when s.leaving_date is not null and academic_year_of(s.leaving_date) < l.latest_year
             then academic_year_of(s.leaving_date) else l.latest_year end
      ) - academic_year_start_of_label(y.academic_year)
    ) as year_group,
    y.year_first_day,
    y.year_last_day
  from students s
  join years y using (school_id)
  join latest l using (school_id)
  where s.academic_year is null
),
combined as (
  select school_id, student_id, academic_year, year_group, upn, first_name, last_name, form, house, gender,
    date_of_birth, sen, disadvantaged, pupil_premium, fsm, eal, ethnicity, looked_after, admission_date,
    leaving_date, year_first_day, year_last_day
  from explicit_years
  union all
  select school_id, student_id, academic_year, year_group, upn, first_name, last_name, form, house, gender,
    date_of_birth, sen, disadvantaged, pupil_premium, fsm, eal, ethnicity, looked_after, admission_date,
    leaving_date, year_first_day, year_last_day
  from derived_years
),
final as (
  select * exclude (year_first_day, year_last_day)
  from combined
  where year_group between 7 and 13
    and coalesce(admission_date, DATE '1900-01-01') <= year_last_day
    and coalesce(leaving_date, DATE '9999-12-31') >= year_first_day
)
select * from final
