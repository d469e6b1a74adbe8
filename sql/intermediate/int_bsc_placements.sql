-- incremental: school_year; all years of int_school_days
-- incremental weeks: compared by date
-- Each BSC placement numbered in the pupil's sequence of placements (all years), with the
-- previous placement and the gap in school days (school days counted from the calendar of days
-- with marks, so holidays do not count). is_repeat: within settings.repeat_referral_window_days
-- school days of the previous placement (a repeat referral). The one place the repeat rule is
-- written: mart_bsc_referrals (where "referred again within the window" is the next
-- placement's is_repeat), int_watchlist_signals, mart_bsc_register and mart_pupil_timeline read it here.
-- Only looks back (earlier placements), so a (school, year) is rebuilt from that school's
-- placements alone; what looks forward (the next placement, the pupil's total) is worked out
-- in mart_bsc_referrals.
with placements as (
  select * from stg_bsc
),
days as (
  select school_id, date, school_day_number from int_school_days
),
numbered as (
  -- A placement on a day without marks (rare) takes the next school day's number.
  select p.*,
    (select min(d.school_day_number) from days d where d.school_id = p.school_id and d.date >= p.date) as school_day_number,
    academic_year_of(p.date) as academic_year
  from placements p
),
sequenced as (
  select n.*,
    row_number() over w_pupil as placement_number,
    lag(date) over w_pupil as previous_date,
    lag(referral_id) over w_pupil as previous_referral_id,
    school_day_number - lag(school_day_number) over w_pupil as school_days_since_previous
  from numbered n
  window w_pupil as (partition by school_id, student_id order by date, referral_id)
),
final as (
  select q.*,
    coalesce(q.school_days_since_previous <= s.repeat_referral_window_days, false) as is_repeat
  from sequenced q
  cross join settings s
)
select * from final
