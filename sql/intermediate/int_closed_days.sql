-- incremental: school_year; all years of stg_attendance
-- incremental weeks: by week_start
-- Days the school was closed to pupils: days with register marks none of which is a possible
-- session (a planned closure marked `#` for every pupil, as MIS registers often carry INSET days,
-- or the site closed, Y4), placed in their academic year, term and school week as int_school_days
-- places a school day. They are not school days (int_school_days), but their marks are counted
-- in the register codes used (int_attendance_codes_by_term). A table of its own, not a subquery
-- of that model: DuckDB estimated such a subquery of the 41M marks as large, built its hash join
-- of every mark on the marks side (4.4 GB, 10.6 CPU s at the trust against 0.5 GB and 3.4),
-- where a table of a few rows is estimated as what it is (docs/performance.md, "Session 51").
with marks as (
  select distinct m.school_id, m.date
  from stg_attendance m
  where m.code in (select code from ref_attendance_codes where not is_possible)
    and not exists (select 1 from int_school_days d where d.school_id = m.school_id and d.date = m.date)
),
final as (
  select
    m.school_id,
    m.date,
    academic_year_of(m.date) as academic_year,
    coalesce(c.term, default_term(m.date)) as term,
    school_week_start(m.date) as week_start
  from marks m
  left join stg_calendar c
    on c.school_id = m.school_id and m.date between c.start_date and c.end_date
)
select * from final
