-- test partitions: school_year
-- One intervention_key per intervention, and one intervention per key within its school and
-- academic year: the impact resamples (int_impact_resamples_keyed) and the impact marts join on it.
select school_id, academic_year, intervention_key, count(distinct intervention_id || '|' || student_id) as n
from int_intervention_matches group by all having count(distinct intervention_id || '|' || student_id) > 1
union all
select school_id, academic_year, any_value(intervention_key), count(distinct intervention_key) as n
from int_intervention_matches group by school_id, academic_year, intervention_id, student_id having count(distinct intervention_key) > 1
