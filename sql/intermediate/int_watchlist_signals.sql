-- incremental: school_year; previous year of int_pupil_week_indexed; all years of int_bsc_placements
-- incremental weeks: by week_start; 8 weeks back of int_pupil_week_indexed; year to date of int_pupil_week_indexed; 3 weeks back of int_bsc_placements
-- Early-intervention signals per pupil at the end of each school week, each a yes/no reason:
--   behaviour_rising: negative events per week over the last 3 school weeks at least 1 more
--     than over the 6 weeks before them (the pupil's own baseline);
--   attendance_falling: moved into persistent absence in the last 4 school weeks: absence for
--     the year so far is now 10% or more of the possible sessions (is_persistently_absent, as the
--     attendance page flags it: exactly 90% attendance is persistent absence), and was under 10%
--     4 school weeks ago (a short illness dips the 4-week rate for most pupils at some point;
--     crossing into PA does not);
--   attendance_at_risk: year-to-date attendance below 93% (the 90–92% band or worse);
--   repeat_bsc: a repeat BSC placement (see int_bsc_placements) in the last 4 school weeks;
--   missed_detentions: 2 or more detentions missed in the last 4 school weeks;
--   recent_suspension: a suspension started in the last 6 school weeks;
--   no_active_intervention: no intervention active this week.
-- And the risk score that ranks the list (weights chosen on the demo school's earlier weeks and
-- tested on its later ones; docs/metrics.md, "Watchlist risk score"):
--   negative events in the last 3 school weeks
--   + 0.5 × negative events in the 3 school weeks before those
--   + 3 × negative events per school week this academic year so far
--   + 3 × BSC placements in the last 4 school weeks
--   + 1 × serious incidents (severity ≥ settings.serious_severity) in the last 6 school weeks.
-- Also the two naive rules the backtest compares it with: negative events in the last 6
-- school weeks, and BSC placements this academic year so far.
with pw as (
  select school_id, academic_year, week_start, week_index, week_number, student_id, year_group, negative_events, serious_events,
    possible_sessions, attending_sessions, bsc_placements, detentions_missed, suspensions_started, active_interventions
  from int_pupil_week_indexed
),
repeat_bsc as (
  select r.school_id, r.student_id, school_week_start(r.date) as week_start, count(*) as repeat_placements
  from int_bsc_placements r where r.is_repeat group by all
),
weekly as (
  select pw.*, coalesce(rb.repeat_placements, 0) as repeat_placements
  from pw left join repeat_bsc rb using (school_id, student_id, week_start)
),
packed as (
  -- The counts summed over the same frames, packed three to a number (pack_counts,
  -- sql/macros/packed_counts.sql): one sum per frame instead of one per count.
  -- Only what the frames and the list read is carried through the window's sort. Not the form:
  -- mart_watchlist shows it from int_pupil_names, for the few pupil-weeks it lists (a text column
  -- written for every one of a trust's 4.4M pupil-weeks costs about half a CPU second).
  select school_id, academic_year, week_start, week_index, week_number, student_id, year_group,
    active_interventions, negative_events,
    -- negative_weeks: the week's negative events and a 1 for the week itself, so that a frame's
    -- sum counts its weeks too (a count(*) over a frame costs a fifth of a sum: three saved).
    pack_counts(negative_events, 1, 0) as negative_weeks,
    pack_counts(attending_sessions, possible_sessions, bsc_placements) as sessions_bsc,
    pack_counts(negative_events, suspensions_started, serious_events) as negative_suspensions_serious,
    pack_counts(repeat_placements, detentions_missed, 0) as repeat_missed
  from weekly
),
read_from as (
  -- A weekly refresh keeps this model's rows of each school from a school week on
  -- (updating_from_week; empty when the model is built whole, and then the window reads every
  -- row, as earlier below is empty). Its window then reads the school's rows from 8 school weeks
  -- before the first week kept (the baseline frame's reach), not the year so far: it sorts 9
  -- weeks of pupils (325k pupil-weeks at the trust scale, not 1.44M: 1.9 of the model's 2.2
  -- CPU s were that window). This reads the table, not pw: a second reader of pw would have
  -- DuckDB keep a copy of its every row.
  select i.school_id, min(i.week_index) - 8 as read_from
  from int_pupil_week_indexed i join updating_from_week u
    on u.school_id = i.school_id and u.academic_year = i.academic_year and i.week_start >= u.from_week
  group by all
),
earlier as (
  -- What the window no longer reads, per pupil and year: the year-to-date frames' sums of the
  -- weeks before read_from, and the pupil's last 3 of those weeks, newest first, for the 4-row
  -- frame (a pupil off roll for a while has rows further apart than 4 weeks). The same packed
  -- counts as packed's.
  select i.school_id, i.student_id, i.academic_year,
    sum(i.sessions_bsc) as earlier_sessions_bsc,
    sum(i.negative_weeks) as earlier_negative_weeks,
    arg_max(i.sessions_bsc, i.week_index, 3) as last_earlier_sessions_bsc
  from (
    select school_id, student_id, academic_year, week_index,
      pack_counts(attending_sessions, possible_sessions, bsc_placements) as sessions_bsc,
      pack_counts(negative_events, 1, 0) as negative_weeks
    from int_pupil_week_indexed
  ) i
  join read_from r on r.school_id = i.school_id and i.week_index < r.read_from
  group by all
),
framed_read as (
  -- One window pass: every frame is over the pupil's weeks in week_index order. A frame within
  -- the academic year starts week_number - 1 school weeks back (week_index and week_number
  -- count the same school weeks, the one across years, the other from 1 each year), so the
  -- year's weeks need no partition of their own (a second pass would sort every row again).
  select p.*, r.read_from,
    sum(negative_weeks) over (w range between 2 preceding and current row) as recent_negative_weeks,
    sum(negative_weeks) over (w range between 8 preceding and 3 preceding) as baseline_negative_weeks,
    sum(sessions_bsc) over (w range between 3 preceding and current row) as last_4_sessions_bsc,
    sum(repeat_missed) over (w range between 3 preceding and current row) as last_4_repeat_missed,
    sum(sessions_bsc) over (w rows between 3 preceding and current row) as last_4_rows_sessions_bsc,
    count(*) over (w rows between 3 preceding and current row) as last_4_rows_read,
    sum(negative_suspensions_serious) over (w range between 5 preceding and current row) as last_6_negative_suspensions_serious,
    sum(sessions_bsc) over (w range between week_number - 1 preceding and current row) as ytd_sessions_bsc,
    sum(negative_weeks) over (w range between week_number - 1 preceding and current row) as ytd_negative_weeks
  from packed p
  left join read_from r using (school_id)
  where r.read_from is null or p.week_index >= r.read_from
  window w as (partition by school_id, student_id order by week_index)
),
framed as (
  -- The weeks kept, with what the window did not read added back: the year-to-date sums' weeks
  -- before read_from, and the 4-row frame's rows before it (only read when the year has more
  -- than 4 weeks, so those rows are of the same year).
  select f.* exclude (read_from, last_4_rows_read) replace (
      f.ytd_sessions_bsc + coalesce(e.earlier_sessions_bsc, 0) as ytd_sessions_bsc,
      f.ytd_negative_weeks + coalesce(e.earlier_negative_weeks, 0) as ytd_negative_weeks,
      f.last_4_rows_sessions_bsc + coalesce(list_sum(e.last_earlier_sessions_bsc[1:4 - f.last_4_rows_read]), 0) as last_4_rows_sessions_bsc)
  from framed_read f
  left join earlier e using (school_id, student_id, academic_year)
  where f.read_from is null or f.week_index >= f.read_from + 8
),
windows as (
  select *,
    -- The counts of weeks as BIGINT, the type count(*) gives; a frame with no rows sums to null,
    -- where it counts 0 weeks.
    packed_count(recent_negative_weeks, 0) as recent_negative,
    packed_count(recent_negative_weeks, 1)::BIGINT as recent_weeks,
    packed_count(baseline_negative_weeks, 0) as baseline_negative,
    coalesce(packed_count(baseline_negative_weeks, 1)::BIGINT, 0) as baseline_weeks,
    packed_count(ytd_negative_weeks, 1)::BIGINT as weeks_this_year,
    packed_count(last_4_sessions_bsc, 0) as recent_attending,
    packed_count(last_4_sessions_bsc, 1) as recent_possible,
    packed_count(last_4_sessions_bsc, 2) as bsc_last_4_weeks,
    packed_count(last_4_repeat_missed, 0) as recent_repeat_bsc,
    packed_count(last_4_repeat_missed, 1) as recent_missed_detentions,
    packed_count(last_6_negative_suspensions_serious, 0) as negative_last_6_weeks,
    packed_count(last_6_negative_suspensions_serious, 1) as recent_suspensions,
    packed_count(last_6_negative_suspensions_serious, 2) as serious_last_6_weeks,
    packed_count(ytd_sessions_bsc, 0) as ytd_attending,
    packed_count(ytd_sessions_bsc, 1) as ytd_possible,
    packed_count(ytd_sessions_bsc, 2) as bsc_this_year,
    packed_count(ytd_negative_weeks, 0) as negative_this_year,
    -- The year's weeks up to 4 rows back: the year so far less its last 4 rows (when the year
    -- has more than 4 weeks, those 4 rows are all in it).
    case when weeks_this_year > 4 then packed_count(ytd_sessions_bsc, 0) - packed_count(last_4_rows_sessions_bsc, 0) end as earlier_attending,
    case when weeks_this_year > 4 then packed_count(ytd_sessions_bsc, 1) - packed_count(last_4_rows_sessions_bsc, 1) end as earlier_possible
  from framed
),
risk as (
  select *,
    recent_negative + 0.5 * (negative_last_6_weeks - recent_negative) + 3.0 * negative_this_year / weeks_this_year
      + 3 * bsc_last_4_weeks + 1 * serious_last_6_weeks as risk_score_exact
  from windows
),
final as (
  select school_id, academic_year, week_start, week_index, student_id, year_group,
    round(recent_negative / recent_weeks, 2) as recent_negative_per_week,
    round(baseline_negative / nullif(baseline_weeks, 0), 2) as baseline_negative_per_week,
    round(attendance_pct(recent_attending, recent_possible), 1) as recent_attendance_pct,
    round(attendance_pct(ytd_attending, ytd_possible), 1) as ytd_attendance_pct,
    coalesce(baseline_weeks >= 3 and recent_negative / recent_weeks >= baseline_negative / baseline_weeks + 1, false) as behaviour_rising,
    -- Persistent absence: sql/macros/attendance.sql; below 93% is the red and amber/red bands (attendance_band).
    coalesce(earlier_possible >= 20 and ytd_possible > 0
      and persistently_absent_so_far(ytd_attending, ytd_possible) and not persistently_absent_so_far(earlier_attending, earlier_possible), false) as attendance_falling,
    coalesce(ytd_possible >= 20 and attendance_band(attendance_pct(ytd_attending, ytd_possible)) in ('amber/red', 'red'), false) as attendance_at_risk,
    recent_repeat_bsc > 0 as repeat_bsc,
    recent_missed_detentions >= 2 as missed_detentions,
    recent_suspensions > 0 as recent_suspension,
    active_interventions = 0 as no_active_intervention,
    round(risk_score_exact, 2) as risk_score,
    risk_score_exact,
    recent_negative::INTEGER as negative_last_3_weeks,
    negative_last_6_weeks::INTEGER as negative_last_6_weeks,
    round(negative_this_year / weeks_this_year, 2) as negative_per_week_this_year,
    bsc_last_4_weeks::INTEGER as bsc_last_4_weeks,
    serious_last_6_weeks::INTEGER as serious_last_6_weeks,
    bsc_this_year::INTEGER as bsc_this_year
  from risk
)
select * from final
