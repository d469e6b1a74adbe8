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
by_category as (
  select school_id, academic_year, term, week_start, year_group, 'category' as dimension,
    category as label, NULL::INTEGER as weekday, NULL::VARCHAR as period, count(*)::INTEGER as negative_events
  from events group by all
),
by_location as (
  select school_id, academic_year, term, week_start, year_group, 'location' as dimension,
    coalesce(location, 'Not recorded') as label, NULL::INTEGER, NULL::VARCHAR, count(*)::INTEGER
  from events group by all
),
by_subject as (
  select school_id, academic_year, term, week_start, year_group, 'subject' as dimension,
    coalesce(subject, 'No subject (outside lessons)') as label, NULL::INTEGER, NULL::VARCHAR, count(*)::INTEGER
  from events group by all
),
by_staff as (
  select school_id, academic_year, term, week_start, year_group, 'staff' as dimension,
    coalesce(staff, 'Not recorded') as label, NULL::INTEGER, NULL::VARCHAR, count(*)::INTEGER
  from events group by all
),
final as (
  select * from by_weekday_period
  union all select * from by_category
  union all select * from by_location
  union all select * from by_subject
  union all select * from by_staff
)
select * from final
