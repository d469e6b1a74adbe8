-- The raw tables have no key constraint (it made loading slow); ingest keeps school + contract
-- key unique itself. This test checks it did, for every record type but the register marks
-- (sql/tests/unique_raw_attendance.sql, checked by week). Each table is grouped by its key
-- columns as they are, and only a duplicated key is spelled out as record_key (building the
-- string for every row cost more than the grouping).
select 'students' as record_type, school_id, student_id || ' ' || academic_year as record_key, n
from (select school_id, student_id, academic_year, count(*) as n from raw.students group by all having count(*) > 1)
union all select 'behaviour', school_id, event_id || ' ' || student_id, n
from (select school_id, event_id, student_id, count(*) as n from raw.behaviour group by all having count(*) > 1)
union all select 'bsc', school_id, referral_id, count(*) from raw.bsc group by all having count(*) > 1
union all select 'detentions', school_id, detention_id, count(*) from raw.detentions group by all having count(*) > 1
union all select 'interventions', school_id, intervention_id || ' ' || student_id, n
from (select school_id, intervention_id, student_id, count(*) as n from raw.interventions group by all having count(*) > 1)
union all select 'suspensions', school_id, suspension_id, count(*) from raw.suspensions group by all having count(*) > 1
union all select 'contacts', school_id, contact_id, count(*) from raw.contacts group by all having count(*) > 1
union all select 'calendar', school_id, academic_year || ' ' || term || ' ' || start_date, n
from (select school_id, academic_year, term, start_date, count(*) as n from raw.calendar group by all having count(*) > 1)
union all select 'periods', school_id, day || ' ' || period, n
from (select school_id, day, period, count(*) as n from raw.periods group by all having count(*) > 1)
