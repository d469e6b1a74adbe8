-- test partitions: school_year
-- mart_attendance_yeargroup_week has one row per school, academic year, year group and week.
select school_id, academic_year, year_group, week_start, count(*) as n
from mart_attendance_yeargroup_week
group by all
having count(*) > 1 or school_id is null or week_start is null
