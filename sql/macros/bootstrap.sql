-- The bootstrap behind the intervention-impact intervals (int_impact_resamples). A pupil's
-- weight in a resample is Poisson(1) (how often a pupil would be drawn when n are drawn with
-- replacement from a large n), drawn from a fixed hash, not random(): the same data always
-- gives the same resamples.
-- bootstrap_draw: a uniform number in [0, 1) from the pupil's own hash h and the resample rep.
-- (hash() of several arguments combines them too weakly for this: draws within a resample were
-- correlated, and resampled sums varied half as much as independent draws do; hence the xor.)
CREATE OR REPLACE MACRO bootstrap_draw(h, rep) AS
  hash(xor(h, rep::UBIGINT)) / 18446744073709551616.0;
-- poisson_weight: the weight for a uniform draw u, read off the cumulative distribution of
-- Poisson(1), P(≤ k) = e⁻¹ Σ 1/j! for j ≤ k.
CREATE OR REPLACE MACRO poisson_weight(u) AS
  CASE
    WHEN u < 0.36787944117 THEN 0
    WHEN u < 0.73575888234 THEN 1
    WHEN u < 0.91969860293 THEN 2
    WHEN u < 0.98101184312 THEN 3
    WHEN u < 0.99634015317 THEN 4
    WHEN u < 0.99940581518 THEN 5
    WHEN u < 0.99991675885 THEN 6
    WHEN u < 0.99998975080 THEN 7
    WHEN u < 0.99999887479 THEN 8
    ELSE 9
  END::INTEGER;
-- impact_resample_sums: the resamples of a group of interventions (int_impact_resamples) summed
-- per resample, each intervention counted with its pupil's weight in it: the weights, Σ weight ×
-- DiD in negative events, Σ weight × DiD in attendance and the weights of those that have one
-- (millionths). As DOUBLE: whole numbers below 2^53 add exactly in any order. Both impact marts
-- sum the resamples with it; a group's mean DiD in a resample is then negative_did ÷ weight.
CREATE OR REPLACE MACRO impact_resample_sums(resample_weight, resample_negative_did, resample_attendance_did) AS {
  weight: sum(resample_weight::DOUBLE),
  negative_did: sum((resample_weight * resample_negative_did)::DOUBLE),
  attendance_did: sum((resample_weight * resample_attendance_did)::DOUBLE),
  attendance_weight: sum(resample_weight::DOUBLE) FILTER (WHERE resample_attendance_did IS NOT NULL)
};
-- comparison_weight: a comparison pupil's weight in a resample from their hash h and their draw u
-- (bootstrap_draw(h, rep)); 0 where there is no such pupil (h NULL: an intervention with fewer
-- than 10 comparison pupils; hash(NULL) is a number, so u is not NULL there).
CREATE OR REPLACE MACRO comparison_weight(h, u) AS
  CASE WHEN h IS NULL THEN 0 ELSE poisson_weight(u) END;
-- impact_weight_flags: what a comparison pupil's weight counts in, for int_impact_resamples_keyed
-- (a sum of weight × flags over the ten pupils holds all three sums of weights, 8 bits each):
-- 1 (all weights) + 2^8 when they have a change in negative events (n) + 2^16 when they have one
-- in attendance (a); 0 where there is no such pupil (h NULL).
CREATE OR REPLACE MACRO impact_weight_flags(h, n, a) AS
  CASE WHEN h IS NULL THEN 0 ELSE 1 + CASE WHEN n IS NULL THEN 0 ELSE 256 END + CASE WHEN a IS NULL THEN 0 ELSE 65536 END END::INTEGER;
