-- Pupils ranked for early intervention at the end of each school week (as_of_week), with the
-- reasons that put them there. Score = 3 behaviour rising + 3 repeat BSC + 2 recent suspension
-- + 2 attendance falling + 1 attendance at risk + 1 missed detentions, plus 1 when no
-- intervention is active (only if another reason applies). Ranked within the school; ties by
-- recent negative rate. A pupil is listed when the concerns (without the no-intervention
-- point) add up to 2 or more: one minor signal alone, such as attendance just under 93%, is
-- the attendance page's business, not the early-intervention list's (it would list a quarter
-- of the school). is_new: not listed the week before.
with signals as (
  select * from int_watchlist_signals
),
scored as (
  select *,
    3 * behaviour_rising::INTEGER + 3 * repeat_bsc::INTEGER + 2 * recent_suspension::INTEGER
      + 2 * attendance_falling::INTEGER + 1 * attendance_at_risk::INTEGER + 1 * missed_detentions::INTEGER as concern_score
  from signals
),
listed as (
  select *,
    concern_score + case when no_active_intervention then 1 else 0 end as score,
    list_filter([
      case when behaviour_rising then 'Negative behaviour rising against own baseline' end,
      case when repeat_bsc then 'Repeat BSC placement' end,
      case when recent_suspension then 'Suspended in the last 6 school weeks' end,
      case when attendance_falling then 'Attendance fell below 90% in the last 4 weeks' end,
      case when attendance_at_risk then 'Attendance below 93% this year' end,
      case when missed_detentions then '2+ detentions missed in 4 weeks' end,
      case when no_active_intervention then 'No active intervention' end
    ], x -> x is not null) as reasons
  from scored
  where concern_score >= 2
),
ranked as (
  select *,
    row_number() over (partition by school_id, week_start order by score desc, recent_negative_per_week desc, student_id)::INTEGER as rank
  from listed
),
final as (
  select r.school_id, r.academic_year, r.week_start as as_of_week, r.rank, r.score, r.student_id, r.year_group, r.form,
    p.first_name, p.last_name,
    r.reasons, array_to_string(r.reasons, '; ') as reasons_text,
    r.recent_negative_per_week, r.baseline_negative_per_week, r.recent_attendance_pct, r.ytd_attendance_pct,
    r.behaviour_rising, r.repeat_bsc, r.recent_suspension, r.attendance_falling, r.attendance_at_risk,
    r.missed_detentions, r.no_active_intervention,
    prev.student_id is null as is_new
  from ranked r
  left join int_pupil_years p on p.school_id = r.school_id and p.student_id = r.student_id and p.academic_year = r.academic_year
  left join ranked prev on prev.school_id = r.school_id and prev.student_id = r.student_id and prev.week_index = r.week_index - 1
)
select * from final
