-- incremental: school
-- materialised: view (read once, by int_pupil_years)
-- One row per pupil (per academic year when the export gives one); codes normalised.
with source as (
  select * from raw.students
),
cleaned as (
  select
    school_id,
    student_id,
    nullif(academic_year, '') as academic_year,
    upn,
    first_name,
    last_name,
    year_group,
    form,
    house,
    case lower(gender) when 'f' then 'F' when 'female' then 'F' when 'm' then 'M' when 'male' then 'M'
      when 'x' then 'X' when 'other' then 'X' end as gender,
    date_of_birth,
    case lower(sen) when 'n' then 'N' when 'none' then 'N' when 'k' then 'K' when 'sen support' then 'K'
      when 'e' then 'E' when 'ehcp' then 'E' when 'ehc plan' then 'E' end as sen,
    coalesce(pupil_premium, false) or coalesce(fsm, false) as disadvantaged,
    pupil_premium,
    fsm,
    eal,
    ethnicity,
    looked_after,
    admission_date,
    leaving_date
  from source
)
select * from cleaned
