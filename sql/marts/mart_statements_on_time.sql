-- Statements taken on time, per school week and year group: of the incidents that need a
-- statement (int_statement_incidents: serious, or led to a BSC placement or a suspension), the
-- share with a statement taken the same school day, and within 1 school day (that day or the
-- next). Statements marked taken on the BSC placement with no time count as taken but not as
-- on time (their time is unknown: time_unknown). waiting: no statement recorded yet.
with incidents as (
  select * from int_statement_incidents
),
final as (
  select school_id, academic_year, week_start, year_group,
    count(*)::INTEGER as incidents,
    count(*) filter (where is_serious)::INTEGER as serious_incidents,
    count(*) filter (where led_to_bsc)::INTEGER as bsc_incidents,
    count(*) filter (where led_to_suspension)::INTEGER as suspension_incidents,
    count(*) filter (where statement_taken)::INTEGER as statements_taken,
    count(*) filter (where taken_same_day)::INTEGER as taken_same_day,
    count(*) filter (where taken_within_1_day)::INTEGER as taken_within_1_day,
    count(*) filter (where statement_taken and statement_taken_at is null)::INTEGER as time_unknown,
    count(*) filter (where not statement_taken)::INTEGER as waiting,
    round(100.0 * count(*) filter (where taken_same_day) / count(*), 1) as same_day_pct,
    round(100.0 * count(*) filter (where taken_within_1_day) / count(*), 1) as within_1_day_pct
  from incidents
  group by all
)
select * from final
