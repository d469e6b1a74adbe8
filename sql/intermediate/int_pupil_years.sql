-- incremental: school_year
-- incremental weeks: compared by changes_from
-- Each pupil's year group in each academic year they were on roll. When the export gives no
-- academic_year, its year_group is the one in the latest academic year of the data (or, for a
-- pupil who left earlier, the year they left) and earlier years count back: pupils move up
-- each September. changes_from: the first day any model's rows can depend on this row, the
-- earlier of the pupil's first day on roll that year and their earliest record dated in it.
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
earliest_records as (
  -- Why changes_from (the compare's week, `-- incremental weeks: compared by`): a weekly refresh
  -- hands this model's readers, from each changed row's week on, what changed here. A pupil who
  -- joins mid-year adds a row, and without a week every pupil-week model of the school was
  -- rebuilt for the whole year (docs/performance.md, "Session 47"). A row's readers have rows
  -- for it (most through int_pupil_roll, its part without the pupil's details) from the pupil's
  -- first week on roll (int_pupil_weeks) or from the week of one of the pupil's records that they
  -- join to the pupil-year by its academic year alone, not by the weeks on roll: behaviour events, BSC placements, detentions, suspensions, interventions
  -- (int_behaviour_events, int_yeargroup_week, mart_detentions, mart_bsc_register,
  -- int_intervention_matches…) and register marks (int_attendance_codes_by_term). Parent
  -- contacts are read with the weeks on roll today; they are counted too, as a model may join
  -- them by year. A model that joins another record kind to int_pupil_years by year alone must
  -- add it here. Records are placed in the year of their date (academic_year_of), as those
  -- models place them; marks by the year of their week (int_attendance_by_pupil_week).
  select school_id, student_id, academic_year_label(year_start) as academic_year, min(first_day) as first_record
  from (
    select school_id, student_id, academic_year_start(date) as year_start, min(date) as first_day from stg_behaviour_dates group by all
    union all
    select school_id, student_id, academic_year_start(date), min(date) from stg_bsc group by all
    union all
    select school_id, student_id, academic_year_start(date), min(date) from stg_detentions group by all
    union all
    select school_id, student_id, academic_year_start(start_date), min(start_date) from stg_suspensions group by all
    union all
    select school_id, student_id, academic_year_start(start_date), min(start_date) from stg_interventions group by all
    union all
    select school_id, student_id, academic_year_start(date), min(date) from stg_contacts group by all
    union all
    select school_id, student_id, academic_year_start_of_label(academic_year), min(week_start) from int_attendance_by_pupil_week group by all
  )
  where year_start is not null
  group by all
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
  select c.* exclude (year_first_day, year_last_day),
    least(greatest(coalesce(c.admission_date, c.year_first_day), c.year_first_day), e.first_record) as changes_from
  from combined c
  left join earliest_records e using (school_id, student_id, academic_year)
  where c.year_group between 7 and 13
    and coalesce(c.admission_date, DATE '1900-01-01') <= c.year_last_day
    and coalesce(c.leaving_date, DATE '9999-12-31') >= c.year_first_day
)
select * from final
