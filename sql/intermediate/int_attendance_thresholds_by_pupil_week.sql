-- incremental: school_year; previous year of int_pupil_week_indexed
-- incremental weeks: by week_start
-- Each pupil's attendance standing at the end of every school week they were on roll, year to
-- date (DfE rules, as mart_attendance_pupil), and the thresholds crossed that week:
--   persistently_absent (absence ≥ 10% of own possible sessions to date), severely_absent
--   (≥ 50%), at_risk_band (attendance 90% to under 93%), attendance_band (green ≥ 96, amber
--   93–95.9, amber/red 90–92.9, red < 90); null when no possible sessions yet;
--   unauthorised_last_10_weeks: unauthorised sessions (G N O U) in this and the 9 school weeks
--   before it (the penalty-notice threshold is 10), which may reach back over the summer into
--   the year before: DfE's 10 school weeks can span terms and school years (2 sessions in the
--   summer term and 8 in the autumn reach it);
--   entered_persistent_absence / entered_severe_absence: flagged at the end of this week, not
--   at the end of the week before; entered_at_risk_band: in the band now, 93% or above the week
--   before (falling into it, not climbing out of persistent absence). These three are only
--   judged once the pupil had 20 possible sessions before the week (two school weeks), so one
--   day off in September is not a "crossing";
--   reached_penalty_threshold: 10 or more in the rolling 10 weeks now, fewer the week before.
-- The pupil's weeks on roll with their sessions: int_pupil_week_indexed has joined the week's
-- attendance (int_attendance_by_pupil_week, zeros for a week with no marks) to the pupil-weeks
-- already, so this model needs no join of its own (4.4M rows each side at the trust scale).
with joined as (
  select school_id, academic_year, week_start, week_index, week_number, term, student_id, year_group, form,
    possible_sessions, attending_sessions, unauthorised_sessions, late_before_close_sessions,
    late_after_close_sessions, minutes_late_before_close, minutes_late_after_close
  from int_pupil_week_indexed
),
first_kept as (
  -- A weekly refresh keeps this model's rows of a (school, year) from a school week on
  -- (updating_from_week; empty when the model is built whole: then the window reads every row,
  -- and earlier below is empty). The window then reads the weeks kept and each pupil's last 10
  -- weeks before them (the 10-week frame's and its lag's reach), not the year so far: the
  -- sessions before the first week kept are summed once (earlier). These read the table, not
  -- joined: a second reader of it would have DuckDB keep a copy of its every row.
  select i.school_id, i.academic_year, min(i.week_index) as first_kept
  from int_pupil_week_indexed i join updating_from_week u
    on u.school_id = i.school_id and u.academic_year = i.academic_year and i.week_start >= u.from_week
  group by all
),
earlier as (
  -- Each pupil's weeks of the year before the first kept: their sessions packed as the window's
  -- below, and the last 10, newest first, each its week_index and unauthorised sessions in one
  -- number (pack_week_count, sql/macros/packed_counts.sql).
  select i.school_id, i.student_id, i.academic_year,
    sum(pack_counts(i.possible_sessions, i.attending_sessions, 0)) as earlier_sessions,
    max(pack_week_count(i.week_index, i.unauthorised_sessions), 10) as last_weeks
  from int_pupil_week_indexed i
  join first_kept k on k.school_id = i.school_id and k.academic_year = i.academic_year and i.week_index < k.first_kept
  group by all
),
year_ends as (
  select school_id, academic_year, max(week_index) as last_index from int_pupil_week_indexed group by all
),
previous_tail as (
  -- Each pupil's weeks in the last 10 school weeks of the academic year before, for the 10-week
  -- frames of this year's first weeks (week_index runs on across the summer, which has no school
  -- weeks): read only when the rows kept start within 10 school weeks of that year's end.
  select p.school_id, n.academic_year, p.student_id, p.week_index, p.unauthorised_sessions
  from int_pupil_week_indexed p
  join year_ends e on e.school_id = p.school_id and e.academic_year = p.academic_year and p.week_index > e.last_index - 10
  join year_ends n on n.school_id = p.school_id
   and academic_year_start_of_label(n.academic_year) = academic_year_start_of_label(p.academic_year) + 1
  left join first_kept k on k.school_id = n.school_id and k.academic_year = n.academic_year
  where k.first_kept is null or k.first_kept <= e.last_index + 10
),
read as (
  -- The rows the window reads: those kept (every row of a year built whole), and each pupil's
  -- last 10 weeks before the first kept, and of the year before, for the 10-week frames only
  -- (their sessions 0 in the running total: earlier carries those weeks' of this year).
  select j.*, false as before_kept, pack_counts(j.possible_sessions, j.attending_sessions, 0) as sessions_packed
  from joined j
  left join first_kept k using (school_id, academic_year)
  where k.first_kept is null or j.week_index >= k.first_kept
  union all by name
  select e.school_id, e.academic_year, e.student_id, packed_week_index(w.week) as week_index, packed_week_count(w.week) as unauthorised_sessions,
    true as before_kept, 0::DOUBLE as sessions_packed
  from earlier e, unnest(e.last_weeks) as w(week)
  union all by name
  select t.school_id, t.academic_year, t.student_id, t.week_index, t.unauthorised_sessions, true as before_kept, 0::DOUBLE as sessions_packed
  from previous_tail t
),
-- One sort of the pupil's weeks serves every window below (the same partition and order):
-- the standing at the end of the week before is worked out from the running totals less
-- this week's sessions, not by a second window over the computed standing. The two running
-- totals are one sum of packed counts (pack_counts, sql/macros/packed_counts.sql: a year has at
-- most 53 weeks of at most 255 sessions). week_index orders a school's weeks as week_start does;
-- the 10-week frames are ranges of it (school weeks, not rows: the year before's weeks lie
-- across the summer, and a pupil who left may have none of them).
framed_read as (
  select *,
    sum(sessions_packed) over (w_pupil rows unbounded preceding) as sessions_to_date,
    sum(unauthorised_sessions) over (w_pupil range between 9 preceding and current row) as unauthorised_last_10,
    coalesce(sum(unauthorised_sessions) over (w_pupil range between 10 preceding and 1 preceding), 0) as previous_unauthorised_last_10
  from read
  window w_pupil as (partition by school_id, student_id, academic_year order by week_index)
),
framed as (
  -- The weeks kept, with the sessions of the weeks before the first kept added back.
  select f.* exclude (before_kept, sessions_packed, week_index) replace (f.sessions_to_date + coalesce(e.earlier_sessions, 0) as sessions_to_date)
  from framed_read f
  left join earlier e using (school_id, student_id, academic_year)
  where not f.before_kept
),
to_date as (
  select * exclude (sessions_to_date, unauthorised_last_10, previous_unauthorised_last_10),
    packed_count(sessions_to_date, 0)::INTEGER as possible_sessions_to_date,
    packed_count(sessions_to_date, 1)::INTEGER as attending_sessions_to_date,
    unauthorised_last_10::INTEGER as unauthorised_last_10_weeks,
    previous_unauthorised_last_10 as previous_unauthorised_last_10_weeks
  from framed
),
standing as (
  select *,
    round(attendance_pct(attending_sessions_to_date, possible_sessions_to_date), 2) as attendance_pct_to_date,
    persistently_absent_so_far(attending_sessions_to_date, possible_sessions_to_date) as persistently_absent,
    severely_absent_so_far(attending_sessions_to_date, possible_sessions_to_date) as severely_absent,
    -- The same standing at the end of the week before (none in the pupil's first week).
    possible_sessions_to_date - possible_sessions as previous_possible_to_date,
    attending_sessions_to_date - attending_sessions as previous_attending_to_date
  from to_date
),
banded as (
  select *,
    -- The bands and the at-risk band: macros in sql/macros/attendance.sql, on the unrounded
    -- figure (239 of 257 sessions is 92.996%: below 93%, though it rounds to 93.00).
    case when possible_sessions_to_date > 0 then is_at_risk_band(attendance_pct(attending_sessions_to_date, possible_sessions_to_date)) end as at_risk_band,
    case when possible_sessions_to_date > 0 then attendance_band(attendance_pct(attending_sessions_to_date, possible_sessions_to_date)) end as attendance_band
  from standing
),
previous as (
  select *,
    round(attendance_pct(previous_attending_to_date, previous_possible_to_date), 2) as previous_attendance_pct_to_date,
    persistently_absent_so_far(previous_attending_to_date, previous_possible_to_date) as previously_persistently_absent,
    severely_absent_so_far(previous_attending_to_date, previous_possible_to_date) as previously_severely_absent
  from banded
),
final as (
  select school_id, academic_year, week_start, week_number, term, student_id, year_group, form,
    possible_sessions, attending_sessions, unauthorised_sessions,
    late_before_close_sessions, late_after_close_sessions, minutes_late_before_close, minutes_late_after_close,
    possible_sessions_to_date, attending_sessions_to_date, attendance_pct_to_date,
    persistently_absent, severely_absent, at_risk_band, attendance_band, unauthorised_last_10_weeks,
    previous_attendance_pct_to_date,
    coalesce(previous_possible_to_date >= 20 and persistently_absent and not previously_persistently_absent, false) as entered_persistent_absence,
    coalesce(previous_possible_to_date >= 20 and severely_absent and not previously_severely_absent, false) as entered_severe_absence,
    coalesce(previous_possible_to_date >= 20 and at_risk_band and attendance_band(attendance_pct(previous_attending_to_date, previous_possible_to_date)) in ('green', 'amber'), false) as entered_at_risk_band,
    at_penalty_threshold(unauthorised_last_10_weeks) and not at_penalty_threshold(previous_unauthorised_last_10_weeks) as reached_penalty_threshold
  from previous
)
select * from final
