-- incremental: school
-- One row per pupil per school (staff page: names): the pupil's latest academic year on roll,
-- with the year group, form and names of that year, for the pupil profile's search.
-- years_on_roll: the academic years the pupil appears in, comma-separated, oldest first.
-- left_on: the leaving date when the pupil has left. detail_file: which of the pupil profile's
-- 64 detail files ("b00" … "b63") of the pupil's school holds this pupil's timeline
-- (mart_pupil_timeline), chosen by a hash of the school and pupil id, so each file holds about
-- 1/64 of a school's pupils (a visitor who opens one profile downloads that share, not
-- everyone's detail) and a pupil's file never moves when other pupils join or leave: the
-- timeline can then be updated by (school, year) partition.
with pupil_years as (
  select * from int_pupil_years
),
latest as (
  select school_id, student_id,
    arg_max(academic_year, academic_year) as academic_year,
    string_agg(academic_year, ',' order by academic_year) as years_on_roll
  from pupil_years
  group by all
),
final as (
  select l.school_id, l.student_id, p.first_name, p.last_name, p.year_group, p.form,
    l.academic_year, l.years_on_roll, p.leaving_date as left_on,
    -- md5, not hash(): the same file on every DuckDB version, so a partial update matches a full one.
    'b' || lpad((md5_number(l.school_id || chr(31) || l.student_id) % 64)::VARCHAR, 2, '0') as detail_file
  from latest l
  join pupil_years p using (school_id, student_id, academic_year)
)
select * from final
