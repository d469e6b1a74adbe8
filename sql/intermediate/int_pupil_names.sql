-- incremental: school_year
-- incremental weeks: compared by changes_from
-- Each pupil's names, year group and form in each academic year they were on roll: the part of
-- int_pupil_years that the staff lists show beside a pupil (the watchlist, pupils of concern,
-- the BSC register, detention and intervention lists, statements waiting, attendance threshold
-- crossings). A change to a pupil's other details (SEN, disadvantage, a leaving date) changes
-- their rows of every year in int_pupil_years but none here, so those lists are left alone
-- (docs/performance.md, "Session 48"). changes_from: as int_pupil_years.
with pupil_years as (
  select * from int_pupil_years
),
final as (
  select school_id, student_id, academic_year, year_group, form, first_name, last_name, changes_from
  from pupil_years
)
select * from final
