-- incremental: school
-- incremental weeks: compared
-- The school day a time of day is placed in, per school and weekday (1 Monday … 7 Sunday):
-- the school's periods.csv rows naming that day; else its rows with no day (every day); else,
-- when it sent no periods.csv (or none for that day), the default English day (ref_school_day).
-- Each period runs from its start up to, not including, its end (docs/data-contract.md,
-- "The school day").
with own as (
  select * from stg_periods
),
schools as (
  select distinct school_id from raw.behaviour
  union
  select distinct school_id from raw.periods
),
weekdays as (
  select unnest(range(1, 8))::INTEGER as weekday
),
grid as (
  select
    s.school_id,
    w.weekday,
    exists (select 1 from own o where o.school_id = s.school_id and o.weekday = w.weekday) as has_day_rows,
    exists (select 1 from own o where o.school_id = s.school_id and o.weekday is null) as has_every_day_rows
  from schools s
  cross join weekdays w
),
chosen as (
  select g.school_id, g.weekday, o.period, o.start_time, o.end_time, 'periods.csv' as day_source
  from grid g join own o on o.school_id = g.school_id and o.weekday = g.weekday
  union all
  select g.school_id, g.weekday, o.period, o.start_time, o.end_time, 'periods.csv' as day_source
  from grid g join own o on o.school_id = g.school_id and o.weekday is null
  where not g.has_day_rows
  union all
  select g.school_id, g.weekday, r.period, r.start_time, r.end_time, 'default day' as day_source
  from grid g cross join ref_school_day r
  where not g.has_day_rows and not g.has_every_day_rows
),
final as (
  select
    *,
    row_number() over (partition by school_id, weekday order by start_time, end_time, period)::INTEGER as period_order,
    min(start_time) over (partition by school_id, weekday) as day_start,
    max(end_time) over (partition by school_id, weekday) as day_end
  from chosen
)
select * from final
