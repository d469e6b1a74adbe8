-- Every record in mart_pupil_timeline belongs to a pupil in mart_pupil_directory, sits in that
-- pupil's detail file and is of a known kind; per kind, record ids are unique (behaviour events
-- and interventions are keyed by id + pupil: one incident may involve several pupils).
-- The 4.5M records of a trust are grouped by a hash of that key first; only the records whose
-- hash occurs twice (a repeated id, or in theory two keys with one hash) are grouped by the key
-- itself, which decides (2.7 against 3.3 CPU s in a trust).
select t.school_id, t.student_id, t.kind, t.record_id, t.detail_file
from mart_pupil_timeline t
left join mart_pupil_directory d using (school_id, student_id)
where d.detail_file is null or d.detail_file <> t.detail_file
   or t.kind not in ('behaviour', 'bsc', 'detention', 'suspension', 'intervention', 'contact', 'attendance_week')
union all
select school_id, any_value(student_id), kind, record_id, null
from mart_pupil_timeline
where kind <> 'attendance_week'
  and hash(school_id, kind, record_id, case when kind in ('behaviour', 'intervention') then student_id end) in (
    select hash(school_id, kind, record_id, case when kind in ('behaviour', 'intervention') then student_id end)
    from mart_pupil_timeline where kind <> 'attendance_week' group by 1 having count(*) > 1
  )
group by school_id, kind, record_id, case when kind in ('behaviour', 'intervention') then student_id end
having count(*) > 1
