-- test partitions: school_year
-- mart_attendance_codes has one row per school, academic year, term, year group and code;
-- every code is a known DfE code.
select school_id, academic_year, term, year_group, code, count(*) as n
from mart_attendance_codes
group by all
having count(*) > 1 or class is null
