-- The resamples behind every intervention-impact interval, drawn once and shared by
-- mart_intervention_impact_by_type and mart_termly_intervention_impact (so the two can never
-- disagree on how they resample, and neither draws its own).
-- A Poisson bootstrap: in resample rep (1 … 1,000) each intervention (school, intervention,
-- pupil) is counted `weight` times, weight ~ Poisson(1), the number of times it would be drawn
-- when n are drawn with replacement from a large n. The draw is a fixed hash of (school,
-- intervention, pupil, rep), not random(): the same data always gives the same resamples and
-- the same intervals, and one intervention's weights do not move when another is added.
-- Because the weights belong to the intervention, not to the group it is summed in, a type,
-- its focus, all interventions and each term are resampled consistently, and a resample is one
-- weighted sum per group (no cross join of every draw with every pupil). Weight 0 (about 37%
-- of draws) is not stored.
with interventions as (
  select distinct school_id, intervention_id, student_id
  from stg_interventions
  where status <> 'planned'
),
draws as (
  -- u: a uniform number in [0, 1) from the hash of one string. (hash() of several arguments
  -- combines them too weakly for this: its draws within a resample were correlated, and the
  -- resampled sums varied half as much as independent draws do.)
  select i.school_id, i.intervention_id, i.student_id, r.range::INTEGER as rep,
    hash(concat_ws('|', i.school_id, i.intervention_id, i.student_id, r.range)) / 18446744073709551616.0 as u
  from interventions i
  cross join range(1, 1001) r
),
weighted as (
  -- Poisson(1) by its cumulative distribution: P(≤ k) = e⁻¹ Σ 1/j! for j ≤ k.
  select school_id, intervention_id, student_id, rep,
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
select * from weighted where weight > 0
