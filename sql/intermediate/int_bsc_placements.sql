-- Each BSC placement numbered in the pupil's sequence of placements (all years), with the
-- previous and next placement and the gaps in school days (school days counted from the
-- calendar of days with marks, so holidays do not count). is_repeat: within
-- settings.repeat_referral_window_days school days of the previous placement (a repeat
-- referral); referred_again_within_window: the next one is. The one place the repeat rule is
-- written: mart_bsc_referrals and int_watchlist_signals read it here.
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
    count(*) over (partition by school_id, student_id) as pupil_placements_total,
    lag(date) over w_pupil as previous_date,
    lag(referral_id) over w_pupil as previous_referral_id,
    school_day_number - lag(school_day_number) over w_pupil as school_days_since_previous,
    lead(date) over w_pupil as next_date,
    lead(school_day_number) over w_pupil - school_day_number as school_days_to_next
  from numbered n
  window w_pupil as (partition by school_id, student_id order by date, referral_id)
),
final as (
  select q.*,
    coalesce(q.school_days_since_previous <= s.repeat_referral_window_days, false) as is_repeat,
    coalesce(q.school_days_to_next <= s.repeat_referral_window_days, false) as referred_again_within_window
  from sequenced q
  cross join settings s
)
select * from final
