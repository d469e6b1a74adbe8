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
pupils as (
  -- Everyone measured for an estimated intervention: its pupil and its comparison pupils.
  -- (Whole-number keys iid and pid keep the joins and groupings below cheap.)
  select school_id, measured_id, hash(concat_ws('|', school_id, measured_id)) as h,
    row_number() over (order by school_id, measured_id) as pid
  from (
    select distinct m.school_id, m.measured_id
    from matches m
    join estimated e using (school_id, intervention_id, student_id)
  )
),
draws as (
  -- u: a uniform number in [0, 1) from a hash of the pupil's hash and rep. (hash() of several
  -- arguments combines them too weakly for this: draws within a resample were correlated, and
  -- resampled sums varied half as much as independent draws do.)
  select pid, r.range::INTEGER as rep, hash(xor(h, r.range::UBIGINT)) / 18446744073709551616.0 as u
  from pupils
  cross join range(1, 1001) r
),
weights as (
  -- Poisson(1) by its cumulative distribution: P(≤ k) = e⁻¹ Σ 1/j! for j ≤ k; weight 0 dropped.
  select * from (
    select pid, rep,
      case
        when u < 0.36787944117 then 0
        when u < 0.73575888234 then 1
        when u < 0.91969860293 then 2
        when u < 0.98101184312 then 3
        when u < 0.99634015317 then 4
        when u < 0.99940581518 then 5
        when u < 0.99991675885 then 6
        when u < 0.99998975080 then 7
        when u < 0.99999887479 then 8
        else 9
      end::INTEGER as weight
    from draws
  )
  where weight > 0
),
changes as (
  select m.*, e.iid, p.pid,
    round(1e6 * (m.after_negative_per_week - m.baseline_negative_per_week))::BIGINT as negative_change_e6,
    round(1e6 * (m.after_attendance_pct - m.baseline_attendance_pct))::BIGINT as attendance_change_e6
  from matches m
  join estimated e using (school_id, intervention_id, student_id)
  join pupils p using (school_id, measured_id)
),
plain as (
  select iid,
    sum(negative_change_e6) / count(negative_change_e6) / 1e6 as plain_negative_change,
    sum(attendance_change_e6) / count(attendance_change_e6) / 1e6 as plain_attendance_change
  from changes where nearness > 0
  group by iid
),
comparison_sums as (
  -- Each intervention's comparison pupils re-weighted in every resample, grouped on one whole
  -- number for intervention and resample (draw_key; cheaper to group on than the two).
  -- (Restricting this to the resamples that draw the intervention's own pupil, the only ones
  -- it is counted in, cut the rows by a third but cost more in the extra join than it saved.)
  select c.iid * 1024 + w.rep as draw_key,
    sum((w.weight * c.negative_change_e6)::DOUBLE) / sum(w.weight::DOUBLE) / 1e6 as comparison_negative_change,
    sum((w.weight * c.attendance_change_e6)::DOUBLE) / sum(w.weight::DOUBLE) filter (where c.attendance_change_e6 is not null) / 1e6 as comparison_attendance_change
  from changes c
  join weights w on w.pid = c.pid
  where c.nearness > 0
  group by c.iid * 1024 + w.rep
),
counterfactuals as (
  select p.school_id, p.intervention_id, p.student_id, w.rep, w.weight, p.after_negative_per_week, p.after_attendance_pct,
    greatest(0, p.baseline_negative_per_week + coalesce(s.comparison_negative_change, l.plain_negative_change)
      + case when p.on_attendance then 0 else coalesce(p.adjustment, 0) end) as cf_negative,
    least(100, greatest(0, p.baseline_attendance_pct + coalesce(s.comparison_attendance_change, l.plain_attendance_change)
      + case when p.on_attendance then coalesce(p.adjustment, 0) else 0 end)) as cf_attendance
  from changes p
  join weights w on w.pid = p.pid
  join plain l on l.iid = p.iid
  left join comparison_sums s on s.draw_key = p.iid * 1024 + w.rep
  where p.nearness = 0 and p.baseline_negative_per_week is not null
),
final as (
  select school_id, intervention_id, student_id, rep, weight,
    round(1e6 * (after_negative_per_week - cf_negative))::BIGINT as negative_did_e6,
    round(1e6 * (after_attendance_pct - cf_attendance))::BIGINT as attendance_did_e6,
    round(1e6 * cf_negative)::BIGINT as counterfactual_after_negative_per_week_e6
  from counterfactuals
)
select * from final
