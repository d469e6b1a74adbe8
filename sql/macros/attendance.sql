-- Persistent and severe absence (DfE): absence ≥ 10% (persistent) or ≥ 50% (severe) of the
-- pupil's own possible sessions, authorised and unauthorised alike (docs/metrics.md). Written
-- once here; the models call these where they flag a pupil. The caller decides what a pupil
-- with no possible sessions is (usually NULL: not counted either way).
CREATE OR REPLACE MACRO is_persistently_absent(absent_sessions, possible_sessions) AS
  absent_sessions >= 0.1 * possible_sessions;
CREATE OR REPLACE MACRO is_severely_absent(absent_sessions, possible_sessions) AS
  absent_sessions >= 0.5 * possible_sessions;
-- The same from attending and possible sessions so far, for a pupil's standing: null (neither
-- flagged nor cleared) while the pupil has no possible session.
CREATE OR REPLACE MACRO persistently_absent_so_far(attending_sessions, possible_sessions) AS
  case when possible_sessions > 0 then is_persistently_absent(possible_sessions - attending_sessions, possible_sessions) end;
CREATE OR REPLACE MACRO severely_absent_so_far(attending_sessions, possible_sessions) AS
  case when possible_sessions > 0 then is_severely_absent(possible_sessions - attending_sessions, possible_sessions) end;

-- Attendance % (docs/metrics.md): attending sessions ÷ possible sessions × 100, per possible
-- session; null when there is no possible session. Unrounded: callers round for their columns.
CREATE OR REPLACE MACRO attendance_pct(attending_sessions, possible_sessions) AS
  100.0 * attending_sessions / nullif(possible_sessions, 0);

-- The school's RAG bands of attendance % (docs/metrics.md): green ≥ 96, amber 93–95.9,
-- amber/red 90–92.9 (the at-risk band, just above persistent absence), red < 90; null for no
-- figure. Written once here for every model that bands a pupil or flags the at-risk band.
CREATE OR REPLACE MACRO attendance_band(attendance_pct) AS
  case when attendance_pct is null then null
       when attendance_pct >= 96 then 'green'
       when attendance_pct >= 93 then 'amber'
       when attendance_pct >= 90 then 'amber/red'
       else 'red' end;
CREATE OR REPLACE MACRO is_at_risk_band(attendance_pct) AS
  attendance_band(attendance_pct) = 'amber/red';

-- The penalty-notice threshold: 10 or more unauthorised sessions in 10 school weeks.
CREATE OR REPLACE MACRO at_penalty_threshold(unauthorised_in_10_weeks) AS
  unauthorised_in_10_weeks >= 10;
