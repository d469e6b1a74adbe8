-- incremental: school_year; previous year of int_pupil_week_indexed
-- incremental weeks: by week_start
-- Pupils of concern for the weekly review (staff page: names): per school, year group and
-- school week, up to 10 pupils who had 2+ negative events, a serious event (severity ≥ settings.serious_severity, default 4) or
-- a BSC placement that week, ranked by negative events, then negative points, then rise.
-- negative_events_prev_4wk_avg: mean negative events a week over the pupil's 4 previous
-- school weeks on roll (null when there are none); rising: 2+ negative events this week and
-- at least 2 more than that mean. recent_negative_events: negative events in each of the
-- last 8 school weeks of this academic year, oldest first, comma-separated (the sparkline).
-- bsc_placements_term and detentions_missed_term: this term up to and including the week;
-- attendance_pct_ytd: attending ÷ possible sessions from the start of the academic year to
-- the end of the week; active_intervention_types: interventions active that week.
with pupil_weeks as (
  select * from int_pupil_week_indexed
),
windowed as (
  select pw.*,
    avg(negative_events) over w_prev4 as negative_events_prev_4wk_avg,
    list(negative_events) over w_last8 as recent_list,
    sum(bsc_placements) over w_term as bsc_placements_term,
    sum(detentions_missed) over w_term as detentions_missed_term,
    sum(attending_sessions) over w_year as attending_ytd,
    sum(possible_sessions) over w_year as possible_ytd
  from pupil_weeks pw
  window
    w_prev4 as (partition by school_id, student_id order by week_start rows between 4 preceding and 1 preceding),
    w_last8 as (partition by school_id, student_id, academic_year order by week_start rows between 7 preceding and current row),
    w_term as (partition by school_id, student_id, academic_year, term order by week_start rows unbounded preceding),
    w_year as (partition by school_id, student_id, academic_year order by week_start rows unbounded preceding)
),
flagged as (
  select *,
    negative_events >= 2 and negative_events >= coalesce(negative_events_prev_4wk_avg, 0) + 2 as rising
  from windowed
  where negative_events >= 2 or serious_events > 0 or bsc_placements > 0
),
ranked as (
  select *,
    row_number() over (
      partition by school_id, academic_year, year_group, week_start
      order by negative_events desc, negative_points desc,
        negative_events - coalesce(negative_events_prev_4wk_avg, 0) desc, student_id
    )::INTEGER as concern_rank
  from flagged
),
final as (
  select r.school_id, r.academic_year, r.year_group, r.week_start, r.concern_rank,
    r.student_id, p.first_name, p.last_name, r.form,
    r.negative_events, r.negative_points, r.serious_events, r.bsc_placements,
    round(r.negative_events_prev_4wk_avg, 1)::DOUBLE as negative_events_prev_4wk_avg,
    r.rising,
    array_to_string(r.recent_list, ',') as recent_negative_events,
    r.bsc_placements_term::INTEGER as bsc_placements_term,
    r.detentions_missed_term::INTEGER as detentions_missed_term,
    round(attendance_pct(r.attending_ytd, r.possible_ytd), 1)::DOUBLE as attendance_pct_ytd,
    r.active_intervention_types
  from ranked r
  left join int_pupil_years p
    on p.school_id = r.school_id and p.student_id = r.student_id and p.academic_year = r.academic_year
  where r.concern_rank <= 10
)
select * from final
