-- Negative events per school week and year group, broken down one dimension at a time:
-- weekday × period (the heatmap), category, location, subject and staff. Long format so a
-- page filters one table; terms are sums of their weeks.
with events as (
  select * from int_behaviour_events where polarity = 'negative' and year_group is not null
),
by_weekday_period as (
  select school_id, academic_year, term, week_start, year_group, 'weekday_period' as dimension,
    period as label, weekday, period, count(*)::INTEGER as negative_events
  from events group by all
),
by_breakdown as (
  -- One row per event per breakdown, then counted: category, location, subject, staff.
  select school_id, academic_year, term, week_start, year_group, b.dimension, b.label,
    NULL::INTEGER as weekday, NULL::VARCHAR as period, count(*)::INTEGER as negative_events
  from events
  cross join unnest([
    {'dimension': 'category', 'label': category},
    {'dimension': 'location', 'label': coalesce(location, 'Not recorded')},
    {'dimension': 'subject', 'label': coalesce(subject, 'No subject (outside lessons)')},
    {'dimension': 'staff', 'label': coalesce(staff, 'Not recorded')}
  ]) as u(b)
  group by all
),
final as (
  select * from by_weekday_period
  union all select * from by_breakdown
)
select * from final
