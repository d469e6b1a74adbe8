-- test partitions: school_year
-- Every record of int_pupil_records is of a kind the pupil profile knows. (That each record
-- occurs once is unique_int_pupil_records; that the directory names each pupil once, and so one
-- detail file, unique_mart_pupil_directory.) mart_pupil_timeline joins these records to the
-- directory, which lists the pupils on roll in some year; a record of a pupil no year lists (an
-- admission recorded years ahead in the MIS) is kept in the warehouse and reaches the profile
-- once the pupil is listed (test/site/timeline-reuse.test.ts), so it is not a failure here.
select school_id, student_id, kind, record_id
from int_pupil_records
where kind not in ('behaviour', 'bsc', 'detention', 'suspension', 'intervention', 'contact', 'attendance_week')
