-- incremental: school_year
-- incremental weeks: compared by changes_from; left_in_year by its own week
-- Each pupil's year group, form and days on roll in each academic year they were on roll: the
-- part of int_pupil_years that the pupil-week models, and the models that give a record its
-- pupil's year group, read. The pupil's other details (names, SEN, disadvantage, EAL…) are left
-- out: they are the pupil's as exported now, on the rows of every year, so a change to one (a SEN
-- status recorded) changes that pupil's rows of every year in int_pupil_years, but none here,
-- and a weekly refresh leaves the pupil-week models alone (docs/performance.md, "Session 48").
-- admitted_in_year / left_in_year: the admission and leaving dates when they fall in this
-- academic year, NULL when the pupil was admitted before it, left after it or has not left; so
-- a date set or corrected in another year leaves this year's row as it was.
-- left_in_year is compared by its own week: a pupil who leaves (or whose leaving date is
-- corrected) changes the weeks on roll from the week of the earlier date on, and that is all
-- its readers take from it (int_pupil_weeks). changes_from: as int_pupil_years.
with pupil_years as (
  select * from int_pupil_years
),
final as (
  select school_id, student_id, academic_year, year_group, form,
    case when academic_year_of(admission_date) = academic_year then admission_date end as admitted_in_year,
    case when academic_year_of(leaving_date) = academic_year then leaving_date end as left_in_year,
    changes_from
  from pupil_years
)
select * from final
