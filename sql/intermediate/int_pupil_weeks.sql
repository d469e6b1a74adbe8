-- incremental: school_year
-- incremental weeks: by week_start; same week of int_school_weeks
-- materialised: view (4.4M pupil-weeks at the trust scale: storing them took 2.7 s, while
-- the join itself, of the pupil-years to their school's weeks, costs its readers almost nothing)
-- Pupils on roll in each school week: admitted by the week's last school day and not left
-- before its first. A pupil who joins or leaves mid-week counts in that week.
-- The week's days, index and shape (from int_school_weeks, already joined here) are carried, so
-- that its readers need not join the school weeks again by their three keys (two of them text)
-- for every one of the trust's 4.4M pupil-weeks.
with weeks as (
  select * from int_school_weeks
),
pupils as (
  select * from int_pupil_roll
),
final as (
  select
    p.school_id,
    p.academic_year,
    w.week_start,
    w.week_number,
    w.term,
    w.half_term,
    p.student_id,
    p.year_group,
    p.form,
    w.first_day,
    w.last_day,
    w.week_index,
    w.school_days,
    w.is_partial,
    w.data_ends_in_week
  from pupils p
  join weeks w
    on w.school_id = p.school_id
   and w.academic_year = p.academic_year
   and coalesce(p.admitted_in_year, DATE '1900-01-01') <= w.last_day
   and coalesce(p.left_in_year, DATE '9999-12-31') >= w.first_day
)
select * from final
