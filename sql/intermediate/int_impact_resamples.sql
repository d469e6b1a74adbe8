-- incremental: school_year
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
-- the intervention's DiD and counterfactual with its comparison pupils' mean change
-- re-weighted (the slope adjustment is kept as estimated). A resample that draws none of an
-- intervention's comparison pupils keeps their plain mean. Values are in millionths (*_e6,
-- whole numbers), so every sum is exact and fast, and never depends on the order rows are
-- added in. (The re-weighting sums them as DOUBLE: whole numbers below 2^53, as these are by
-- far, add exactly in any order, and a DOUBLE sum is cheaper than the 128-bit one of BIGINTs.)
-- Each intervention's comparison pupils (at most 10) travel as one list beside each of its
-- resamples, so a resample's re-weighted mean is a sum over one row's list: no join of every
-- comparison pupil to every resample, and no group-by of those rows back into resamples (which
-- was most of this model's time). The draws and weights: sql/macros/bootstrap.sql.
-- academic_year: the intervention's, so the model is rebuilt per school and year.
with matches as (
  select * from int_intervention_matches
),
estimated as (
  -- Interventions with a usable pupil window and at least one comparison pupil.
  select p.school_id, p.intervention_id, p.student_id,
    row_number() over (order by p.school_id, p.intervention_id, p.student_id) as iid
  from matches p
  where p.nearness = 0 and p.usable and exists (
    select 1 from matches c
    where c.school_id = p.school_id and c.intervention_id = p.intervention_id and c.student_id = p.student_id and c.nearness > 0)
),
changes as (
  -- Everyone measured for an estimated intervention (its pupil and its comparison pupils), with
  -- the hash their draws come from (one per pupil of a school, whatever they are measured for).
  select m.*, e.iid, hash(concat_ws('|', m.school_id, m.measured_id)) as h,
    round(1e6 * (m.after_negative_per_week - m.baseline_negative_per_week))::BIGINT as negative_change_e6,
    round(1e6 * (m.after_attendance_pct - m.baseline_attendance_pct))::BIGINT as attendance_change_e6
  from matches m
  join estimated e using (school_id, intervention_id, student_id)
),
plain as (
  select iid,
    sum(negative_change_e6) / count(negative_change_e6) / 1e6 as plain_negative_change,
    sum(attendance_change_e6) / count(attendance_change_e6) / 1e6 as plain_attendance_change
  from changes where nearness > 0
  group by iid
),
comparison_lists as (
  -- Each intervention's comparison pupils (nearness 1 … 10): hash and changes, as one list.
  select iid, list({h: h, n: negative_change_e6, a: attendance_change_e6} order by nearness) as pupils
  from changes where nearness > 0
  group by iid
),
drawn as (
  -- The resamples that draw the intervention's pupil (weight > 0, the only ones it counts in),
  -- with each comparison pupil's weight (w) in that resample beside its changes.
  select iid, rep, weight, list_transform(drawn_pupils, p -> {w: poisson_weight(p.u), n: p.n, a: p.a}) as pupils
  from (
    select *, poisson_weight(u) as weight from (
      select p.iid, r.range::INTEGER as rep, bootstrap_draw(p.h, r.range) as u,
        list_transform(l.pupils, c -> {u: bootstrap_draw(c.h, r.range), n: c.n, a: c.a}) as drawn_pupils
      from changes p
      join comparison_lists l using (iid)
      cross join range(1, 1001) r
      where p.nearness = 0 and p.baseline_negative_per_week is not null
    )
  )
  where weight > 0
),
comparison_sums as (
  -- The comparison pupils re-weighted: Σ weight × change ÷ Σ weight over the pupils drawn
  -- (weight > 0; NULL when the resample draws none of them, or none with the figure).
  select iid, rep, weight,
    list_sum(list_transform(pupils, p -> case when p.w > 0 then (p.w * p.n)::DOUBLE end))
      / list_sum(list_transform(pupils, p -> case when p.w > 0 then p.w::DOUBLE end)) / 1e6 as comparison_negative_change,
    list_sum(list_transform(pupils, p -> case when p.w > 0 then (p.w * p.a)::DOUBLE end))
      / list_sum(list_transform(pupils, p -> case when p.w > 0 and p.a is not null then p.w::DOUBLE end)) / 1e6 as comparison_attendance_change
  from drawn
),
counterfactuals as (
  select p.school_id, p.academic_year, p.intervention_id, p.student_id, s.rep, s.weight, p.after_negative_per_week, p.after_attendance_pct,
    greatest(0, p.baseline_negative_per_week + coalesce(s.comparison_negative_change, l.plain_negative_change)
      + case when p.on_attendance then 0 else coalesce(p.adjustment, 0) end) as cf_negative,
    least(100, greatest(0, p.baseline_attendance_pct + coalesce(s.comparison_attendance_change, l.plain_attendance_change)
      + case when p.on_attendance then coalesce(p.adjustment, 0) else 0 end)) as cf_attendance
  from comparison_sums s
  join changes p on p.iid = s.iid and p.nearness = 0
  join plain l on l.iid = s.iid
),
final as (
  select school_id, academic_year, intervention_id, student_id, rep, weight,
    round(1e6 * (after_negative_per_week - cf_negative))::BIGINT as negative_did_e6,
    round(1e6 * (after_attendance_pct - cf_attendance))::BIGINT as attendance_did_e6,
    round(1e6 * cf_negative)::BIGINT as counterfactual_after_negative_per_week_e6
  from counterfactuals
)
select * from final
