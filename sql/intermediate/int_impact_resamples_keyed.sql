-- incremental: school_year
-- incremental weeks: by start_week; same week of int_intervention_matches
-- The resamples behind every intervention-impact interval, drawn once here and shared by
-- mart_intervention_impact_by_type and mart_termly_intervention_impact.
-- A Poisson bootstrap over pupils: in resample rep (1 … 1,000) each pupil counts `weight`
-- times, weight ~ Poisson(1) (how often a pupil would be drawn when n are drawn with
-- replacement from a large n), the same weight whether the pupil had the intervention or was
-- a comparison pupil for someone else's. So a resample redraws both the pupils supported and
-- the comparison pupils they share (the nearest classmates of the pupils with the most
-- incidents are often the same few), and one pupil's two interventions move together.
-- The draw is a fixed hash of (school, pupil, rep), not random(): the same data always gives
-- the same resamples and the same intervals. Because the weight belongs to the pupil, not to
-- the group summed, a type, its focus, all interventions and each term are resampled alike,
-- and each group's resample is one weighted sum (no cross join of draws with pupils).
-- One row per estimated intervention and resample in which its pupil is drawn (weight > 0):
-- its comparison pupils' mean change re-weighted (comparison_negative_change, in negative events
-- per school week, and comparison_attendance_change, in points); a resample that draws none of
-- them keeps their plain mean. The DiD and counterfactual of a resample are that change plus the
-- slope adjustment as estimated (int_impact_adjustments, applied where the resamples are summed:
-- impact_resample_counterfactual_*, sql/macros/impact.sql). The adjustment is left out of these
-- rows because its slopes are fitted over the whole year: a new week changes them, but these
-- rows only from the first start week (start_week) whose windows reach the new week. The
-- changes are summed in millionths (whole numbers), so every sum is exact and never depends on
-- the order rows are added in. (The re-weighting sums them as DOUBLE: whole numbers below 2^53,
-- as these are by far, add exactly in any order, and a DOUBLE sum is cheaper than the 128-bit
-- one of BIGINTs.)
-- Each intervention's comparison pupils (at most 10) travel as ten columns beside each of its
-- resamples, so a resample's re-weighted mean is arithmetic on one row's columns: no join of
-- every comparison pupil to every resample, no group-by of those rows back into resamples, and
-- no list per row. The draws and weights: sql/macros/bootstrap.sql.
-- academic_year: the intervention's, so the model is rebuilt per school and year.
-- Keyed by intervention_key (int_intervention_matches: the intervention's number within its
-- school and year), not by the intervention and pupil ids: 13.3M rows at the trust scale, where
-- the two text ids were about 3 of the 8 CPU s of copying the table, and cost the marts a join
-- on three text keys. int_impact_resamples is the same rows with the ids (a view).
with matches as (
  select * from int_intervention_matches
),
estimated as (
  -- Interventions with a usable pupil window and at least one comparison pupil.
  select p.school_id, p.academic_year, p.intervention_key
  from matches p
  where p.nearness = 0 and p.usable and exists (
    select 1 from matches c
    where c.school_id = p.school_id and c.academic_year = p.academic_year and c.intervention_key = p.intervention_key and c.nearness > 0)
),
changes as (
  -- Everyone measured for an estimated intervention (its pupil and its comparison pupils), with
  -- the hash their draws come from (one per pupil of a school, whatever they are measured for).
  select m.*, hash(concat_ws('|', m.school_id, m.measured_id)) as h,
    round(1e6 * (m.after_negative_per_week - m.baseline_negative_per_week))::BIGINT as negative_change_e6,
    round(1e6 * (m.after_attendance_pct - m.baseline_attendance_pct))::BIGINT as attendance_change_e6
  from matches m
  join estimated e using (school_id, academic_year, intervention_key)
),
interventions as materialized (
  -- One row per estimated intervention: its pupil (hash), its comparison
  -- pupils' plain mean changes, and the comparison pupils (nearness 1 … 10) as ten columns of
  -- hash (h), change in negative events (n) and in attendance (a), NULL past the last one: a
  -- resample's re-weighted mean is then column arithmetic on whole vectors, not a list per row.
  select p.school_id, p.academic_year, p.intervention_key, p.start_week, p.h,
    sum(c.negative_change_e6) / count(c.negative_change_e6) / 1e6 as plain_negative_change,
    sum(c.attendance_change_e6) / count(c.attendance_change_e6) / 1e6 as plain_attendance_change,
    any_value(c.h) filter (where c.nearness = 1) as h1, any_value(c.negative_change_e6) filter (where c.nearness = 1) as n1, any_value(c.attendance_change_e6) filter (where c.nearness = 1) as a1,
    any_value(c.h) filter (where c.nearness = 2) as h2, any_value(c.negative_change_e6) filter (where c.nearness = 2) as n2, any_value(c.attendance_change_e6) filter (where c.nearness = 2) as a2,
    any_value(c.h) filter (where c.nearness = 3) as h3, any_value(c.negative_change_e6) filter (where c.nearness = 3) as n3, any_value(c.attendance_change_e6) filter (where c.nearness = 3) as a3,
    any_value(c.h) filter (where c.nearness = 4) as h4, any_value(c.negative_change_e6) filter (where c.nearness = 4) as n4, any_value(c.attendance_change_e6) filter (where c.nearness = 4) as a4,
    any_value(c.h) filter (where c.nearness = 5) as h5, any_value(c.negative_change_e6) filter (where c.nearness = 5) as n5, any_value(c.attendance_change_e6) filter (where c.nearness = 5) as a5,
    any_value(c.h) filter (where c.nearness = 6) as h6, any_value(c.negative_change_e6) filter (where c.nearness = 6) as n6, any_value(c.attendance_change_e6) filter (where c.nearness = 6) as a6,
    any_value(c.h) filter (where c.nearness = 7) as h7, any_value(c.negative_change_e6) filter (where c.nearness = 7) as n7, any_value(c.attendance_change_e6) filter (where c.nearness = 7) as a7,
    any_value(c.h) filter (where c.nearness = 8) as h8, any_value(c.negative_change_e6) filter (where c.nearness = 8) as n8, any_value(c.attendance_change_e6) filter (where c.nearness = 8) as a8,
    any_value(c.h) filter (where c.nearness = 9) as h9, any_value(c.negative_change_e6) filter (where c.nearness = 9) as n9, any_value(c.attendance_change_e6) filter (where c.nearness = 9) as a9,
    any_value(c.h) filter (where c.nearness = 10) as h10, any_value(c.negative_change_e6) filter (where c.nearness = 10) as n10, any_value(c.attendance_change_e6) filter (where c.nearness = 10) as a10
  from changes p
  join changes c on c.school_id = p.school_id and c.academic_year = p.academic_year and c.intervention_key = p.intervention_key and c.nearness > 0
  where p.nearness = 0 and p.baseline_negative_per_week is not null
  group by all
),
numbered as materialized (
  -- Each intervention numbered (ik) for the join back below: only the hashes and changes the
  -- draws need travel with the resamples.
  select *, row_number() over () as ik from interventions
),
blocks as materialized (
  -- The 1,000 resamples in ten blocks of 100, so that DuckDB spreads an intervention's resamples
  -- over its threads (a pipeline runs on as many threads as its source has chunks: one row per
  -- intervention alone is one chunk at a school's size). Each comparison pupil's changes with 0
  -- for a missing one (n, a), and which of them they have, packed as 1 + 2^8 (a change in negative
  -- events) + 2^16 (in attendance) (m; 0 past the last pupil): a resample's three sums of weights
  -- are then one sum of weight × m, read back by bits (each below 2^8: ten weights of at most 9).
  select ik, h,
    h1, coalesce(n1, 0)::DOUBLE as n1, coalesce(a1, 0)::DOUBLE as a1, impact_weight_flags(h1, n1, a1) as m1,
    h2, coalesce(n2, 0)::DOUBLE as n2, coalesce(a2, 0)::DOUBLE as a2, impact_weight_flags(h2, n2, a2) as m2,
    h3, coalesce(n3, 0)::DOUBLE as n3, coalesce(a3, 0)::DOUBLE as a3, impact_weight_flags(h3, n3, a3) as m3,
    h4, coalesce(n4, 0)::DOUBLE as n4, coalesce(a4, 0)::DOUBLE as a4, impact_weight_flags(h4, n4, a4) as m4,
    h5, coalesce(n5, 0)::DOUBLE as n5, coalesce(a5, 0)::DOUBLE as a5, impact_weight_flags(h5, n5, a5) as m5,
    h6, coalesce(n6, 0)::DOUBLE as n6, coalesce(a6, 0)::DOUBLE as a6, impact_weight_flags(h6, n6, a6) as m6,
    h7, coalesce(n7, 0)::DOUBLE as n7, coalesce(a7, 0)::DOUBLE as a7, impact_weight_flags(h7, n7, a7) as m7,
    h8, coalesce(n8, 0)::DOUBLE as n8, coalesce(a8, 0)::DOUBLE as a8, impact_weight_flags(h8, n8, a8) as m8,
    h9, coalesce(n9, 0)::DOUBLE as n9, coalesce(a9, 0)::DOUBLE as a9, impact_weight_flags(h9, n9, a9) as m9,
    h10, coalesce(n10, 0)::DOUBLE as n10, coalesce(a10, 0)::DOUBLE as a10, impact_weight_flags(h10, n10, a10) as m10,
    unnest(range(0, 10)) as block
  from numbered
),
drawn as (
  -- The resamples that draw the intervention's pupil (weight > 0, the only ones it counts in),
  -- with each comparison pupil's weight (w1 … w10; 0 past the last) in that resample. Each draw
  -- is a column before it becomes a weight (inside the weight's CASE each WHEN would hash again).
  select *,
    comparison_weight(h1, u1) as w1,
    comparison_weight(h2, u2) as w2,
    comparison_weight(h3, u3) as w3,
    comparison_weight(h4, u4) as w4,
    comparison_weight(h5, u5) as w5,
    comparison_weight(h6, u6) as w6,
    comparison_weight(h7, u7) as w7,
    comparison_weight(h8, u8) as w8,
    comparison_weight(h9, u9) as w9,
    comparison_weight(h10, u10) as w10
  from (
    select *,
      bootstrap_draw(h1, rep) as u1,
      bootstrap_draw(h2, rep) as u2,
      bootstrap_draw(h3, rep) as u3,
      bootstrap_draw(h4, rep) as u4,
      bootstrap_draw(h5, rep) as u5,
      bootstrap_draw(h6, rep) as u6,
      bootstrap_draw(h7, rep) as u7,
      bootstrap_draw(h8, rep) as u8,
      bootstrap_draw(h9, rep) as u9,
      bootstrap_draw(h10, rep) as u10
    from (
      select *, poisson_weight(u) as weight
      from (
        select *, bootstrap_draw(h, rep) as u
        from (select *, unnest(range(block * 100 + 1, block * 100 + 101))::INTEGER as rep from blocks)
      )
    )
    where weight > 0
  )
),
comparison_sums as (
  -- The comparison pupils re-weighted: Σ weight × change ÷ Σ weight over the pupils drawn
  -- (weight > 0; NULL when the resample draws none of them, or none with the figure). Whole
  -- numbers, summed exactly, then divided as DOUBLE. (A missing change counts 0 in its sum and
  -- its pupil's weight not in that sum's weights: the bits of m, above.)
  select *,
    case when negative_weight > 0 then negative_sum::DOUBLE end / nullif(weight_sum, 0)::DOUBLE / 1e6 as comparison_negative_change,
    attendance_sum::DOUBLE / nullif(attendance_weight, 0)::DOUBLE / 1e6 as comparison_attendance_change
  from (
    select *, weights & 255 as weight_sum, (weights >> 8) & 255 as negative_weight, weights >> 16 as attendance_weight
    from (
      select *,
        w1 * n1 + w2 * n2 + w3 * n3 + w4 * n4 + w5 * n5 + w6 * n6 + w7 * n7 + w8 * n8 + w9 * n9 + w10 * n10 as negative_sum,
        w1 * a1 + w2 * a2 + w3 * a3 + w4 * a4 + w5 * a5 + w6 * a6 + w7 * a7 + w8 * a8 + w9 * a9 + w10 * a10 as attendance_sum,
        w1 * m1 + w2 * m2 + w3 * m3 + w4 * m4 + w5 * m5 + w6 * m6 + w7 * m7 + w8 * m8 + w9 * m9 + w10 * m10 as weights
      from drawn
    )
  )
),
final as (
  -- The intervention's own figures joined back to its resamples. (The join also lets DuckDB write
  -- the rows in any order: written in the order drawn, from inputs built in the same transaction
  -- as the runner builds them, the same table cost twice the CPU.)
  select i.school_id, i.academic_year, i.intervention_key, i.start_week, s.rep, s.weight,
    coalesce(s.comparison_negative_change, i.plain_negative_change) as comparison_negative_change,
    coalesce(s.comparison_attendance_change, i.plain_attendance_change) as comparison_attendance_change
  from comparison_sums s
  join numbered i using (ik)
)
select * from final
