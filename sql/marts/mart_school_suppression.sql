-- incremental: school_year
-- Which counts of the schools comparison are hidden outside the staff build, and why. Warehouse
-- only: mart_school_week_suppressed and mart_school_period_suppressed apply it; never export it.
-- One row per hidden count ("cell"): a week's count (all year groups: grain 'week', period = its
-- term) or a period's (grain 'period': a term or 'Year', a year group or 0 for all), its measure,
-- and suppression: 'fewer than 5' (primary) or 'secondary'. threshold = settings.small_count_threshold (5).
--   1. primary: a count below the threshold, zero included (pupils on roll, negative events,
--      persistently absent, BSC placements, suspensions; not sessions), and pupil-weeks whose
--      average roll (pupil-weeks ÷ weeks) is below it.
--   2. secondary, wherever counts add up to a total that is also shipped: the year groups of a
--      period and its all-year-groups count; the weeks of a term (of the year) and the period's;
--      the terms of a year and its 'Year' count (per year group and for all); a period's "at the
--      last week" counts (roll, persistently absent) and that week's; pupil-weeks and the weeks'
--      rolls. When exactly one member of such a sum is hidden, or the hidden parts add up to
--      less than the threshold while the total is shown, the smallest shown part is hidden too
--      (ties: the earliest year group, week or term; the total when no part is left).
--   3. follows: sessions (and pupil-weeks) are hidden with the pupils on roll of their row, and
--      a period's roll and sessions with its pupil-weeks.
-- Rules 2 and 3 are applied to every sum at once, over and over (a recursive CTE), until no sum
-- leaves a hidden count to be worked out by subtraction; a sum never spans two schools or years.
with recursive threshold as (
  select small_count_threshold as t from settings
),
weeks as (
  select * from mart_school_week where year_group = 0
),
periods as (
  select * from mart_school_period
),
cells_long as (
  select w.school_id, w.academic_year, 'week' as grain, w.term as period, 0 as year_group, w.week_start,
    null::DATE as last_week, m.measure, m.value, m.counted, false as small
  from weeks w
  cross join lateral (values
    ('pupils_on_roll', w.pupils_on_roll, true), ('negative_events', w.negative_events, true),
    ('possible_sessions', w.possible_sessions, false), ('attending_sessions', w.attending_sessions, false),
    ('pupils_persistently_absent', w.pupils_persistently_absent, true), ('bsc_placements', w.bsc_placements, true),
    ('suspensions', w.suspensions, true)
  ) as m(measure, value, counted)
  union all
  select p.school_id, p.academic_year, 'period', p.period, p.year_group, null::DATE, p.last_week,
    m.measure, m.value, m.counted,
    m.measure = 'pupil_weeks' and p.weeks > 0 and p.pupil_weeks / p.weeks < (select t from threshold)
  from periods p
  cross join lateral (values
    ('pupils_on_roll', p.pupils_on_roll, true), ('negative_events', p.negative_events, true),
    ('possible_sessions', p.possible_sessions, false), ('attending_sessions', p.attending_sessions, false),
    ('pupils_persistently_absent', p.pupils_persistently_absent, true), ('bsc_placements', p.bsc_placements, true),
    ('suspensions', p.suspensions, true), ('pupil_weeks', p.pupil_weeks, false)
  ) as m(measure, value, counted)
),
cells as (
  select row_number() over (order by school_id, academic_year, grain, period, year_group, week_start, measure) as cell_id,
    c.*,
    c.value is not null and (c.small or (c.counted and c.value < (select t from threshold))) as primary_hidden
  from cells_long c
),
period_totals as (
  select * from cells where grain = 'period' and year_group = 0
),
members as (
  -- Every sum: (sum_id, the total's cell, a part's cell, the part's order, sum_rule). sum_rule:
  -- hidden parts adding up to less than the threshold expose each other (not for sessions).
  -- The year groups of a period → its all-year-groups count (every measure).
  select 'year groups|' || t.cell_id as sum_id, t.cell_id as total_id, p.cell_id as part_id, p.year_group as part_order,
    t.measure not in ('possible_sessions', 'attending_sessions') as sum_rule
  from period_totals t
  join cells p on p.grain = 'period' and p.school_id = t.school_id and p.academic_year = t.academic_year
   and p.period = t.period and p.measure = t.measure and p.year_group > 0
  union all
  -- The weeks of a period → the period (additive counts and sessions; pupil-weeks are the weeks' rolls).
  select 'weeks|' || t.cell_id, t.cell_id, w.cell_id, epoch(w.week_start)::BIGINT,
    t.measure not in ('possible_sessions', 'attending_sessions')
  from period_totals t
  join cells w on w.grain = 'week' and w.school_id = t.school_id and w.academic_year = t.academic_year
   and (t.period = 'Year' or w.period = t.period)
   and ((t.measure in ('negative_events', 'bsc_placements', 'suspensions', 'possible_sessions', 'attending_sessions') and w.measure = t.measure)
        or (t.measure = 'pupil_weeks' and w.measure = 'pupils_on_roll'))
  union all
  -- "At the last week" counts equal that week's.
  select 'last week|' || t.cell_id, t.cell_id, w.cell_id, 0, false
  from period_totals t
  join cells w on w.grain = 'week' and w.school_id = t.school_id and w.academic_year = t.academic_year
   and w.week_start = t.last_week and w.measure = t.measure
  where t.measure in ('pupils_on_roll', 'pupils_persistently_absent')
  union all
  -- The terms of a year → the year (each year group and all; additive counts, sessions, pupil-weeks).
  select 'terms|' || y.cell_id, y.cell_id, p.cell_id, epoch(p.last_week)::BIGINT,
    y.measure not in ('possible_sessions', 'attending_sessions')
  from cells y
  join cells p on p.grain = 'period' and p.school_id = y.school_id and p.academic_year = y.academic_year
   and p.period <> 'Year' and p.year_group = y.year_group and p.measure = y.measure
  where y.grain = 'period' and y.period = 'Year'
    and y.measure not in ('pupils_on_roll', 'pupils_persistently_absent')
),
sums as (
  select distinct sum_id, total_id, sum_rule from members
),
follows as (
  -- (source, dependant): the dependant is hidden whenever the source is.
  select s.cell_id as source_id, d.cell_id as dependant_id
  from cells s
  join cells d on d.school_id = s.school_id and d.academic_year = s.academic_year and d.grain = s.grain
   and d.period = s.period and d.year_group = s.year_group and d.week_start is not distinct from s.week_start
  where (s.measure = 'pupils_on_roll' and d.measure in ('possible_sessions', 'attending_sessions', 'pupil_weeks'))
     or (s.measure = 'pupil_weeks' and d.measure in ('pupils_on_roll', 'possible_sessions', 'attending_sessions'))
),
hidden(cell_id, suppression) using key (cell_id) as (
  select cell_id, case when primary_hidden then 'fewer than ' || (select t from threshold) end
  from cells
  union
  -- One round: every sum and every "follows" that gives a hidden count away hides one more.
  select cell_id, 'secondary'
  from (
    with state as (
      select c.cell_id, c.value, h.suppression is not null as is_hidden
      from recurring.hidden h
      join cells c using (cell_id)
    ),
    sum_state as (
      select s.sum_id, s.total_id, s.sum_rule,
        count(*) filter (where ps.is_hidden) as hidden_parts,
        coalesce(sum(ps.value) filter (where ps.is_hidden), 0) as hidden_sum,
        min_by(m.part_id, [ps.value, m.part_order]) filter (where not ps.is_hidden) as smallest_shown
      from sums s
      join members m using (sum_id)
      join state ps on ps.cell_id = m.part_id and ps.value is not null
      group by all
    ),
    exposed as (
      select coalesce(s.smallest_shown, case when not ts.is_hidden and ts.value is not null then s.total_id end) as cell_id
      from sum_state s
      join state ts on ts.cell_id = s.total_id
      where s.hidden_parts + ts.is_hidden::INTEGER > 0
        and (s.hidden_parts + ts.is_hidden::INTEGER = 1
             or (s.sum_rule and not ts.is_hidden and s.hidden_parts > 0 and s.hidden_sum < (select t from threshold)))
      union
      select f.dependant_id
      from follows f
      join state src on src.cell_id = f.source_id and src.is_hidden
    )
    select distinct e.cell_id
    from exposed e
    join state s on s.cell_id = e.cell_id and not s.is_hidden and s.value is not null
  )
),
final as (
  select c.school_id, c.academic_year, c.grain, c.period, c.year_group::INTEGER as year_group, c.week_start,
    c.measure, h.suppression
  from hidden h
  join cells c using (cell_id)
  where h.suppression is not null
)
select * from final
