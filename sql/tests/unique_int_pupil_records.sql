-- test partitions: school_year
-- Per kind, each record of int_pupil_records occurs once in its school (behaviour events and
-- interventions once per pupil: one incident may involve several pupils), and so in
-- mart_pupil_timeline, which joins the pupil directory (unique by school and pupil:
-- unique_mart_pupil_directory) to them. Checked per (school, academic year), so a refresh checks
-- the changed years only; the records are read without the directory, which a change to the
-- pupils file changes in every year. A record's year is that of its own date, so the same record
-- in two years would need its raw key twice, which unique_raw_keys checks whole.
-- The 4.5M records of a trust are grouped by a hash of that key first; only the records whose
-- hash occurs twice (a repeated id, or in theory two keys with one hash) are grouped by the key
-- itself, which decides (2.7 against 3.3 CPU s in a trust).
select school_id, any_value(student_id) as student_id, kind, record_id
from int_pupil_records
where kind <> 'attendance_week'
  and hash(school_id, kind, record_id, case when kind in ('behaviour', 'intervention') then student_id end) in (
    select hash(school_id, kind, record_id, case when kind in ('behaviour', 'intervention') then student_id end)
    from int_pupil_records where kind <> 'attendance_week' group by 1 having count(*) > 1
  )
group by school_id, kind, record_id, case when kind in ('behaviour', 'intervention') then student_id end
having count(*) > 1
