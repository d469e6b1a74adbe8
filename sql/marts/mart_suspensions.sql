-- incremental: school
-- Suspensions and permanent exclusions per school, academic year and year group (year_group
-- 0 = all), per 100 pupils as DfE counts them: suspensions ÷ pupils on roll × 100 (each
-- suspension counts, so one pupil can add several). Pupils on roll = distinct pupils on roll
-- at any point in the year. Days lost = sessions ÷ 2. National figures beside (latest year).
-- A suspension counts only where its pupil is on roll that academic year (int_pupil_roll): the
-- rate's numerator is about the pupils of its denominator, as the termly report's is, and every
-- suspension has a year group (one dated after its pupil left, in a later year, would otherwise
-- make a second all-year-groups row).
with suspensions as (
  select s.*, p.year_group, academic_year_of(s.start_date) as academic_year
  from stg_suspensions s
  join int_pupil_roll p on p.school_id = s.school_id and p.student_id = s.student_id and p.academic_year = academic_year_of(s.start_date)
),
roll as (
  select school_id, academic_year, coalesce(year_group, 0) as year_group, count(distinct student_id)::INTEGER as pupils_on_roll
  from int_pupil_roll
  group by grouping sets ((school_id, academic_year, year_group), (school_id, academic_year))
),
per_pupil as (
  select school_id, academic_year, year_group, student_id,
    count(*) filter (where type = 'suspension') as n_suspensions
  from suspensions group by all
),
counts as (
  select school_id, academic_year, coalesce(year_group, 0) as year_group,
    count(*) filter (where type = 'suspension')::INTEGER as suspensions,
    count(*) filter (where type = 'permanent')::INTEGER as permanent_exclusions,
    count(distinct student_id) filter (where type = 'suspension')::INTEGER as pupils_suspended,
    coalesce(sum(days) filter (where type = 'suspension'), 0)::DOUBLE as days_lost,
    count(*) filter (where type = 'suspension' and reason = 'PD')::INTEGER as reason_persistent_disruption
  from suspensions
  group by grouping sets ((school_id, academic_year, year_group), (school_id, academic_year))
),
repeats as (
  select school_id, academic_year, coalesce(year_group, 0) as year_group,
    count(*) filter (where n_suspensions > 1)::INTEGER as pupils_with_more_than_one
  from per_pupil
  group by grouping sets ((school_id, academic_year, year_group), (school_id, academic_year))
),
national as (
  select
    max(value) filter (where measure = 'suspensions_per_100' and academic_year = '2023/24') as national_suspensions_per_100,
    max(value) filter (where measure = 'permanent_exclusions_per_100' and academic_year = '2022/23') as national_permanent_exclusions_per_100
  from ref_national_benchmarks
  where term is null
),
final as (
  select r.school_id, r.academic_year, r.year_group, r.pupils_on_roll,
    coalesce(c.suspensions, 0) as suspensions,
    coalesce(c.permanent_exclusions, 0) as permanent_exclusions,
    coalesce(c.pupils_suspended, 0) as pupils_suspended,
    coalesce(rp.pupils_with_more_than_one, 0) as pupils_with_more_than_one,
    coalesce(c.days_lost, 0) as days_lost,
    coalesce(c.reason_persistent_disruption, 0) as reason_persistent_disruption,
    round(100.0 * coalesce(c.suspensions, 0) / nullif(r.pupils_on_roll, 0), 2) as suspensions_per_100,
    round(100.0 * coalesce(c.permanent_exclusions, 0) / nullif(r.pupils_on_roll, 0), 2) as permanent_exclusions_per_100,
    round(100.0 * coalesce(c.days_lost, 0) / nullif(r.pupils_on_roll, 0), 2) as days_lost_per_100,
    n.national_suspensions_per_100,
    n.national_permanent_exclusions_per_100
  from roll r
  left join counts c using (school_id, academic_year, year_group)
  left join repeats rp using (school_id, academic_year, year_group)
  cross join national n
)
select * from final
