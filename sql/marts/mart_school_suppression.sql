-- incremental: school_year
-- Which counts of the schools comparison are hidden outside the staff build, and why. Warehouse
-- only: mart_school_week_suppressed and mart_school_period_suppressed apply it; never export it.
-- One row per hidden count ("cell"): a week's count (all year groups: grain 'week', period = its
-- term) or a period's (grain 'period': a term or 'Year', a year group or 0 for all), its measure,
-- and suppression: 'fewer than 5' (primary) or 'secondary'. threshold = settings.small_count_threshold (5).
--   1. primary: a count below the threshold, zero included (pupils on roll, negative events,
--      persistently absent, BSC placements, suspensions; not sessions), and pupil-weeks whose
--      average roll (pupil-weeks ÷ weeks) is below it.
--   2. secondary, wherever counts add up to a total that is also shipped (a "sum"): the year
--      groups of a period and its all-year-groups count; the weeks of a term (of the year) and
--      the period's; the terms of a year and its 'Year' count (per year group and for all); a
--      period's "at the last week" counts (roll, persistently absent) and that week's; pupil-weeks
--      and the weeks' rolls. When exactly one member of a sum is hidden, or the hidden parts add
--      up to less than the threshold while the total is shown, the smallest shown part is hidden
--      too (ties: the earliest year group, week or term; the total when no part is left).
--   3. "follows": sessions (and pupil-weeks) are hidden with the pupils on roll of their row, and
--      a period's roll and sessions with its pupil-weeks.
-- Rules 2 and 3 are visited in a fixed order (rule_order below), pass after pass, until a whole
-- pass hides nothing: each step of the recursive CTE finds, per school and year, the next rule
-- after the last one that acted that gives a hidden count away, and applies it. A sum never spans
-- two schools or years. (The order decides which of two equally small counts is hidden with a
-- small one; any order leaves no hidden count to be worked out by subtraction.)
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
term_order as (
  -- Terms in the order of their first week; the whole year after them.
  select school_id, academic_year, period,
    case when period = 'Year' then 99 else dense_rank() over (partition by school_id, academic_year order by first_week) end as term_order
  from (
    select school_id, academic_year, period, min(week_start) as first_week from cells_long where grain = 'week' group by all
    union all
    select distinct school_id, academic_year, 'Year', null::DATE from cells_long where grain = 'week'
  )
),
cells as (
  select row_number() over (order by c.school_id, c.academic_year, c.grain, c.period, c.year_group, c.week_start, c.measure) as cell_id,
    dense_rank() over (order by c.school_id, c.academic_year) as sy_id,
    c.*, o.term_order,
    case when c.year_group = 0 then 999 else c.year_group end as year_group_order,
    -- The order counts are visited in within a row.
    list_position(['negative_events', 'bsc_placements', 'suspensions', 'possible_sessions', 'attending_sessions',
                   'pupils_on_roll', 'pupils_persistently_absent', 'pupil_weeks'], c.measure) as measure_order,
    c.value is not null and (c.small or (c.counted and c.value < (select t from threshold))) as primary_hidden
  from cells_long c
  join term_order o using (school_id, academic_year, period)
),
period_totals as (
  select * from cells where grain = 'period' and year_group = 0
),
members as (
  -- Every rule: (rule_key, its order, kind, the total or source cell, a part or dependant cell,
  -- the part's order, sum_rule: hidden parts adding up to less than the threshold give each other
  -- away; not for sessions, which are not counts of pupils or events).
  -- The year groups of a period → its all-year-groups count (every measure).
  select 'year groups|' || t.cell_id as rule_key, [1, t.term_order, 1, t.measure_order, 0] as rule_order, 'sum' as kind,
    t.cell_id as total_id, p.cell_id as part_id, p.year_group as part_order,
    t.measure not in ('possible_sessions', 'attending_sessions') as sum_rule
  from period_totals t
  join cells p on p.grain = 'period' and p.school_id = t.school_id and p.academic_year = t.academic_year
   and p.period = t.period and p.measure = t.measure and p.year_group > 0
  union all
  -- The weeks of a period → the period (additive counts and sessions).
  select 'weeks|' || t.cell_id, [1, t.term_order, 2, t.measure_order, 0], 'sum', t.cell_id, w.cell_id, epoch(w.week_start)::BIGINT,
    t.measure not in ('possible_sessions', 'attending_sessions')
  from period_totals t
  join cells w on w.grain = 'week' and w.school_id = t.school_id and w.academic_year = t.academic_year
   and (t.period = 'Year' or w.period = t.period) and w.measure = t.measure
  where t.measure in ('negative_events', 'bsc_placements', 'suspensions', 'possible_sessions', 'attending_sessions')
  union all
  -- Pupil-weeks are the weeks' rolls.
  select 'pupil weeks|' || t.cell_id, [1, t.term_order, 3, 0, 0], 'sum', t.cell_id, w.cell_id, epoch(w.week_start)::BIGINT, true
  from period_totals t
  join cells w on w.grain = 'week' and w.school_id = t.school_id and w.academic_year = t.academic_year
   and (t.period = 'Year' or w.period = t.period) and w.measure = 'pupils_on_roll'
  where t.measure = 'pupil_weeks'
  union all
  -- "At the last week" counts equal that week's.
  select 'last week|' || t.cell_id, [1, t.term_order, 4, t.measure_order, 0], 'sum', t.cell_id, w.cell_id, 0, false
  from period_totals t
  join cells w on w.grain = 'week' and w.school_id = t.school_id and w.academic_year = t.academic_year
   and w.week_start = t.last_week and w.measure = t.measure
  where t.measure in ('pupils_on_roll', 'pupils_persistently_absent')
  union all
  -- The terms of a year → the year (each year group and all; additive counts, sessions, pupil-weeks).
  select 'terms|' || y.cell_id, [2, y.year_group_order, y.measure_order, 0, 0], 'sum', y.cell_id, p.cell_id, p.term_order,
    y.measure not in ('possible_sessions', 'attending_sessions')
  from cells y
  join cells p on p.grain = 'period' and p.school_id = y.school_id and p.academic_year = y.academic_year
   and p.period <> 'Year' and p.year_group = y.year_group and p.measure = y.measure
  where y.grain = 'period' and y.period = 'Year'
    and y.measure not in ('pupils_on_roll', 'pupils_persistently_absent')
  union all
  -- Follows: a row's sessions (and pupil-weeks) with its roll; a period's roll and sessions with its pupil-weeks.
  select 'follows|' || s.cell_id,
    case when s.grain = 'week' then [3, 0, epoch(s.week_start)::BIGINT, 0, 0]
         else [3, 1, s.term_order, s.year_group_order, case when s.measure = 'pupils_on_roll' then 1 else 2 end] end,
    'follows', s.cell_id, d.cell_id, 0, false
  from cells s
  join cells d on d.school_id = s.school_id and d.academic_year = s.academic_year and d.grain = s.grain
   and d.period = s.period and d.year_group = s.year_group and d.week_start is not distinct from s.week_start
  where (s.measure = 'pupils_on_roll' and d.measure in ('possible_sessions', 'attending_sessions', 'pupil_weeks'))
     or (s.grain = 'period' and s.measure = 'pupil_weeks' and d.measure in ('pupils_on_roll', 'possible_sessions', 'attending_sessions'))
),
rules as (
  -- Numbered in visiting order within each school and year.
  select r.*, row_number() over (partition by c.sy_id order by r.rule_order) as rule_number, c.sy_id
  from (select distinct rule_key, rule_order, kind, total_id, sum_rule from members) r
  join cells c on c.cell_id = r.total_id
),
-- The state: a row per cell (suppression: NULL while shown) and a row per school and year
-- (cell_id = −sy_id): the rule that acted last in this pass (last_rule) and whether any has (changed).
hidden(cell_id, suppression, last_rule, changed) using key (cell_id) as (
  select cell_id, case when primary_hidden then 'fewer than ' || (select t from threshold) end, null::BIGINT, null::BOOLEAN
  from cells
  union all
  select distinct -sy_id, null::VARCHAR, 0::BIGINT, false from cells
  union
  select cell_id, suppression, last_rule, changed
  from (
    with state as (
      select c.cell_id, c.value, h.suppression is not null as is_hidden
      from recurring.hidden h
      join cells c using (cell_id)
    ),
    passes as (
      select -cell_id as sy_id, last_rule, changed from recurring.hidden where cell_id < 0
    ),
    sum_state as (
      select r.rule_key, r.sy_id, r.rule_number, r.total_id, r.sum_rule,
        count(*) filter (where ps.is_hidden) as hidden_parts,
        coalesce(sum(ps.value) filter (where ps.is_hidden), 0) as hidden_sum,
        min_by(m.part_id, [ps.value, m.part_order]) filter (where not ps.is_hidden) as smallest_shown
      from rules r
      join members m using (rule_key)
      join state ps on ps.cell_id = m.part_id and ps.value is not null
      where r.kind = 'sum'
      group by all
    ),
    acting as (
      -- Each rule that gives a hidden count away now, with the cells it hides.
      select s.sy_id, s.rule_number,
        coalesce(s.smallest_shown, case when not ts.is_hidden and ts.value is not null then s.total_id end) as cell_id
      from sum_state s
      join state ts on ts.cell_id = s.total_id
      where s.hidden_parts + ts.is_hidden::INTEGER > 0
        and (s.hidden_parts + ts.is_hidden::INTEGER = 1
             or (s.sum_rule and not ts.is_hidden and s.hidden_parts > 0 and s.hidden_sum < (select t from threshold)))
      union all
      select r.sy_id, r.rule_number, d.cell_id
      from rules r
      join state src on src.cell_id = r.total_id and src.is_hidden
      join members m using (rule_key)
      join state d on d.cell_id = m.part_id and not d.is_hidden and d.value is not null
      where r.kind = 'follows'
    ),
    next_rule as (
      -- Per school and year, the first rule after the last that acted in this pass.
      select p.sy_id, p.changed, min(a.rule_number) as rule_number
      from passes p
      left join acting a on a.sy_id = p.sy_id and a.cell_id is not null and a.rule_number > p.last_rule
      group by all
    )
    select a.cell_id, 'secondary' as suppression, null::BIGINT as last_rule, null::BOOLEAN as changed
    from next_rule n
    join acting a on a.sy_id = n.sy_id and a.rule_number = n.rule_number and a.cell_id is not null
    union
    select -n.sy_id, null, n.rule_number, true from next_rule n where n.rule_number is not null
    union
    -- A pass that hid something is followed by another from the first rule; one that hid nothing ends.
    select -n.sy_id, null, 0, false from next_rule n where n.rule_number is null and n.changed
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
