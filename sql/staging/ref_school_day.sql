-- The default English secondary school day, used for a school that sent no periods.csv:
-- registration at 08:40, six 50-minute lessons, a 20-minute break and a 45-minute lunch,
-- school ends at 15:00 (the demo school keeps the same day). Each period runs from its start
-- up to (not including) its end. A time before the first period is "Before school"; a time at
-- or after the last period's end is "After school" (sql/staging/stg_school_day.sql).
with periods(period, start_time, end_time) as (
  values
    ('Registration', TIME '08:40', TIME '08:55'),
    ('P1', TIME '08:55', TIME '09:45'),
    ('P2', TIME '09:45', TIME '10:35'),
    ('Break', TIME '10:35', TIME '10:55'),
    ('P3', TIME '10:55', TIME '11:45'),
    ('P4', TIME '11:45', TIME '12:35'),
    ('Lunch', TIME '12:35', TIME '13:20'),
    ('P5', TIME '13:20', TIME '14:10'),
    ('P6', TIME '14:10', TIME '15:00')
),
final as (
  select period, start_time, end_time from periods
)
select * from final
