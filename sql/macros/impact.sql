-- The breakdowns of the intervention-impact marts (mart_intervention_impact_by_type,
-- mart_termly_intervention_impact): each intervention counts in its type, in its focus and in
-- all interventions. A list of three (breakdown, label) rows to unnest beside the intervention's
-- own row (`unnest(impact_breakdowns(type, focus), recursive := true)`): breakdown = 'type' |
-- 'focus' | 'all', label = the type, the focus, or 'All interventions'.
CREATE OR REPLACE MACRO impact_breakdowns(impact_type, impact_focus) AS
  [{breakdown: 'type', label: impact_type}, {breakdown: 'focus', label: impact_focus}, {breakdown: 'all', label: 'All interventions'}];
-- impact_totals: a pupil's running totals to a week (weeks on roll, negative events, possible and
-- attending sessions) packed into one whole number, 32 bits each, so int_intervention_matches
-- keeps one running sum and lags one number instead of four. Exact while each of a pupil's
-- totals over all their weeks stays below 2^32 (4,294,967,296) and none is negative: sums of
-- packed numbers are then the packed sums, and so are differences of two running totals.
-- impact_total_weeks / _negative / _possible / _attending read each total back.
CREATE OR REPLACE MACRO impact_totals(weeks, negative, possible, attending) AS
  ((weeks::HUGEINT * 4294967296 + negative) * 4294967296 + possible) * 4294967296 + attending;
CREATE OR REPLACE MACRO impact_total_weeks(totals) AS (totals >> 96)::BIGINT;
CREATE OR REPLACE MACRO impact_total_negative(totals) AS ((totals >> 64) & 4294967295)::BIGINT;
CREATE OR REPLACE MACRO impact_total_possible(totals) AS ((totals >> 32) & 4294967295)::BIGINT;
CREATE OR REPLACE MACRO impact_total_attending(totals) AS ((totals & 4294967295)::BIGINT);
-- impact_resample_counterfactual_negative / _attendance: a resample's counterfactual after-rate
-- for one intervention (int_impact_resamples_keyed, summed by the impact marts): the pupil's
-- baseline + the resample's re-weighted comparison change + the slope adjustment as estimated
-- (int_impact_adjustments), on the measure the intervention aims at (on_attendance), kept
-- within 0 (and 100 for attendance), as mart_intervention_impact works out the estimate itself.
CREATE OR REPLACE MACRO impact_resample_counterfactual_negative(baseline, comparison_change, on_attendance, adjustment) AS
  greatest(0, baseline + comparison_change + CASE WHEN on_attendance THEN 0 ELSE coalesce(adjustment, 0) END);
CREATE OR REPLACE MACRO impact_resample_counterfactual_attendance(baseline, comparison_change, on_attendance, adjustment) AS
  least(100, greatest(0, baseline + comparison_change + CASE WHEN on_attendance THEN coalesce(adjustment, 0) ELSE 0 END));
-- impact_bound: an interval's bound as the impact marts show it: rounded to `digits` decimals,
-- except that a bound which is not 0 is never shown as 0: it keeps its first significant digit
-- (0.04 at 1 decimal stays 0.04, −0.003 at 2 stays −0.003). The verdicts are read from the
-- unrounded interval, and a bound shown as 0.0 beside "better attendance than similar pupils"
-- would read as an interval that includes 0, which the report says cannot be told apart from
-- no difference. A bound that is 0 stays 0.
CREATE OR REPLACE MACRO impact_bound(bound, digits) AS
  CASE WHEN round(bound, digits) = 0 AND bound <> 0
    THEN round(bound, (-floor(log10(abs(bound))))::INTEGER)
    ELSE round(bound, digits) END;
