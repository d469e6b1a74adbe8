-- incremental: school_year by academic_year_of(date)
-- incremental weeks: by date
-- materialised: view (read once, by int_behaviour_events)
-- Behaviour events: polarity from the export, else from the sign of the points. The period is
-- the export's own (spelt one way: period_label) when it has one; else the event's time placed
-- in the school day (stg_school_day: periods.csv, or the default English day): the period it
-- falls in, "Before school" before the first period, "After school" at or after the last
-- period's end, "Between periods" in a gap the school's day leaves. No period and no time
-- (or a time of exactly 00:00, which date-only exports write) is "Unknown".
-- raw.behaviour is read twice, not through one CTE: a CTE read twice is materialised (every
-- event with every column copied, twice over in int_behaviour_events, which reads this view
-- twice), and a view's stored SQL loses `not materialized` (DuckDB 1.5 writes it without).
with day as (
  select * from stg_school_day
),
timed as (
  -- Events to place by their time: no period of their own, a time that is not midnight.
  select school_id, event_id, student_id, time, isodow(date)::INTEGER as weekday
  from raw.behaviour
  where period_label(period) is null and time is not null and time <> TIME '00:00'
),
in_period as (
  -- The period the time falls in; where periods overlap, the one that started last.
  select t.school_id, t.event_id, t.student_id, d.period, d.day_source
  from timed t
  join day d on d.school_id = t.school_id and d.weekday = t.weekday and t.time >= d.start_time and t.time < d.end_time
  qualify row_number() over (partition by t.school_id, t.event_id, t.student_id order by d.start_time desc, d.period_order desc) = 1
),
day_bounds as (
  select school_id, weekday, any_value(day_start) as day_start, any_value(day_end) as day_end, any_value(day_source) as day_source
  from day group by all
),
placed as (
  select
    t.school_id, t.event_id, t.student_id,
    case
      when p.period is not null then p.period
      when t.time < b.day_start then 'Before school'
      when t.time >= b.day_end then 'After school'
      else 'Between periods'
    end as period,
    coalesce(p.day_source, b.day_source) as period_source
  from timed t
  left join in_period p using (school_id, event_id, student_id)
  left join day_bounds b on b.school_id = t.school_id and b.weekday = t.weekday
),
cleaned as (
  select
    s.school_id,
    s.event_id,
    s.student_id,
    s.date,
    s.time,
    coalesce(s.own_period, p.period, 'Unknown') as period,
    case
      when s.own_period is not null then 'export'
      when p.period is not null then 'time in ' || p.period_source
      else 'none'
    end as period_source,
    coalesce(
      case lower(s.polarity) when 'positive' then 'positive' when '+' then 'positive'
        when 'negative' then 'negative' when '-' then 'negative' when 'neutral' then 'neutral' end,
      case when s.points < 0 then 'negative' when s.points > 0 then 'positive' else 'neutral' end
    ) as polarity,
    s.category,
    s.points,
    s.severity,
    s.subject,
    s.location,
    s.staff,
    s.action,
    s.comment,
    s.statement_taken_at,
    isodow(s.date)::INTEGER as weekday
  from (select *, period_label(period) as own_period from raw.behaviour) s
  left join placed p using (school_id, event_id, student_id)
)
select * from cleaned
