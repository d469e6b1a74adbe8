-- Persistent and severe absence (DfE): absence ≥ 10% (persistent) or ≥ 50% (severe) of the
-- pupil's own possible sessions, authorised and unauthorised alike (docs/metrics.md). Written
-- once here; the models call these where they flag a pupil. The caller decides what a pupil
-- with no possible sessions is (usually NULL: not counted either way).
CREATE OR REPLACE MACRO is_persistently_absent(absent_sessions, possible_sessions) AS
  absent_sessions >= 0.1 * possible_sessions;
CREATE OR REPLACE MACRO is_severely_absent(absent_sessions, possible_sessions) AS
  absent_sessions >= 0.5 * possible_sessions;
