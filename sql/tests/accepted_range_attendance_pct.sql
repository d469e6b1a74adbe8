-- test partitions: school_year
-- Attendance % is a share of possible sessions.
select * from mart_yeargroup_week where attendance_pct < 0 or attendance_pct > 100
