-- A rate per 100 (docs/metrics.md: per 100 pupils on roll, per 100 pupil-weeks, per 100 of the
-- average roll): 100 × count ÷ base, null when the base is not positive (no pupils, no weeks).
-- Unrounded: callers round for their columns.
CREATE OR REPLACE MACRO per_100(count, base) AS
  case when base > 0 then 100 * count / base end;
