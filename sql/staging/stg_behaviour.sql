-- materialised: view (read once, by int_behaviour_events)
-- Behaviour events: polarity from the export, else from the sign of the points; periods
-- normalised so the weekday × period heatmap lines up across exports.
with source as (
  select * from raw.behaviour
),
cleaned as (
  select
    school_id,
    event_id,
    student_id,
    date,
    time,
    case
      when upper(period) similar to 'P[0-9]+' then upper(period)
      when regexp_matches(lower(period), '^(period|lesson)\s*[0-9]+$') then 'P' || regexp_extract(period, '[0-9]+')
      when lower(period) in ('before school', 'am before school') then 'Before school'
      when lower(period) in ('registration', 'reg', 'tutor time', 'form time') then 'Registration'
      when lower(period) in ('break', 'morning break') then 'Break'
      when lower(period) in ('lunch', 'lunchtime') then 'Lunch'
      when lower(period) in ('after school', 'pm after school') then 'After school'
      when period is null then 'Unknown'
      else period
    end as period,
    coalesce(
      case lower(polarity) when 'positive' then 'positive' when '+' then 'positive'
        when 'negative' then 'negative' when '-' then 'negative' when 'neutral' then 'neutral' end,
      case when points < 0 then 'negative' when points > 0 then 'positive' else 'neutral' end
    ) as polarity,
    category,
    points,
    severity,
    subject,
    location,
    staff,
    action,
    comment,
    statement_taken_at,
    isodow(date)::INTEGER as weekday
  from source
)
select * from cleaned
