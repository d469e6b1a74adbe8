-- Each BSC placement with the pupil's previous and next placement and the gaps in school days
-- (school days counted from the calendar of days with marks, so holidays do not count). A
-- placement within settings.repeat_referral_window_days school days of the previous one is a
-- repeat referral (numbered and flagged in int_bsc_placements). Follow-up: a parent contact
-- recorded on the placement (or a contact with the pupil on that day or within 2 school days
-- after), and a reintegration meeting (a reintegration date, or a contact whose reason
-- mentions reintegration, within 5 school days).
-- Rebuilt whole: its rows look forward (the next placement, which may be next year; the
-- pupil's placements in every year; follow-ups in the days after; the last day of data), so a
-- new week changes rows of earlier years. What is only backward-looking is in int_bsc_placements,
-- which the models updated by partition read instead.
with placements as (
  select * from int_bsc_placements
),
sequenced as (
  -- Referred again within the window: the next placement is a repeat (int_bsc_placements' rule).
  select p.*,
    count(*) over (partition by school_id, student_id) as pupil_placements_total,
    lead(date) over w_pupil as next_date,
    lead(school_day_number) over w_pupil - school_day_number as school_days_to_next,
    coalesce(lead(is_repeat) over w_pupil, false) as referred_again_within_window
  from placements p
  window w_pupil as (partition by school_id, student_id order by date, referral_id)
),
days as (
  select school_id, date, school_day_number from int_school_days
),
last_day as (
  select school_id, max(school_day_number) as last_school_day_number, max(date) as last_date from days group by school_id
),
contacts as (
  -- A contact on a day without marks (a weekend, a holiday) takes the next school day's number,
  -- as a placement does (int_bsc_placements): a call home on the Saturday after a Friday
  -- placement is within 2 school days of it. A contact dated before the placement is not a
  -- follow-up of it (c.date >= s.date below), though a Sunday's takes Monday's number.
  select c.school_id, c.student_id, c.date, c.reason,
    (select min(d.school_day_number) from days d where d.school_id = c.school_id and d.date >= c.date) as school_day_number
  from stg_contacts c
),
followed as (
  select s.*,
    coalesce(s.parent_contacted, false) or exists (
      select 1 from contacts c where c.school_id = s.school_id and c.student_id = s.student_id
        and c.date >= s.date and c.school_day_number between s.school_day_number and s.school_day_number + 2
    ) as followed_by_parent_contact,
    s.reintegration_date is not null or exists (
      select 1 from contacts c where c.school_id = s.school_id and c.student_id = s.student_id
        and lower(c.reason) like '%reintegration%'
        and c.date >= s.date and c.school_day_number between s.school_day_number and s.school_day_number + 5
    ) as followed_by_reintegration
  from sequenced s
),
final as (
  select
    f.school_id, f.academic_year, f.referral_id, f.student_id, p.year_group, p.form, f.date,
    coalesce(w.term, default_term(f.date)) as term,
    school_week_start(f.date) as week_start,
    f.reason, f.referred_by, f.event_id, f.periods, f.booklet, f.conduct, f.outcome,
    f.placement_number::INTEGER as placement_number,
    f.pupil_placements_total::INTEGER as pupil_placements_total,
    f.previous_referral_id, f.previous_date, f.school_days_since_previous::INTEGER as school_days_since_previous,
    f.is_repeat,
    f.next_date, f.school_days_to_next::INTEGER as school_days_to_next,
    f.referred_again_within_window,
    -- Censoring for the re-referral curve: school days observed after this placement.
    coalesce(f.school_days_to_next, l.last_school_day_number - f.school_day_number)::INTEGER as followup_school_days,
    f.school_days_to_next is not null as followup_ended_by_rereferral,
    f.followed_by_parent_contact, f.followed_by_reintegration, f.statement_taken, f.reintegration_date
  from followed f
  left join last_day l using (school_id)
  left join int_pupil_roll p on p.school_id = f.school_id and p.student_id = f.student_id and p.academic_year = f.academic_year
  left join int_school_weeks w on w.school_id = f.school_id and w.academic_year = f.academic_year and w.week_start = school_week_start(f.date)
)
select * from final
