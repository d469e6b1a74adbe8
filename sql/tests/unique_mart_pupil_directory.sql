-- mart_pupil_directory has one row per school and pupil, each in one of the 64 detail files.
select school_id, student_id, count(*) as n
from mart_pupil_directory
group by all
having count(*) > 1 or not regexp_full_match(any_value(detail_file), 'b(0[0-9]|[1-5][0-9]|6[0-3])')
