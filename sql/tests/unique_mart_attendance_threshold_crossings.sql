-- mart_attendance_threshold_crossings has one row per pupil, week and threshold.
select school_id, student_id, week_start, threshold, count(*) as n
from mart_attendance_threshold_crossings
group by all
having count(*) > 1 or student_id is null or threshold is null
