-- incremental: school_year
-- incremental weeks: by week_start; same week of int_behaviour_events
-- Negative events per school week and year group, broken down one dimension at a time:
-- weekday × period (the heatmap), category, location, subject and staff. Long format so a
-- page filters one table; terms are sums of their weeks. period_order places a period in the
-- school's day (stg_school_day: periods.csv or the default day) for the heatmap's columns:
-- Before school 0, the day's periods 1… by their average start time, a period the export names
-- that the school day lacks 800, Between periods 900, After school 950, Unknown 999.
with events as (
  -- Read by every count below, so kept once: only the columns they count by.
  -- A week's rows count that week's events alone (same week of int_behaviour_events), so a
  -- refresh writes the weeks from the first changed one, not the year (530,000 rows at the
  -- trust). The school day's order is the school's whole day (stg_school_day, read whole: a
  -- change to it updates the school's years whole).
  select school_id, academic_year, term, week_start, year_group, period, weekday, category, location, subject, staff
  from int_behaviour_events where polarity = 'negative' and year_group is not null
),
day_order as (
  select school_id, period,
    row_number() over (partition by school_id order by avg(epoch(start_time)), period)::INTEGER as period_order
  from stg_school_day
  where period not in ('Before school', 'After school')
  group by school_id, period
),
by_weekday_period as (
  select e.school_id, e.academic_year, e.term, e.week_start, e.year_group, 'weekday_period' as dimension,
    e.period as label, e.weekday, e.period,
    case e.period when 'Before school' then 0 when 'Between periods' then 900 when 'After school' then 950 when 'Unknown' then 999
      else coalesce(any_value(o.period_order), 800) end::INTEGER as period_order,
    count(*)::INTEGER as negative_events
  from events e
  left join day_order o on o.school_id = e.school_id and o.period = e.period
  group by e.school_id, e.academic_year, e.term, e.week_start, e.year_group, e.period, e.weekday
),
by_breakdown as (
  -- Counted per breakdown: category, location, subject, staff (one grouping each, rather than
  -- every event repeated once per breakdown and then grouped).
  select school_id, academic_year, term, week_start, year_group, 'category' as dimension, category as label,
    count(*)::INTEGER as negative_events
  from events group by school_id, academic_year, term, week_start, year_group, category
  union all
  select school_id, academic_year, term, week_start, year_group, 'location', coalesce(location, 'Not recorded'),
    count(*)::INTEGER
  from events group by school_id, academic_year, term, week_start, year_group, coalesce(location, 'Not recorded')
  union all
  select school_id, academic_year, term, week_start, year_group, 'subject', coalesce(subject, 'No subject (outside lessons)'),
    count(*)::INTEGER
  from events group by school_id, academic_year, term, week_start, year_group, coalesce(subject, 'No subject (outside lessons)')
  union all
  select school_id, academic_year, term, week_start, year_group, 'staff', coalesce(staff, 'Not recorded'),
    count(*)::INTEGER
  from events group by school_id, academic_year, term, week_start, year_group, coalesce(staff, 'Not recorded')
),
final as (
  select * from by_weekday_period
  union all
  select school_id, academic_year, term, week_start, year_group, dimension, label,
    NULL::INTEGER as weekday, NULL::VARCHAR as period, NULL::INTEGER as period_order, negative_events
  from by_breakdown
)
select * from final
