-- incremental: school_year; previous year of int_watchlist_signals
-- incremental weeks: by as_of_week; 1 weeks back of int_watchlist_signals
-- Pupils ranked for early intervention at the end of each school week (as_of_week), with the
-- reasons that put them there. Ranked within the school by the risk score (int_watchlist_signals:
-- recent and year-long negative events, recent BSC placements and serious incidents, with
-- weights fixed on the demo school's earlier weeks and tested on later ones, docs/metrics.md);
-- ties by recent negative rate, then pupil id. A pupil is listed when they are among the
-- school's settings.watchlist_top_pupils highest risk scores (above 0) that week, or when the
-- concern flags add up to 2 or more: 3 behaviour rising + 3 repeat BSC + 2 recent suspension
-- + 2 attendance falling + 1 attendance at risk + 1 missed detentions. One minor flag alone,
-- such as attendance just under 93%, is the attendance page's business, not this list's (it
-- would list a quarter of the school). No active intervention is a reason shown and filtered
-- on, not a point: a pupil with support is no less at risk. is_new: not listed the week before.
with signals as (
  select * from int_watchlist_signals
),
top_n as (
  select watchlist_top_pupils as n from settings
),
risk_orders as (
  -- The school's top n risk scores above 0 each week (a score is never below 0, so these lead
  -- the order over every pupil on roll), in the list's order: highest score, then highest recent
  -- negative rate, then pupil id (arg_min keeps the n smallest keys per week without sorting
  -- every pupil-week).
  select school_id, week_start, unnest(top) as student_id, generate_subscripts(top, 1) as risk_order
  from (
    select school_id, week_start,
      arg_min(student_id, {score: -risk_score_exact, rate: -recent_negative_per_week, student_id: student_id}, (select n from top_n)) as top
    from signals where risk_score_exact > 0
    group by school_id, week_start
  )
),
scored as (
  -- n joined as a column once: a scalar subquery in the filter below made DuckDB plan it as a
  -- blockwise nested-loop join over every pupil-week.
  select s.*,
    3 * behaviour_rising::INTEGER + 3 * repeat_bsc::INTEGER + 2 * recent_suspension::INTEGER
      + 2 * attendance_falling::INTEGER + 1 * attendance_at_risk::INTEGER + 1 * missed_detentions::INTEGER as concern_score,
    o.risk_order,
    t.n as top_n
  from signals s
  left join risk_orders o using (school_id, week_start, student_id)
  cross join top_n t
),
listed as (
  select *,
    coalesce(risk_order <= top_n, false) as top_risk,
    list_filter([
      case when coalesce(risk_order <= top_n, false)
        then 'Top ' || top_n || ' risk score in the school' end,
      case when behaviour_rising then 'Negative behaviour rising against own baseline' end,
      case when repeat_bsc then 'Repeat BSC placement' end,
      case when recent_suspension then 'Suspended in the last 6 school weeks' end,
      case when attendance_falling then 'Attendance fell below 90% in the last 4 weeks' end,
      case when attendance_at_risk then 'Attendance below 93% this year' end,
      case when missed_detentions then '2+ detentions missed in 4 weeks' end,
      case when no_active_intervention then 'No active intervention' end
    ], x -> x is not null) as reasons
  from scored
  where concern_score >= 2 or risk_order <= top_n
),
ranked as (
  select *,
    row_number() over (partition by school_id, week_start order by risk_score_exact desc, recent_negative_per_week desc, student_id)::INTEGER as rank
  from listed
),
final as (
  select r.school_id, r.academic_year, r.week_start as as_of_week, r.rank, r.risk_score as score, r.concern_score::INTEGER as concern_score,
    -- The form from the pupil's year (int_pupil_names, the pupil-week's own source of it).
    r.student_id, r.year_group, p.form,
    p.first_name, p.last_name,
    r.reasons, array_to_string(r.reasons, '; ') as reasons_text,
    r.recent_negative_per_week, r.baseline_negative_per_week, r.recent_attendance_pct, r.ytd_attendance_pct,
    r.negative_last_3_weeks, r.negative_last_6_weeks, r.negative_per_week_this_year, r.bsc_last_4_weeks, r.serious_last_6_weeks,
    r.top_risk, r.behaviour_rising, r.repeat_bsc, r.recent_suspension, r.attendance_falling, r.attendance_at_risk,
    r.missed_detentions, r.no_active_intervention,
    prev.student_id is null as is_new
  from ranked r
  left join int_pupil_names p on p.school_id = r.school_id and p.student_id = r.student_id and p.academic_year = r.academic_year
  left join ranked prev on prev.school_id = r.school_id and prev.student_id = r.student_id and prev.week_index = r.week_index - 1
)
select * from final
