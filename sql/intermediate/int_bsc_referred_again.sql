-- incremental: school
-- incremental weeks: compared by date
-- Each BSC placement with its term and whether the pupil was referred again within the repeat
-- window: the pupil's next placement (in any later year) is a repeat (int_bsc_placements'
-- is_repeat), as mart_bsc_referrals' referred_again_within_window. What the termly counts need
-- of a placement, apart from mart_bsc_referrals: that mart is rebuilt whole every refresh (its
-- follow-up days run to the last day of data), this is small and looks forward only to the next
-- placement. Rebuilt per school and compared with its rows before (incremental weeks: compared),
-- so its readers see changed only the weeks whose rows differ: in a weekly refresh the new
-- week's placements, and a placement of the weeks before whose pupil was placed again within
-- the window; a placement of an earlier year referred again this September makes its readers
-- rebuild whole.
with placements as (
  select * from int_bsc_placements
),
sequenced as (
  select school_id, academic_year, referral_id, student_id, date,
    coalesce(lead(is_repeat) over (partition by school_id, student_id order by date, referral_id), false) as referred_again_within_window
  from placements
),
final as (
  select s.school_id, s.academic_year, s.referral_id, s.student_id, s.date,
    coalesce(w.term, default_term(s.date)) as term,
    s.referred_again_within_window
  from sequenced s
  left join int_school_weeks w on w.school_id = s.school_id and w.academic_year = s.academic_year and w.week_start = school_week_start(s.date)
)
select * from final
