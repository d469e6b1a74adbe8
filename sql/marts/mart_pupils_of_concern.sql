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
    pw.attending_sessions, pw.possible_sessions, pw.active_intervention_types, pw.term,
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
first_kept as (
  -- A weekly refresh keeps this model's rows of a (school, year) from a school week on
  -- (updating_from_week; empty when the model is built whole: then the window reads every row,
  -- and earlier_terms below is empty). The window then reads the weeks kept and, of each pupil's
  -- weeks before them, the last 7 (the sparkline's and the 4-week mean's reach), not the year so
  -- far; the term and year to date before the first week kept are summed once (earlier_terms).
  -- The first week kept is the school's (int_school_weeks, where week_index comes from): a pupil's
  -- weeks are school weeks, so it parts their rows as the first pupil-week kept would, from a few
  -- thousand rows rather than 4.4M pupil-weeks. (Read from the pupil-weeks, updated earlier in the
  -- refresh's transaction, its estimated size had DuckDB build the join in `read` on the 1.4M
  -- pupil-weeks instead: 0.3 CPU s more; docs/performance.md, "Session 41".)
  select w.school_id, w.academic_year, min(w.week_index) as first_kept
  from int_school_weeks w join updating_from_week u
    on u.school_id = w.school_id and u.academic_year = w.academic_year and w.week_start >= u.from_week
  group by all
),
earlier_terms as (
  -- Each pupil's weeks before the first kept, per term: the term's and the year's packed counts
  -- (the same as the window's below), and the term's last 7 weeks, each its week_index and
  -- negative events in one number (pack_week_count, sql/macros/packed_counts.sql). This reads
  -- the table, not pupil_weeks: a second reader of it would have DuckDB keep a copy of its every
  -- row.
  select i.school_id, i.student_id, i.academic_year, i.term,
    sum(pack_counts(i.bsc_placements, i.detentions_missed, 0)) as earlier_term_counts,
    sum(pack_counts(i.attending_sessions, i.possible_sessions, 1)) as earlier_ytd_sessions,
    max(pack_week_count(i.week_index, i.negative_events), 7) as last_weeks
  from int_pupil_week_indexed i
  join first_kept k on k.school_id = i.school_id and k.academic_year = i.academic_year and i.week_index < k.first_kept
  group by all
),
earlier as (
  -- …and per pupil and year: the year's counts, and its last 7 weeks, newest first.
  select school_id, student_id, academic_year, sum(earlier_ytd_sessions) as earlier_ytd_sessions,
    list_reverse_sort(flatten(list(last_weeks)))[1:7] as last_weeks
  from earlier_terms
  group by all
),
read as (
  -- The rows the window reads: those kept (every row of a year built whole), with their term's
  -- and year's counts packed; and each pupil's last 7 weeks before the first kept, for the
  -- row-based frames only (their packed counts 0: earlier_terms carries those weeks' counts).
  select pw.*, false as before_kept,
    pack_counts(pw.bsc_placements, pw.detentions_missed, 0) as term_packed,
    pack_counts(pw.attending_sessions, pw.possible_sessions, 1) as year_packed
  from pupil_weeks pw
  left join first_kept k using (school_id, academic_year)
  where k.first_kept is null or pw.week_index >= k.first_kept
  union all by name
  select e.school_id, e.academic_year, e.student_id, packed_week_index(w.week) as week_index, packed_week_count(w.week) as negative_events,
    true as before_kept, 0 as weeks_into_term, 0::DOUBLE as term_packed, 0::DOUBLE as year_packed
  from earlier e, unnest(e.last_weeks) as w(week)
),
windowed_read as (
  -- One window pass over each pupil's weeks of the year in week_index order (week_start's
  -- order). A frame within the term starts at the term's first school week (terms follow each
  -- other: a term's weeks are consecutive), so it needs no partition of their own (each would
  -- sort every row again). The sparkline's last 8 weeks of the year are this week and the 7
  -- before it, as many as the year has had.
  select r.*,
    sum(negative_events) over (w rows between 4 preceding and 1 preceding) as prev_in_year_sum,
    [lag(negative_events, 7) over w, lag(negative_events, 6) over w, lag(negative_events, 5) over w, lag(negative_events, 4) over w,
     lag(negative_events, 3) over w, lag(negative_events, 2) over w, lag(negative_events, 1) over w, negative_events] as last_8_weeks,
    -- Counts over one frame are one sum of packed counts (pack_counts, sql/macros/packed_counts.sql);
    -- the year's third count is its weeks (a 1 a week), instead of a count(*) over the same frame.
    sum(term_packed) over (w range between weeks_into_term preceding and current row) as term_counts,
    sum(year_packed) over (w rows between unbounded preceding and current row) as ytd_sessions
  from read r
  window w as (partition by school_id, student_id, academic_year order by week_index)
),
concern_weeks as (
  -- The weeks of concern kept, with the term's and year's weeks before the first kept added.
  select c.* exclude (before_kept, term_packed, year_packed) replace (
      c.term_counts + coalesce(t.earlier_term_counts, 0) as term_counts,
      c.ytd_sessions + coalesce(e.earlier_ytd_sessions, 0) as ytd_sessions),
    -- The year's weeks before this one, at most 4; the year before's last weeks make up the rest.
    least(packed_count(c.ytd_sessions + coalesce(e.earlier_ytd_sessions, 0), 2)::BIGINT - 1, 4) as prev_in_year_weeks
  from windowed_read c
  left join earlier e using (school_id, student_id, academic_year)
  left join earlier_terms t using (school_id, student_id, academic_year, term)
  where not c.before_kept and (c.negative_events >= 2 or c.serious_events > 0 or c.bsc_placements > 0)
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
  left join int_pupil_names p
    on p.school_id = r.school_id and p.student_id = r.student_id and p.academic_year = r.academic_year
  where r.concern_rank <= 10
)
select * from final
