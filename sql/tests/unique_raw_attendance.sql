-- test partitions: school_week
-- The register marks are unique by school, pupil, date and session (ingest keeps them so; the
-- raw tables have no key constraint: sql/tests/unique_raw_keys.sql checks the other record
-- types). Two marks with one key share their date, so their school week: a refresh checks only
-- the weeks whose marks changed (`-- test partitions: school_week`), not the 41M marks of a trust.
-- The marks are first checked a pupil and calendar year at a time, each mark setting one bit of
-- a bitstring (its day of the year, PM or not): a key that occurs twice sets its bit once but
-- counts twice, so the pupil's marks outnumber the bits set. Two keys may share a bit (a session
-- other than AM and PM), never a key two bits, and a mark with no bit (a NULL) is counted but
-- sets none: every duplicate marks its pupil. Only those pupils' marks are grouped by the key
-- itself, which decides: exact, and about a third of the CPU of grouping every mark by its key
-- (3.6 against 11 CPU s in a trust).
select 'attendance' as record_type, school_id, student_id || ' ' || date || ' ' || session as record_key, n
from (
  select school_id, student_id, date, session, count(*) as n from raw.attendance
  semi join (
    select school_id, student_id from raw.attendance
    group by school_id, student_id, year(date)
    having count(*) <> bit_count(bitstring_agg(dayofyear(date) * 2 + (session = 'PM')::int, 2, 733))
  ) as may_repeat using (school_id, student_id)
  group by all having count(*) > 1
)
