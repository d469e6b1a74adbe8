-- Every record in mart_pupil_timeline belongs to a pupil in mart_pupil_directory, sits in that
-- pupil's detail file and is of a known kind. (That each record occurs once is
-- unique_mart_pupil_timeline, which a refresh runs over the changed years only: this test reads
-- the directory, which a refresh rebuilds for every touched school, so it runs whole.)
select t.school_id, t.student_id, t.kind, t.record_id, t.detail_file
from mart_pupil_timeline t
left join mart_pupil_directory d using (school_id, student_id)
where d.detail_file is null or d.detail_file <> t.detail_file
   or t.kind not in ('behaviour', 'bsc', 'detention', 'suspension', 'intervention', 'contact', 'attendance_week')
