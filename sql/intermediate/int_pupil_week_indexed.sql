-- incremental: school_year; all years of int_school_weeks
-- mart_pupil_week with a running school-week index per school (across academic years), so
-- windows of "N school weeks before / after" skip holidays.
with weeks as (
  select school_id, week_start, dense_rank() over (partition by school_id order by week_start)::INTEGER as week_index
  from int_school_weeks
),
final as (
  select p.*, w.week_index
  from mart_pupil_week p
  join weeks w using (school_id, week_start)
)
select * from final
