-- mart_intervention_list has one row per school and intervention, each with a pupil on roll.
select school_id, intervention_id, count(*) as n
from mart_intervention_list
group by all
having count(*) > 1 or any_value(student_id) is null
