-- test partitions: school_week
-- The dated record types' keys are unique by school (ingest keeps them so; the raw tables have
-- no key constraint): behaviour events, BSC placements, detentions, interventions, suspensions
-- and parent contacts (sql/tests/unique_raw_keys.sql checks the undated ones). Two rows of one
-- key need not share a week (an event's date corrected), so a refresh checks each key of the
-- rows in the weeks that changed (raw.<table>, those weeks' rows in a run by week) against every
-- row of its table (raw.<table>__all_rows: src/models/dependencies.ts). A key that occurs twice
-- has a row in a changed week, or it occurred twice when this test last passed, which it cannot
-- have. Run whole, raw.<table> is every row too. The rows are matched by a hash of the key
-- (a second hash is cheaper to join on than the key's columns: a whole run 1.4 CPU s at the
-- trust, 1.65 joined on the columns; the plain group 0.9), then grouped by the key itself, which
-- decides (a rare hash shared by two keys only adds a row to group; NULLs group together, as the
-- hashes of NULL keys match). Only a duplicated key is spelled out as record_key.
select 'behaviour' as record_type, school_id, event_id || ' ' || student_id as record_key, n
from (
  select a.school_id, a.event_id, a.student_id, count(*) as n from raw.behaviour__all_rows a
  semi join raw.behaviour k on hash(k.school_id, k.event_id, k.student_id) = hash(a.school_id, a.event_id, a.student_id)
  group by all having count(*) > 1
)
union all select 'bsc', school_id, referral_id, n
from (
  select a.school_id, a.referral_id, count(*) as n from raw.bsc__all_rows a
  semi join raw.bsc k on hash(k.school_id, k.referral_id) = hash(a.school_id, a.referral_id)
  group by all having count(*) > 1
)
union all select 'detentions', school_id, detention_id, n
from (
  select a.school_id, a.detention_id, count(*) as n from raw.detentions__all_rows a
  semi join raw.detentions k on hash(k.school_id, k.detention_id) = hash(a.school_id, a.detention_id)
  group by all having count(*) > 1
)
union all select 'interventions', school_id, intervention_id || ' ' || student_id, n
from (
  select a.school_id, a.intervention_id, a.student_id, count(*) as n from raw.interventions__all_rows a
  semi join raw.interventions k on hash(k.school_id, k.intervention_id, k.student_id) = hash(a.school_id, a.intervention_id, a.student_id)
  group by all having count(*) > 1
)
union all select 'suspensions', school_id, suspension_id, n
from (
  select a.school_id, a.suspension_id, count(*) as n from raw.suspensions__all_rows a
  semi join raw.suspensions k on hash(k.school_id, k.suspension_id) = hash(a.school_id, a.suspension_id)
  group by all having count(*) > 1
)
union all select 'contacts', school_id, contact_id, n
from (
  select a.school_id, a.contact_id, count(*) as n from raw.contacts__all_rows a
  semi join raw.contacts k on hash(k.school_id, k.contact_id) = hash(a.school_id, a.contact_id)
  group by all having count(*) > 1
)
