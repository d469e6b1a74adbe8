-- incremental: school_year
-- UNSUPPRESSED counts behind the termly report for SLT and governors. Warehouse only: pages
-- read mart_termly_report, which suppresses small numbers; never export this model.
-- Long format, one row per figure: school, academic year, term, period ('term' = the term
-- alone, 'year_to_date' = the academic year's terms up to and including it), section, measure,
-- breakdown and label (the whole school 'All', a year group, a pupil group, a suspension reason)
-- and, for the weekly trend, week_start. A figure is scale × (amount, else count) ÷ base
-- (no base: the amount or count itself). Columns:
--   count        the count the figure rests on (events, pupils, sessions): suppressed below 5
--   pupils       the pupils the figure is about (group size): suppressed below 5 too
--   base         the denominator: pupil-weeks on roll, pupils, possible sessions, pupils placed
--   rest_*       for pupil groups: the same for all other pupils (gaps, risk ratios)
--   suppression_group  figures that add up to a total shown elsewhere (year groups, SEN
--                types, genders, reasons, the weeks of one year group): mart_termly_report
--                suppresses a second figure in the group when one alone would be derivable
--   benchmark    the ref_national_benchmarks measure it compares with
-- Definitions (DfE where one exists): pupils on roll = pupils on roll in any school week of the
-- period; negative events per 100 pupils per week = negative events × 100 ÷ pupil-weeks on roll;
-- absence % = (possible − attending sessions) ÷ possible sessions; persistent / severe absence =
-- absence ≥ 10% / ≥ 50% of the pupil's own possible sessions in the period; suspensions per
-- 100 pupils = suspensions (not pupils) × 100 ÷ pupils on roll; days lost = suspension days;
-- BSC repeat rate = pupils placed in the period who were referred again within
-- settings.repeat_referral_window_days school days ÷ pupils placed (as mart_bsc_repeat).
-- Updated by (school, academic year): a year's figures read that year's rows alone (the
-- placements' "referred again" flag, which looks ahead, comes compared: int_bsc_referred_again).
with terms as (
  select * from mart_termly_terms
),
pupil_weeks as not materialized (
  -- Read by two passes (the pupils' terms and the weekly trend), each reading the columns it
  -- needs: kept as a CTE, all of a trust's 4.4M pupil-weeks would be copied first.
  select * from int_pupil_week_indexed
),
pupils as (
  select school_id, academic_year, student_id, sen, disadvantaged, eal, gender from int_pupil_years
),
bsc as (
  -- int_bsc_referred_again, not mart_bsc_referrals (the same placements, term and flag): that
  -- mart is rebuilt whole every refresh, which would rebuild this one whole too.
  select school_id, academic_year, term, student_id,
    count(*)::INTEGER as bsc_placements,
    bool_or(referred_again_within_window) as bsc_referred_again
  from int_bsc_referred_again
  group by all
),
suspension_events as (
  select s.school_id, s.student_id, academic_year_of(s.start_date) as academic_year,
    coalesce(w.term, default_term(s.start_date)) as term, s.type, s.days, s.reason
  from stg_suspensions s
  left join int_school_weeks w on w.school_id = s.school_id and w.academic_year = academic_year_of(s.start_date)
   and w.week_start = school_week_start(s.start_date)
),
suspensions as (
  select school_id, academic_year, term, student_id,
    count(*) filter (where type = 'suspension')::INTEGER as suspensions,
    count(*) filter (where type = 'permanent')::INTEGER as permanent_exclusions,
    coalesce(sum(days) filter (where type = 'suspension'), 0)::DOUBLE as suspension_days
  from suspension_events
  group by all
),
pupil_term as (
  -- One row per pupil per term on roll: the pupil-weeks are counted first, then the (fewer)
  -- pupil-terms are placed in their term's order (the join keeps the same rows either way).
  select w.*, t.term_in_year
  from (
    select school_id, academic_year, term, student_id,
      any_value(year_group) as year_group,
      count(*)::INTEGER as weeks_on_roll,
      sum(negative_events)::INTEGER as negative_events,
      sum(possible_sessions)::INTEGER as possible_sessions,
      sum(attending_sessions)::INTEGER as attending_sessions,
      sum(authorised_sessions)::INTEGER as authorised_sessions,
      sum(unauthorised_sessions)::INTEGER as unauthorised_sessions
    from pupil_weeks
    group by school_id, academic_year, term, student_id
  ) w
  join terms t using (school_id, academic_year, term)
),
pupil_term_joined as (
  select p.*,
    coalesce(b.bsc_placements, 0) as bsc_placements,
    coalesce(b.bsc_referred_again, false) as bsc_referred_again,
    coalesce(s.suspensions, 0) as suspensions,
    coalesce(s.permanent_exclusions, 0) as permanent_exclusions,
    coalesce(s.suspension_days, 0) as suspension_days
  from pupil_term p
  left join bsc b using (school_id, academic_year, term, student_id)
  left join suspensions s using (school_id, academic_year, term, student_id)
),
periods as (
  select * from (values ('term'), ('year_to_date')) as v(period)
),
pupil_period as (
  -- Each report term × period with the pupil's terms that fall in it. A term's own figures are
  -- the pupil's term as it is (one term, nothing to add up); the year to date adds up the
  -- pupil's terms of the year up to it.
  select school_id, academic_year, term, 'term' as period, student_id, year_group,
    weeks_on_roll, negative_events, possible_sessions,
    possible_sessions - attending_sessions as absent_sessions,
    authorised_sessions, unauthorised_sessions, bsc_placements,
    bsc_referred_again and bsc_placements > 0 as bsc_referred_again,
    suspensions, permanent_exclusions, suspension_days
  from pupil_term_joined
  union all
  select t.school_id, t.academic_year, t.term, 'year_to_date' as period, p.student_id,
    any_value(p.year_group) as year_group,
    sum(p.weeks_on_roll) as weeks_on_roll,
    sum(p.negative_events) as negative_events,
    sum(p.possible_sessions) as possible_sessions,
    sum(p.possible_sessions - p.attending_sessions) as absent_sessions,
    sum(p.authorised_sessions) as authorised_sessions,
    sum(p.unauthorised_sessions) as unauthorised_sessions,
    sum(p.bsc_placements) as bsc_placements,
    bool_or(p.bsc_referred_again and p.bsc_placements > 0) as bsc_referred_again,
    sum(p.suspensions) as suspensions,
    sum(p.permanent_exclusions) as permanent_exclusions,
    sum(p.suspension_days) as suspension_days
  from terms t
  join pupil_term_joined p
    on p.school_id = t.school_id and p.academic_year = t.academic_year
   and p.term_in_year <= t.term_in_year
  group by t.school_id, t.academic_year, t.term, p.student_id
),
pupil_measures as (
  select p.*, g.sen, g.disadvantaged, g.eal, g.gender,
    p.possible_sessions > 0 as has_sessions,
    p.possible_sessions > 0 and is_persistently_absent(p.absent_sessions, p.possible_sessions) as persistently_absent,
    p.possible_sessions > 0 and is_severely_absent(p.absent_sessions, p.possible_sessions) as severely_absent
  from pupil_period p
  left join pupils g using (school_id, academic_year, student_id)
),
pupil_groups as (
  -- The pupils counted per combination of the groups they can be in (year group, SEN, PP/FSM,
  -- EAL, gender): every figure below is a sum or a count, so each membership adds up these few
  -- rows instead of repeating every pupil's row once per group they are in.
  select school_id, academic_year, term, period, year_group, sen, disadvantaged, eal, gender,
    count(*) as pupils,
    sum(weeks_on_roll) as pupil_weeks,
    sum(negative_events) as negative_events,
    count(*) filter (where has_sessions) as pupils_with_sessions,
    sum(possible_sessions) as possible_sessions,
    sum(absent_sessions) as absent_sessions,
    sum(authorised_sessions) as authorised_sessions,
    sum(unauthorised_sessions) as unauthorised_sessions,
    count(*) filter (where persistently_absent) as persistently_absent,
    count(*) filter (where severely_absent) as severely_absent,
    sum(bsc_placements) as bsc_placements,
    count(*) filter (where bsc_placements > 0) as pupils_placed,
    count(*) filter (where bsc_referred_again) as pupils_referred_again,
    sum(suspensions) as suspensions,
    count(*) filter (where suspensions > 0) as pupils_suspended,
    count(*) filter (where suspensions > 1) as pupils_suspended_more_than_once,
    sum(suspension_days) as suspension_days,
    sum(permanent_exclusions) as permanent_exclusions
  from pupil_measures
  group by school_id, academic_year, term, period, year_group, sen, disadvantaged, eal, gender
),
memberships as (
  -- Each pupil counts in the whole school, their year group and every pupil group they are in.
  select *, 'school' as breakdown, 'All' as label, 0 as label_order from pupil_groups
  union all
  select *, 'year_group', 'Year ' || year_group, year_group from pupil_groups where year_group is not null
  union all
  select *, 'SEN', case sen when 'N' then 'No SEN' when 'K' then 'SEN support' when 'E' then 'EHC plan' end,
    case sen when 'N' then 1 when 'K' then 2 when 'E' then 3 end
  from pupil_groups where sen in ('N', 'K', 'E')
  union all
  select *, 'Disadvantaged', 'Disadvantaged (PP or FSM)', 4 from pupil_groups where disadvantaged
  union all
  select *, 'EAL', 'EAL', 5 from pupil_groups where eal
  union all
  select *, 'Gender', case gender when 'F' then 'Girls' when 'M' then 'Boys' else 'Gender X' end,
    case gender when 'F' then 6 when 'M' then 7 else 8 end
  from pupil_groups where gender is not null
),
grouped as (
  select school_id, academic_year, term, period, breakdown, label, label_order,
    sum(pupils) as pupils,
    sum(pupil_weeks) as pupil_weeks,
    sum(negative_events) as negative_events,
    sum(pupils_with_sessions) as pupils_with_sessions,
    sum(possible_sessions) as possible_sessions,
    sum(absent_sessions) as absent_sessions,
    sum(authorised_sessions) as authorised_sessions,
    sum(unauthorised_sessions) as unauthorised_sessions,
    sum(persistently_absent) as persistently_absent,
    sum(severely_absent) as severely_absent,
    sum(bsc_placements) as bsc_placements,
    sum(pupils_placed) as pupils_placed,
    sum(pupils_referred_again) as pupils_referred_again,
    sum(suspensions) as suspensions,
    sum(pupils_suspended) as pupils_suspended,
    sum(pupils_suspended_more_than_once) as pupils_suspended_more_than_once,
    sum(suspension_days) as suspension_days,
    sum(permanent_exclusions) as permanent_exclusions
  from memberships
  group by all
),
with_rest as (
  -- For pupil groups, "the rest" = the whole school minus the group.
  select g.*,
    case when g.breakdown in ('SEN', 'Disadvantaged', 'EAL', 'Gender') then s.pupils end as all_pupils,
    s.pupil_weeks as all_pupil_weeks, s.negative_events as all_negative_events,
    s.pupils_with_sessions as all_pupils_with_sessions, s.possible_sessions as all_possible_sessions,
    s.absent_sessions as all_absent_sessions, s.persistently_absent as all_persistently_absent,
    s.bsc_placements as all_bsc_placements, s.suspensions as all_suspensions
  from grouped g
  join grouped s
    on s.school_id = g.school_id and s.academic_year = g.academic_year and s.term = g.term
   and s.period = g.period and s.breakdown = 'school'
),
measures as (
  select w.school_id, w.academic_year, w.term, w.period, w.breakdown, w.label, w.label_order, m.*,
    case when w.all_pupils is not null then m.all_count - m.count end as rest_count,
    case when w.all_pupils is not null then m.all_base - m.base end as rest_base,
    case when w.all_pupils is not null then m.all_pupils - m.pupils end as rest_pupils
  from with_rest w
  cross join lateral (
    values
      ('roll', 'pupils_on_roll', 1, w.pupils, null::DOUBLE, null::DOUBLE, 1, 'pupils', w.pupils, null::VARCHAR,
        w.all_pupils, null::DOUBLE, w.all_pupils),
      ('behaviour', 'negative_per_100_per_week', 2, w.negative_events, null, w.pupil_weeks, 100, 'per 100 pupils per week', w.pupils, null,
        w.all_negative_events, w.all_pupil_weeks, w.all_pupils),
      ('attendance', 'absence_pct', 3, w.absent_sessions, null, w.possible_sessions, 100, '% of possible sessions', w.pupils_with_sessions, 'overall_absence_pct',
        w.all_absent_sessions, w.all_possible_sessions, w.all_pupils_with_sessions),
      ('attendance', 'authorised_absence_pct', 4, w.authorised_sessions, null, w.possible_sessions, 100, '% of possible sessions', w.pupils_with_sessions, 'authorised_absence_pct',
        null, null, null),
      ('attendance', 'unauthorised_absence_pct', 5, w.unauthorised_sessions, null, w.possible_sessions, 100, '% of possible sessions', w.pupils_with_sessions, 'unauthorised_absence_pct',
        null, null, null),
      ('attendance', 'persistent_absence_pct', 6, w.persistently_absent, null, w.pupils_with_sessions, 100, '% of pupils', w.pupils_with_sessions, 'persistent_absence_pct',
        w.all_persistently_absent, w.all_pupils_with_sessions, w.all_pupils_with_sessions),
      ('attendance', 'severe_absence_pct', 7, w.severely_absent, null, w.pupils_with_sessions, 100, '% of pupils', w.pupils_with_sessions, 'severe_absence_pct',
        null, null, null),
      ('bsc', 'bsc_placements', 8, w.bsc_placements, null, w.pupils, 100, 'per 100 pupils', w.pupils, null,
        w.all_bsc_placements, w.all_pupils, w.all_pupils),
      ('bsc', 'bsc_pupils_placed', 9, w.pupils_placed, null, w.pupils, 100, '% of pupils', w.pupils, null,
        null, null, null),
      ('bsc', 'bsc_repeat_rate', 10, w.pupils_referred_again, null, w.pupils_placed, 100, '% of pupils placed', w.pupils_placed, null,
        null, null, null),
      ('suspensions', 'suspensions', 11, w.suspensions, null, w.pupils, 100, 'per 100 pupils', w.pupils, 'suspensions_per_100',
        w.all_suspensions, w.all_pupils, w.all_pupils),
      ('suspensions', 'pupils_suspended', 12, w.pupils_suspended, null, w.pupils, 100, '% of pupils', w.pupils, null,
        null, null, null),
      ('suspensions', 'pupils_suspended_more_than_once', 13, w.pupils_suspended_more_than_once, null, null, 1, 'pupils', w.pupils, null,
        null, null, null),
      ('suspensions', 'days_lost', 14, w.suspensions, w.suspension_days, null, 1, 'school days', w.pupils, null,
        null, null, null),
      ('suspensions', 'days_lost_per_100', 15, w.suspensions, w.suspension_days, w.pupils, 100, 'days per 100 pupils', w.pupils, null,
        null, null, null),
      ('suspensions', 'permanent_exclusions', 16, w.permanent_exclusions, null, w.pupils, 100, 'per 100 pupils', w.pupils, 'permanent_exclusions_per_100',
        null, null, null)
  ) as m(section, measure, measure_order, count, amount, base, scale, unit, pupils, benchmark, all_count, all_base, all_pupils)
),
kept as (
  -- The whole school: every measure, term and year to date. Year groups and pupil groups:
  -- the term only, and the measures the report breaks down.
  select * from measures
  where breakdown = 'school'
     or (period = 'term' and breakdown = 'year_group'
         and measure in ('pupils_on_roll', 'negative_per_100_per_week', 'absence_pct', 'persistent_absence_pct',
                         'bsc_placements', 'bsc_pupils_placed', 'bsc_repeat_rate', 'suspensions'))
     or (period = 'term' and breakdown in ('SEN', 'Disadvantaged', 'EAL', 'Gender')
         and measure in ('pupils_on_roll', 'negative_per_100_per_week', 'absence_pct', 'persistent_absence_pct',
                         'bsc_placements', 'suspensions'))
),
group_rows as (
  select school_id, academic_year, term, period, section, measure, measure_order, breakdown, label, label_order,
    null::DATE as week_start,
    count::INTEGER as count, amount::DOUBLE as amount, base::DOUBLE as base, scale::DOUBLE as scale, unit,
    pupils::INTEGER as pupils, rest_count::INTEGER as rest_count, rest_base::DOUBLE as rest_base,
    rest_pupils::INTEGER as rest_pupils,
    -- Year groups add up to the school; SEN types and genders add up to (nearly) all pupils.
    case when breakdown in ('year_group', 'SEN', 'Gender') then breakdown end as suppression_group,
    benchmark
  from kept
),
weekly as (
  -- The weekly trend per year group: negative events per 100 pupils on roll that week.
  select w.school_id, w.academic_year, w.term, w.week_start, w.year_group,
    count(*)::INTEGER as pupils, sum(w.negative_events)::INTEGER as negative_events
  from pupil_weeks w
  where w.year_group is not null
  group by all
),
weekly_rows as (
  select school_id, academic_year, term, 'term' as period, 'behaviour' as section, 'negative_per_100_week' as measure,
    2 as measure_order, 'year_group' as breakdown, 'Year ' || year_group as label, year_group as label_order, week_start,
    negative_events as count, null::DOUBLE as amount, pupils::DOUBLE as base, 100::DOUBLE as scale,
    'per 100 pupils (that week)' as unit, pupils, null::INTEGER as rest_count, null::DOUBLE as rest_base,
    null::INTEGER as rest_pupils,
    -- The weeks of one year group add up to its term figure.
    'weeks of Year ' || year_group as suppression_group,
    null::VARCHAR as benchmark
  from weekly
),
reason_labels as (
  select distinct reason, reason_description from mart_suspension_reasons
),
reason_counts as (
  -- Suspensions by DfE reason, as a share of all suspensions in the period.
  select t.school_id, t.academic_year, t.term, pr.period,
    coalesce(l.reason_description, coalesce(e.reason, 'Not recorded')) as label,
    count(*)::INTEGER as suspensions
  from terms t
  cross join periods pr
  join terms et on et.school_id = t.school_id and et.academic_year = t.academic_year
   and et.term_in_year <= t.term_in_year and (pr.period = 'year_to_date' or et.term_in_year = t.term_in_year)
  join suspension_events e on e.school_id = et.school_id and e.academic_year = et.academic_year and e.term = et.term
  left join reason_labels l on l.reason = e.reason
  where e.type = 'suspension'
  group by all
),
reason_rows as (
  select school_id, academic_year, term, period, 'reasons' as section, 'suspensions_by_reason' as measure,
    17 as measure_order, 'reason' as breakdown, label, 0 as label_order, null::DATE as week_start,
    suspensions as count, null::DOUBLE as amount,
    sum(suspensions) over (partition by school_id, academic_year, term, period)::DOUBLE as base,
    100::DOUBLE as scale, '% of suspensions' as unit, null::INTEGER as pupils,
    null::INTEGER as rest_count, null::DOUBLE as rest_base, null::INTEGER as rest_pupils,
    'reason' as suppression_group, null::VARCHAR as benchmark
  from reason_counts
),
final as (
  select * from group_rows
  union all by name
  select * from weekly_rows
  union all by name
  select * from reason_rows
)
select * from final
