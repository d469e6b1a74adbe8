-- incremental: school_year
-- Intervention impact for the termly report, as it stood at the end of each term, safe to share.
-- Per school, academic year and term, per intervention type, per focus and for all
-- interventions (breakdown = 'type' | 'focus' | 'all'): the interventions of the academic year
-- that had started by the term's last school day (interventions_started), and, of those, the
-- ones whose six school weeks after the start (settings.impact_window_weeks) had passed by then
-- with a usable estimate in mart_intervention_impact (interventions_measured, one per pupil
-- supported): the mean change in negative events per school week, the difference-in-
-- differences (DiD) against matched comparison pupils with a basic bootstrap 95% interval (2 ×
-- the estimate − the 97.5th and 2.5th percentiles of the 1,000 resamples of int_impact_resamples,
-- shared with mart_intervention_impact_by_type;
-- sums are exact, so the figures never depend on row order), and the same for
-- attendance (percentage points), each with a plain-words verdict read from the unrounded
-- interval. The bounds are rounded as the estimates are (2 decimals, 1 for attendance), but a
-- bound that is not 0 keeps its first significant digit (+0.04, not 0.0: impact_bound), so a
-- verdict of a clear difference never stands beside a bound shown as 0.
-- Small numbers: below settings.impact_min_pupils (10) measured interventions no estimate is
-- given ("too few pupils to say": the DiD columns are NULL here, not only hidden on the page);
-- counts below settings.small_count_threshold (5) are NULL with *_suppression = 'fewer than 5',
-- and a second count is hidden ('secondary') when one alone could be got back from the total.
-- No pupil ids leave this model.
with settings_row as (
  select * from settings
),
terms as (
  select * from mart_termly_terms
),
weeks as (
  select school_id, week_start, week_index from int_school_weeks
),
impacts as (
  select i.*,
    (select min(w.week_index) from weeks w where w.school_id = i.school_id and w.week_start >= school_week_start(i.start_date)) as start_index
  from mart_intervention_impact i
  where i.usable and i.negative_did is not null
),
measured as (
  -- The week the "after" window ends: start week + window weeks.
  select i.*,
    (select max(w.week_start) from weeks w where w.school_id = i.school_id and w.week_index <= i.start_index + i.window_weeks) as after_last_week
  from impacts i
),
in_term as (
  select t.school_id, t.academic_year, t.term, m.intervention_id, m.student_id, m.type, m.focus,
    m.negative_change::DECIMAL(18, 3) as negative_change, m.negative_did::DECIMAL(18, 3) as negative_did,
    m.attendance_did::DECIMAL(18, 2) as attendance_did
  from terms t
  join measured m
    on m.school_id = t.school_id and m.academic_year = t.academic_year
   and m.start_date <= t.last_day and m.after_last_week <= t.last_day
),
both_levels as (
  -- Each intervention in its type, its focus and all interventions (sql/macros/impact.sql).
  select *, unnest(impact_breakdowns(type, focus), recursive := true) from in_term
),
first_term as (
  -- The last day of the first term by whose end each intervention was measured: it counts in
  -- that term and every later one of its academic year (the terms' last days only grow).
  select *,
    -- A whole number per school, year, type, focus and first term, to sum the resamples on.
    dense_rank() over (order by school_id, academic_year, type, focus, first_last_day) as group_key
  from (
    select m.school_id, m.academic_year, m.intervention_id, m.student_id, m.type, m.focus, min(t.last_day) as first_last_day
    from measured m
    join terms t
      on t.school_id = m.school_id and t.academic_year = m.academic_year
     and m.start_date <= t.last_day and m.after_last_week <= t.last_day
    group by all
  ) f
  -- The intervention's key in the resamples (int_impact_resamples_keyed), its pupil's windows and
  -- its slope adjustment (int_impact_adjustments).
  join (select school_id, academic_year, intervention_id, student_id, intervention_key, on_attendance,
          baseline_negative_per_week as pupil_baseline_negative, after_negative_per_week as pupil_after_negative,
          baseline_attendance_pct as pupil_baseline_attendance, after_attendance_pct as pupil_after_attendance, adjustment
        from int_impact_adjustments) k
    using (school_id, academic_year, intervention_id, student_id)
),
resamples as (
  -- The shared resamples (int_impact_resamples_keyed) of each intervention, with its DiD in each:
  -- its re-weighted comparison change plus its adjustment as estimated (sql/macros/impact.sql),
  -- in millionths, so the sums below are exact.
  select group_key, rep, weight,
    round(1e6 * (f.pupil_after_negative - impact_resample_counterfactual_negative(f.pupil_baseline_negative, x.comparison_negative_change, f.on_attendance, f.adjustment)))::BIGINT
      as negative_did_e6,
    round(1e6 * (f.pupil_after_attendance - impact_resample_counterfactual_attendance(f.pupil_baseline_attendance, x.comparison_attendance_change, f.on_attendance, f.adjustment)))::BIGINT
      as attendance_did_e6
  from first_term f
  join int_impact_resamples_keyed x on x.school_id = f.school_id and x.academic_year = f.academic_year and x.intervention_key = f.intervention_key
),
resample_sums as (
  -- The resamples (above): each intervention counted its pupil's weight.
  -- One pass, summed per type, focus and first term measured; each term's sums are those of
  -- the first terms up to it, and a focus's or the school's are sums of the types'.
  -- (impact_resample_sums: sql/macros/bootstrap.sql.)
  select s.group_key, s.rep, unnest(s.sums)
  from (
    select x.group_key, x.rep, impact_resample_sums(x.weight, x.negative_did_e6, x.attendance_did_e6) as sums
    from resamples x
    group by x.group_key, x.rep
  ) s
),
labels as (
  -- Where each group's sums count: every term of its year from its first term measured on, in
  -- its type, its focus and all interventions (sql/macros/impact.sql). Each (school, year, term,
  -- breakdown, label) is numbered (label_key), so the resamples are rolled up on whole numbers
  -- and their labels joined back only to the intervals.
  select *, dense_rank() over (order by school_id, academic_year, term, breakdown, label) as label_key
  from (
    select g.group_key, t.school_id, t.academic_year, t.term, unnest(impact_breakdowns(g.type, g.focus), recursive := true)
    from (select distinct group_key, school_id, academic_year, type, focus, first_last_day from first_term) g
    join terms t on t.school_id = g.school_id and t.academic_year = g.academic_year and g.first_last_day <= t.last_day
  )
),
resampled as (
  select l.label_key, r.rep,
    sum(r.negative_did) / sum(r.weight) / 1e6 as mean_did,
    sum(r.attendance_did) / sum(r.attendance_weight) / 1e6 as mean_attendance_did
  from resample_sums r
  join labels l using (group_key)
  group by l.label_key, r.rep
),
quantiles as (
  select l.school_id, l.academic_year, l.term, l.breakdown, l.label, q.* exclude (label_key)
  from (
    select label_key,
      quantile_cont(mean_did, 0.025) as did_q025, quantile_cont(mean_did, 0.975) as did_q975,
      quantile_cont(mean_attendance_did, 0.025) as attendance_did_q025,
      quantile_cont(mean_attendance_did, 0.975) as attendance_did_q975
    from resampled group by label_key
  ) q
  join (select distinct label_key, school_id, academic_year, term, breakdown, label from labels) l using (label_key)
),
estimates as (
  select school_id, academic_year, term, breakdown, label, count(*)::INTEGER as pupils_measured,
    avg(negative_change) as mean_negative_change, avg(negative_did) as did, avg(attendance_did) as attendance_did
  from both_levels group by all
),
intervals as (
  -- The basic bootstrap interval, as in mart_intervention_impact_by_type: 2 × the estimate − the
  -- 97.5th (low) and 2.5th (high) percentiles of the resampled estimates.
  select q.school_id, q.academic_year, q.term, q.breakdown, q.label,
    2 * e.did - q.did_q975 as did_low, 2 * e.did - q.did_q025 as did_high,
    2 * e.attendance_did - q.attendance_did_q975 as attendance_did_low, 2 * e.attendance_did - q.attendance_did_q025 as attendance_did_high
  from quantiles q
  join estimates e using (school_id, academic_year, term, breakdown, label)
),
started as (
  select t.school_id, t.academic_year, t.term, i.type, i.focus
  from terms t
  join stg_interventions i
    on i.school_id = t.school_id and academic_year_of(i.start_date) = t.academic_year and i.start_date <= t.last_day
  where i.status <> 'planned'
),
all_labels as (
  -- Every type and focus with interventions started, even with no estimate, so the page can say so.
  select school_id, academic_year, term, breakdown, label, count(*)::INTEGER as interventions_started
  from (select school_id, academic_year, term, unnest(impact_breakdowns(type, focus), recursive := true) from started)
  group by all
),
joined as (
  select a.school_id, a.academic_year, a.term, a.breakdown, a.label, a.interventions_started,
    coalesce(e.pupils_measured, 0) as pupils_measured, e.mean_negative_change, e.did, e.attendance_did,
    i.did_low, i.did_high, i.attendance_did_low, i.attendance_did_high,
    s.small_count_threshold, s.impact_min_pupils, s.impact_window_weeks
  from all_labels a
  cross join settings_row s
  left join estimates e using (school_id, academic_year, term, breakdown, label)
  left join intervals i using (school_id, academic_year, term, breakdown, label)
),
flagged as (
  -- Types (and foci) add up to all interventions: when one count alone in a breakdown is below
  -- the threshold, or the small ones add up to less than it, the next smallest is hidden too.
  select j.*,
    j.interventions_started < j.small_count_threshold as started_small,
    j.pupils_measured < j.small_count_threshold as measured_small,
    count(*) filter (where j.interventions_started < j.small_count_threshold) over w as started_small_n,
    coalesce(sum(j.interventions_started) filter (where j.interventions_started < j.small_count_threshold) over w, 0) as started_small_sum,
    row_number() over (partition by school_id, academic_year, term, breakdown, j.interventions_started < j.small_count_threshold
                       order by j.interventions_started, j.label) as started_rank,
    count(*) filter (where j.pupils_measured < j.small_count_threshold) over w as measured_small_n,
    coalesce(sum(j.pupils_measured) filter (where j.pupils_measured < j.small_count_threshold) over w, 0) as measured_small_sum,
    row_number() over (partition by school_id, academic_year, term, breakdown, j.pupils_measured < j.small_count_threshold
                       order by j.pupils_measured, j.label) as measured_rank
  from joined j
  window w as (partition by school_id, academic_year, term, breakdown)
),
suppressed as (
  select f.*,
    f.started_small or (f.breakdown <> 'all' and f.started_rank = 1
      and (f.started_small_n = 1 or (f.started_small_n > 1 and f.started_small_sum < f.small_count_threshold))) as started_hidden,
    f.measured_small or (f.breakdown <> 'all' and f.measured_rank = 1
      and (f.measured_small_n = 1 or (f.measured_small_n > 1 and f.measured_small_sum < f.small_count_threshold))) as measured_hidden
  from flagged f
),
final as (
  select j.school_id, j.academic_year, j.term, t.term_label, t.term_index, j.breakdown, j.label,
    case when not j.started_hidden then j.interventions_started end as interventions_started,
    case when j.started_small then 'fewer than ' || j.small_count_threshold when j.started_hidden then 'secondary' end
      as interventions_started_suppression,
    case when not j.measured_hidden then j.pupils_measured end as interventions_measured,
    case when j.measured_small then 'fewer than ' || j.small_count_threshold when j.measured_hidden then 'secondary' end
      as interventions_measured_suppression,
    j.pupils_measured >= j.impact_min_pupils as enough_measured,
    case when j.pupils_measured >= j.impact_min_pupils then round(j.mean_negative_change, 2) end as mean_negative_change,
    case when j.pupils_measured >= j.impact_min_pupils then round(j.did, 2) end as negative_did,
    case when j.pupils_measured >= j.impact_min_pupils then impact_bound(j.did_low, 2) end as negative_did_low,
    case when j.pupils_measured >= j.impact_min_pupils then impact_bound(j.did_high, 2) end as negative_did_high,
    case when j.pupils_measured >= j.impact_min_pupils then round(j.attendance_did, 1) end as attendance_did,
    case when j.pupils_measured >= j.impact_min_pupils then impact_bound(j.attendance_did_low, 1) end as attendance_did_low,
    case when j.pupils_measured >= j.impact_min_pupils then impact_bound(j.attendance_did_high, 1) end as attendance_did_high,
    -- The verdicts from the unrounded interval; the bounds above are rounded, but one that is
    -- not 0 is never shown as 0 (impact_bound, sql/macros/impact.sql), so a bound shown beside
    -- 'better' or 'worse' never reads as including 0.
    case when j.pupils_measured < j.impact_min_pupils then 'too few pupils to say'
         when j.did_high < 0 then 'fewer negative events than similar pupils'
         when j.did_low > 0 then 'more negative events than similar pupils'
         else 'no clear difference' end as behaviour_verdict,
    case when j.pupils_measured < j.impact_min_pupils then 'too few pupils to say'
         when j.attendance_did_low > 0 then 'better attendance than similar pupils'
         when j.attendance_did_high < 0 then 'worse attendance than similar pupils'
         else 'no clear difference' end as attendance_verdict,
    j.impact_min_pupils, j.impact_window_weeks, j.small_count_threshold
  from suppressed j
  join terms t using (school_id, academic_year, term)
)
select * from final
