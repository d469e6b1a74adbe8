-- incremental: school_year; previous year of int_pupil_week_indexed
-- incremental weeks: by week_start
-- Pupils of concern for the weekly review (staff page: names): per school, year group and
-- school week, up to 10 pupils who had 2+ negative events, a serious event (severity ≥ settings.serious_severity, default 4) or
-- a BSC placement that week, ranked by negative events, then negative points, then rise.
-- negative_events_prev_4wk_avg: mean negative events a week over the pupil's 4 previous
-- school weeks on roll in this academic year and the one before (fewer when the pupil was on
-- roll fewer weeks; null when there are none); rising: 2+ negative events this week and at
-- least 2 more than that mean. recent_negative_events: negative events in each of the
-- last 8 school weeks of this academic year, oldest first, comma-separated (the sparkline).
-- bsc_placements_term and detentions_missed_term: this term up to and including the week;
-- attendance_pct_ytd: attending ÷ possible sessions from the start of the academic year to
-- the end of the week; active_intervention_types: interventions active that week.
with term_starts as (
  select school_id, academic_year, term, min(week_index) as term_first_index
  from int_school_weeks group by all
),
pupil_weeks as (
  select pw.school_id, pw.academic_year, pw.week_start, pw.week_index, pw.week_number, pw.student_id, pw.year_group, pw.form,
    pw.negative_events, pw.negative_points, pw.serious_events, pw.bsc_placements, pw.detentions_missed,
    pw.attending_sessions, pw.possible_sessions, pw.active_intervention_types,
    pw.week_index - t.term_first_index as weeks_into_term
  from int_pupil_week_indexed pw
  join term_starts t using (school_id, academic_year, term)
),
year_tails as (
  -- Each pupil's last 4 school weeks on roll of each academic year, oldest first: what the
  -- first weeks of the next year's mean reach back to. A top-4 per pupil-year is one hash
  -- aggregate; the windows below then need no row of the year before, so in a refresh of the
  -- latest year they run over that year alone (the runner's filter on academic_year reaches
  -- their scan through a window partitioned by it), not over two years.
  -- The next year's name is made per pupil-year, after grouping, not for each of their weeks.
  select school_id, student_id, academic_year_label(academic_year_start_of_label(academic_year) + 1) as next_academic_year, last_4_weeks
  from (
    select school_id, student_id, academic_year, list_reverse(arg_max(negative_events, week_index, 4)) as last_4_weeks
    from int_pupil_week_indexed
    group by all
  )
),
windowed as (
  -- One window pass over each pupil's weeks of the year in week_index order (week_start's
  -- order). A frame within the term starts at the term's first school week (terms follow each
  -- other: a term's weeks are consecutive), so it needs no partition of its own (each would
  -- sort every row again). The sparkline's last 8 weeks of the year are this week and the 7
  -- before it, as many as the year has had.
  select pw.*,
    sum(negative_events) over (w rows between 4 preceding and 1 preceding) as prev_in_year_sum,
    [lag(negative_events, 7) over w, lag(negative_events, 6) over w, lag(negative_events, 5) over w, lag(negative_events, 4) over w,
     lag(negative_events, 3) over w, lag(negative_events, 2) over w, lag(negative_events, 1) over w, negative_events] as last_8_weeks,
    -- Counts over one frame are one sum of packed counts (pack_counts, sql/macros/packed_counts.sql);
    -- the year's third count is its weeks (a 1 a week), instead of a count(*) over the same frame.
    sum(pack_counts(bsc_placements, detentions_missed, 0)) over (w range between weeks_into_term preceding and current row) as term_counts,
    sum(pack_counts(attending_sessions, possible_sessions, 1)) over (w rows between unbounded preceding and current row) as ytd_sessions
  from pupil_weeks pw
  window w as (partition by school_id, student_id, academic_year order by week_index)
),
concern_weeks as (
  select *,
    -- The year's weeks before this one, at most 4; the year before's last weeks make up the rest.
    least(packed_count(ytd_sessions, 2)::BIGINT - 1, 4) as prev_in_year_weeks
  from windowed
  where negative_events >= 2 or serious_events > 0 or bsc_placements > 0
),
concerns as (
  select c.*,
    t.last_4_weeks[-(4 - c.prev_in_year_weeks):] as prev_year_weeks,
    c.prev_in_year_weeks + coalesce(len(prev_year_weeks), 0) as prev_weeks,
    coalesce(c.prev_in_year_sum, 0) + coalesce(list_sum(prev_year_weeks), 0) as prev_negative_events
  from concern_weeks c
  left join year_tails t
    -- Only a week with fewer than 4 of its year before it reaches back (an equi-join: a condition
    -- on the listed week alone would make DuckDB join by nested loops).
    on t.school_id = c.school_id and t.student_id = c.student_id
   and t.next_academic_year = case when c.prev_in_year_weeks < 4 then c.academic_year end
),
averaged as (
  select *,
    case when prev_weeks > 0 then prev_negative_events::DOUBLE / prev_weeks end as negative_events_prev_4wk_avg
  from concerns
),
flagged as (
  select *,
    negative_events >= 2 and negative_events >= coalesce(negative_events_prev_4wk_avg, 0) + 2 as rising,
    last_8_weeks[-least(packed_count(ytd_sessions, 2)::BIGINT, 8):] as recent_list,
    packed_count(term_counts, 0) as bsc_placements_term,
    packed_count(term_counts, 1) as detentions_missed_term,
    packed_count(ytd_sessions, 0) as attending_ytd,
    packed_count(ytd_sessions, 1) as possible_ytd
  from averaged
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
