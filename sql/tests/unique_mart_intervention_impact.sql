-- One row per intervention and pupil, per school (ids repeat across the schools of a trust).
select school_id, intervention_id, student_id, count(*) as n from mart_intervention_impact group by all having count(*) > 1
