-- incremental: school_year by academic_year_of(date)
-- incremental weeks: by date; same week of int_bsc_placements
-- The Behaviour Support Centre register for any date (staff page: names), for the Pastoral
-- Support Officer: one row per placement with the pupil's name, year group and form, the
-- periods (count) and times booked, the reason and who referred, and the columns the PSO
-- fills in (booklet, conduct, outcome: blank until recorded). placement_number: the pupil's
-- nth placement (all years); is_repeat: within the repeat-referral window of the previous
-- one (int_bsc_placements, as in mart_bsc_referrals).
with placements as (
  select * from int_bsc_placements
),
final as (
  select p.school_id, p.date, p.referral_id, p.student_id, n.first_name, n.last_name, n.year_group, n.form,
    p.periods, left(p.start_time::VARCHAR, 5) as start_time, left(p.end_time::VARCHAR, 5) as end_time, p.reason, p.referred_by,
    p.placement_number::INTEGER as placement_number, p.is_repeat, p.booklet, p.conduct, p.outcome
  from placements p
  left join int_pupil_names n on n.school_id = p.school_id and n.student_id = p.student_id and n.academic_year = p.academic_year
)
select * from final
