-- test partitions: school_year
-- Every record of int_pupil_records belongs to a pupil in mart_pupil_directory and is of a known
-- kind. mart_pupil_timeline is these records joined to the directory (an inner join, for each
-- pupil's detail file), so a record whose pupil the directory lacks would be left out of the
-- pupil profile without a word: this finds it. (That each record occurs once is
-- unique_int_pupil_records; that the directory names each pupil once, and so one detail file,
-- unique_mart_pupil_directory.) Each record is checked against the directory read whole, so a
-- refresh that left the directory as it was checks the changed years of the records only: a
-- record of an unchanged year, against the same directory, is as it was when the test passed. A
-- refresh that changed the directory (a pupil joining, leaving, renamed) runs it whole.
select r.school_id, r.student_id, r.kind, r.record_id
from int_pupil_records r
left join (select school_id, student_id from mart_pupil_directory) d using (school_id, student_id)
where d.student_id is null
   or r.kind not in ('behaviour', 'bsc', 'detention', 'suspension', 'intervention', 'contact', 'attendance_week')
