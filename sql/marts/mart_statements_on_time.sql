-- incremental: school_year
-- incremental weeks: by week_start; same week of int_statement_incidents
-- Statements taken on time, per school week and year group, plus one row per school week for
-- all year groups together (year_group = 0; the daily lists show it): of the incidents that
-- need a statement (int_statement_incidents: serious, or led to a BSC placement or a
-- suspension), the share with a statement taken the same school day, and within 1 school day
-- (that day or the next). Statements marked taken on the BSC placement with no time count as
-- taken but not as on time (their time is unknown: time_unknown). waiting: no statement
-- recorded yet. same_day_pct / within_1_day_pct are rounded to 1 decimal place;
-- same_day_pct_exact / within_1_day_pct_exact are the same shares unrounded, for a page that
-- rounds them itself (rounding a rounded figure again can be a point off).
with incidents as (
  select * from int_statement_incidents
),
counts as (
  select school_id, academic_year, week_start,
    (case when grouping(year_group) = 1 then 0 else year_group end)::INTEGER as year_group,
    count(*)::INTEGER as incidents,
    count(*) filter (where is_serious)::INTEGER as serious_incidents,
    count(*) filter (where led_to_bsc)::INTEGER as bsc_incidents,
    count(*) filter (where led_to_suspension)::INTEGER as suspension_incidents,
    count(*) filter (where statement_taken)::INTEGER as statements_taken,
    count(*) filter (where taken_same_day)::INTEGER as taken_same_day,
    count(*) filter (where taken_within_1_day)::INTEGER as taken_within_1_day,
    count(*) filter (where statement_taken and statement_taken_at is null)::INTEGER as time_unknown,
    count(*) filter (where not statement_taken)::INTEGER as waiting,
    100.0 * count(*) filter (where taken_same_day) / count(*) as same_day_pct_exact,
    100.0 * count(*) filter (where taken_within_1_day) / count(*) as within_1_day_pct_exact
  from incidents
  group by grouping sets ((school_id, academic_year, week_start, year_group), (school_id, academic_year, week_start))
),
final as (
  select * exclude (same_day_pct_exact, within_1_day_pct_exact),
    round(same_day_pct_exact, 1) as same_day_pct,
    round(within_1_day_pct_exact, 1) as within_1_day_pct,
    same_day_pct_exact, within_1_day_pct_exact
  from counts
)
select * from final
