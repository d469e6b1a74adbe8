-- incremental: school_year
-- incremental weeks: by week_start; same week of int_bsc_placements, int_school_weeks
-- BSC placements per school, academic year, term, school week (Monday start) and year group
-- (null: the pupil has no year group that year): the BSC page's weekly chart. Weeks with no
-- placements have no row (holidays show as gaps, not zeros). first_placed: the earliest
-- placement of the row ('YYYY-MM-DD id'), so a chart can stack year groups in the order they
-- were first placed. The term and year group as mart_bsc_referrals gives them, read from the
-- placements themselves (that mart looks forward and is rebuilt whole every refresh; a week's
-- row here needs that week's placements alone, so it is updated from the first changed week).
with placements as (
  select * from int_bsc_placements
),
final as (
  select p.school_id, p.academic_year,
    coalesce(w.term, default_term(p.date)) as term,
    school_week_start(p.date) as week_start,
    y.year_group,
    count(*)::INTEGER as placements,
    min(strftime(p.date, '%Y-%m-%d') || ' ' || p.referral_id) as first_placed
  from placements p
  left join int_school_weeks w on w.school_id = p.school_id and w.academic_year = p.academic_year and w.week_start = school_week_start(p.date)
  left join int_pupil_roll y on y.school_id = p.school_id and y.student_id = p.student_id and y.academic_year = p.academic_year
  group by all
)
select * from final
