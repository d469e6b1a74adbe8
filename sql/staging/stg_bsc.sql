-- incremental: school
-- incremental weeks: by date
-- Behaviour Support Centre placements. parent_contacted may be Y/N or the date-time of the call.
with source as (
  select * from raw.bsc
),
cleaned as (
  select
    school_id,
    referral_id,
    student_id,
    date,
    referred_by,
    reason,
    event_id,
    periods,
    start_time,
    end_time,
    booklet,
    conduct,
    outcome,
    case
      when lower(parent_contacted) in ('y', 'yes', 'true', '1') then true
      when lower(parent_contacted) in ('n', 'no', 'false', '0') then false
      when try_strptime(parent_contacted, ['%Y-%m-%d %H:%M', '%Y-%m-%d', '%d/%m/%Y %H:%M', '%d/%m/%Y']) is not null then true
    end as parent_contacted,
    statement_taken,
    reintegration_date
  from source
)
select * from cleaned
