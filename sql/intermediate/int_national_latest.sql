-- The national figures a page compares with: for each measure in ref_national_benchmarks, the
-- latest academic year's figure for a whole year (term NULL), with its year, unit and source;
-- plus overall_attendance_pct = 100 − that year's overall_absence_pct, to 1 decimal place
-- (DfE publishes absence; attendance is its complement). One row per measure.
with benchmarks as (
  select * from ref_national_benchmarks where term is null
),
latest as (
  select measure, max(academic_year) as academic_year,
    arg_max(value, academic_year)::DOUBLE as value, arg_max(unit, academic_year) as unit,
    arg_max(source, academic_year) as source
  from benchmarks
  group by measure
),
attendance as (
  select 'overall_attendance_pct' as measure, academic_year, round(100 - value, 1) as value,
    '% of possible sessions' as unit, source
  from latest
  where measure = 'overall_absence_pct'
),
final as (
  select * from latest
  union all by name
  select * from attendance
)
select * from final
