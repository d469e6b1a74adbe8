-- incremental: school_year
-- Gaps between pupil groups, per school and academic year: for each measure, the rate in a
-- group and in the rest of the pupils, and the risk ratio (group rate ÷ rest rate). Groups:
-- SEN support (K), EHC plan (E), no SEN (N), disadvantaged (pupil premium or FSM), EAL, and
-- each gender. Rates: events per 100 pupils (behaviour, BSC, detentions, suspensions), absence
-- as % of possible sessions, persistent absence as % of the pupils with a possible session (a
-- pupil with none is neither persistently absent nor not: docs/metrics.md, as the termly report).
-- small_count = a numerator, the group's size or the rest's size below
-- settings.small_count_threshold (5): such figures are suppressed on governor and SLT reports.
with pupils as (
  select p.school_id, p.academic_year, p.student_id, p.sen, p.disadvantaged, p.eal, p.gender
  from int_pupil_years p
),
activity as (
  select school_id, academic_year, student_id,
    sum(negative_events) as negative_events, sum(bsc_placements) as bsc_placements,
    sum(detentions_set) as detentions, sum(suspensions_started) as suspensions
  from int_pupil_week_indexed group by all
),
attendance as (
  select school_id, academic_year, student_id, possible_sessions, attending_sessions, persistently_absent
  from mart_attendance_pupil
),
pupil_measures as (
  select p.*,
    coalesce(a.negative_events, 0) as negative_events, coalesce(a.bsc_placements, 0) as bsc_placements,
    coalesce(a.detentions, 0) as detentions, coalesce(a.suspensions, 0) as suspensions,
    coalesce(t.possible_sessions, 0) as possible_sessions,
    coalesce(t.possible_sessions - t.attending_sessions, 0) as absent_sessions,
    coalesce(t.persistently_absent, false) as persistently_absent
  from pupils p
  left join activity a using (school_id, academic_year, student_id)
  left join attendance t using (school_id, academic_year, student_id)
),
memberships as (
  -- One row per pupil per group they belong to (a pupil is in several groups).
  select *, 'SEN' as dimension, case sen when 'K' then 'SEN support (K)' when 'E' then 'EHC plan (E)' when 'N' then 'No SEN (N)' end as pupil_group
  from pupil_measures where sen is not null
  union all select *, 'Disadvantaged', 'Disadvantaged (PP or FSM)' from pupil_measures where disadvantaged
  union all select *, 'EAL', 'EAL' from pupil_measures where eal
  union all select *, 'Gender', case gender when 'F' then 'Girls' when 'M' then 'Boys' else 'Gender X' end
  from pupil_measures where gender is not null
),
totals as (
  select school_id, academic_year, count(*) as pupils,
    sum(negative_events) as negative_events, sum(bsc_placements) as bsc_placements, sum(detentions) as detentions,
    sum(suspensions) as suspensions, sum(possible_sessions) as possible_sessions, sum(absent_sessions) as absent_sessions,
    count(*) filter (where persistently_absent) as persistently_absent,
    count(*) filter (where possible_sessions > 0) as pupils_with_sessions
  from pupil_measures group by all
),
group_totals as (
  select school_id, academic_year, dimension, pupil_group, count(*) as pupils,
    sum(negative_events) as negative_events, sum(bsc_placements) as bsc_placements, sum(detentions) as detentions,
    sum(suspensions) as suspensions, sum(possible_sessions) as possible_sessions, sum(absent_sessions) as absent_sessions,
    count(*) filter (where persistently_absent) as persistently_absent,
    count(*) filter (where possible_sessions > 0) as pupils_with_sessions
  from memberships group by all
),
long as (
  -- measure, numerator, denominator for the group and for the rest (= all pupils − group).
  select g.school_id, g.academic_year, g.dimension, g.pupil_group, g.pupils as group_pupils, t.pupils - g.pupils as rest_pupils, m.*
  from group_totals g
  join totals t using (school_id, academic_year)
  cross join lateral (
    values
      ('Negative behaviour events', 'per 100 pupils', g.negative_events, g.pupils, t.negative_events - g.negative_events, t.pupils - g.pupils, 100),
      ('BSC placements', 'per 100 pupils', g.bsc_placements, g.pupils, t.bsc_placements - g.bsc_placements, t.pupils - g.pupils, 100),
      ('Detentions', 'per 100 pupils', g.detentions, g.pupils, t.detentions - g.detentions, t.pupils - g.pupils, 100),
      ('Suspensions', 'per 100 pupils', g.suspensions, g.pupils, t.suspensions - g.suspensions, t.pupils - g.pupils, 100),
      ('Absence', '% of possible sessions', g.absent_sessions, g.possible_sessions, t.absent_sessions - g.absent_sessions, t.possible_sessions - g.possible_sessions, 100),
      ('Persistent absence', '% of pupils', g.persistently_absent, g.pupils_with_sessions, t.persistently_absent - g.persistently_absent, t.pupils_with_sessions - g.pupils_with_sessions, 100)
  ) as m(measure, unit, group_count, group_base, rest_count, rest_base, scale)
),
final as (
  select l.school_id, l.academic_year, l.dimension, l.pupil_group, l.measure, l.unit,
    l.group_pupils::INTEGER as group_pupils, l.rest_pupils::INTEGER as rest_pupils,
    l.group_count::INTEGER as group_count, l.rest_count::INTEGER as rest_count,
    round(l.scale * l.group_count / nullif(l.group_base, 0), 2) as group_rate,
    round(l.scale * l.rest_count / nullif(l.rest_base, 0), 2) as rest_rate,
    round((l.group_count / nullif(l.group_base, 0)) / nullif(l.rest_count / nullif(l.rest_base, 0), 0), 2) as risk_ratio,
    l.group_count < s.small_count_threshold or l.group_pupils < s.small_count_threshold
      or l.rest_count < s.small_count_threshold or l.rest_pupils < s.small_count_threshold as small_count
  from long l cross join settings s
)
select * from final
