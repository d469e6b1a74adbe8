-- test partitions: school_year
select school_id, student_id, academic_year, count(*) as n from int_pupil_years group by all having count(*) > 1
