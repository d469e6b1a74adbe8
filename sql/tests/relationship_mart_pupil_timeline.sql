-- test partitions: school_year
-- Every record in mart_pupil_timeline belongs to a pupil in mart_pupil_directory, sits in that
-- pupil's detail file and is of a known kind. (That each record occurs once is
-- unique_int_pupil_records.) Each record is checked against the directory read whole, so a
-- refresh that left the directory as it was checks the changed years of the timeline only: a
-- record of an unchanged year, against the same directory, is as it was when the test passed. A
-- refresh that changed the directory (a pupil joining, leaving, renamed) runs it whole.
select t.school_id, t.student_id, t.kind, t.record_id, t.detail_file
from mart_pupil_timeline t
left join mart_pupil_directory d using (school_id, student_id)
where d.detail_file is null or d.detail_file <> t.detail_file
   or t.kind not in ('behaviour', 'bsc', 'detention', 'suspension', 'intervention', 'contact', 'attendance_week')
