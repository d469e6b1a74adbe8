-- incremental: school
-- incremental weeks: compared by date
-- Incidents the Pastoral Support Officer should take a written statement for, one row per
-- negative behaviour event that was serious (severity ≥ settings.serious_severity), led to a
-- BSC placement (a placement naming the event in event_id), or led to a suspension: the event's
-- action mentions a suspension or exclusion, or it is the pupil's most severe negative event
-- (then the latest) on the school day before a suspension started or on its first day
-- (suspensions carry no event id). Placements that name no event are not incidents here.
-- The statement: statement_taken_at on the event; a placement marked statement_taken = yes
-- with no time on the event counts as taken, time unknown. School days are numbered from the
-- calendar of days with marks; a statement dated on a weekend or holiday takes the next
-- school day's number.
-- An incident's row looks forward without a bound (a placement naming it, a statement taken,
-- the next school day of a weekend date, a suspension starting the school day after, which
-- may be next September), so it is rebuilt per school, all years, and compared with its rows
-- before (incremental weeks: compared): its readers see changed only the weeks whose rows
-- differ, and are rebuilt whole when a row of an earlier year differs.
with events as (
  -- The columns read below, not the event's every column: numbered is read twice, so it is
  -- kept, and a row of every column (comment, subject…) would be read and kept for 0.9M events.
  select school_id, academic_year, week_start, event_id, student_id, year_group, date, time,
    category, severity, location, staff, action, statement_taken_at
  from int_behaviour_events where polarity = 'negative'
),
-- A date's school day number is the first school day on or after it: school days are numbered
-- in date order, so that is the day an ASOF join finds (the nearest day on or after the date).
-- Nearly every event is dated on a school day, which an equi-join finds in a hash table; only
-- the distinct other dates (a weekend, a holiday) go through the ASOF join, whose sort of every
-- event had cost most of the model (1.6 of 1.8 s in a trust's weekly refresh). A NULL date
-- keeps its NULL number. other_dates reads int_behaviour_events, not events: a second reader
-- of events has DuckDB keep a copy of it (the model took 0.74–0.83 CPU s at the trust that way,
-- against 0.68–0.77). Numbering every date in one place (events', statements', suspensions',
-- then equi-joins only) was tried and cost more: 0.84–0.94 CPU s.
days as (
  select school_id, date, school_day_number from int_school_days
),
other_dates as (
  select o.school_id, o.date, d.school_day_number
  from (
    select distinct e.school_id, e.date from int_behaviour_events e
    where e.polarity = 'negative' and e.date is not null
      and not exists (select 1 from days x where x.school_id = e.school_id and x.date = e.date)
  ) o
  asof left join days d on d.school_id = o.school_id and d.date >= o.date
),
numbered as (
  select e.*, coalesce(s.school_day_number, o.school_day_number) as school_day_number
  from events e
  left join days s on s.school_id = e.school_id and s.date = e.date
  left join other_dates o on o.school_id = e.school_id and o.date = e.date
),
bsc as (
  -- A placement naming an event; several placements for one event count once.
  select school_id, event_id, bool_or(coalesce(statement_taken, false)) as bsc_statement_taken
  from stg_bsc where event_id is not null group by all
),
suspension_days as (
  select s.school_id, s.student_id, s.suspension_id, case when s.start_date is not null then d.school_day_number end as start_day
  from stg_suspensions s
  asof left join days d on d.school_id = s.school_id and d.date >= s.start_date
),
suspension_events as (
  -- Each suspension's most severe negative event of the pupil on the school day before it
  -- started or its first day (then the latest, then the highest event id).
  select school_id, event_id from (
    select n.school_id, n.event_id,
      row_number() over (partition by s.school_id, s.suspension_id
        order by coalesce(n.severity, 0) desc, n.date desc, n.time desc nulls last, n.event_id desc) as pick
    from suspension_days s
    join numbered n on n.school_id = s.school_id and n.student_id = s.student_id
     and n.school_day_number between s.start_day - 1 and s.start_day
  ) where pick = 1
),
flagged as (
  select n.*,
    coalesce(n.severity >= st.serious_severity, false) as is_serious,
    b.event_id is not null as led_to_bsc,
    coalesce(regexp_matches(lower(n.action), 'suspen|exclu'), false) or se.event_id is not null as led_to_suspension,
    coalesce(b.bsc_statement_taken, false) as bsc_statement_taken
  from numbered n
  cross join settings st
  left join bsc b using (school_id, event_id)
  left join (select distinct school_id, event_id from suspension_events) se using (school_id, event_id)
),
in_scope as (
  select * from flagged where is_serious or led_to_bsc or led_to_suspension
),
timed as (
  select
    i.school_id, i.academic_year, i.week_start, i.event_id, i.student_id, i.year_group,
    i.date, i.time, i.category, i.severity, i.location, i.staff, i.action,
    i.is_serious, i.led_to_bsc, i.led_to_suspension,
    array_to_string(list_filter([
      case when i.is_serious then 'serious (severity ' || i.severity || ')' end,
      case when i.led_to_bsc then 'BSC placement' end,
      case when i.led_to_suspension then 'suspension' end
    ], x -> x is not null), ', ') as why_statement,
    i.statement_taken_at,
    i.statement_taken_at is not null or i.bsc_statement_taken as statement_taken,
    i.school_day_number as incident_school_day,
    case when i.statement_taken_at is not null then d.school_day_number end as statement_school_day
  from in_scope i
  asof left join days d on d.school_id = i.school_id and d.date >= i.statement_taken_at::DATE
),
final as (
  -- A statement dated before its incident (a slip) counts as on time.
  select *,
    (statement_school_day - incident_school_day)::INTEGER as school_days_to_statement,
    coalesce(statement_school_day - incident_school_day <= 0, false) as taken_same_day,
    coalesce(statement_school_day - incident_school_day <= 1, false) as taken_within_1_day
  from timed
)
select * from final
