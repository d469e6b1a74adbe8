-- The raw tables have no key constraint (it made loading slow); ingest keeps school + contract
-- key unique itself. This test checks it did for the record types placed by academic year or by
-- nothing (pupils, the calendar, the periods); the dated ones are checked by week
-- (sql/tests/unique_raw_dated_keys.sql), the register marks too (unique_raw_attendance.sql).
-- Each table is grouped by its key columns as they are, and only a duplicated key is spelled
-- out as record_key (building the string for every row cost more than the grouping).
select 'students' as record_type, school_id, student_id || ' ' || academic_year as record_key, n
from (select school_id, student_id, academic_year, count(*) as n from raw.students group by all having count(*) > 1)
union all select 'calendar', school_id, academic_year || ' ' || term || ' ' || start_date, n
from (select school_id, academic_year, term, start_date, count(*) as n from raw.calendar group by all having count(*) > 1)
union all select 'periods', school_id, day || ' ' || period, n
from (select school_id, day, period, count(*) as n from raw.periods group by all having count(*) > 1)
