-- incremental: school_year by academic_year_of(date)
-- incremental weeks: by date; same week of stg_detentions
-- The detention list for any date (staff page only: names). Session order: break, lunch,
-- after school, then anything else. A row is its detention and the pupil's year: a week's
-- refresh rewrites the list from its first changed week, not the school's every year.
with detentions as (
  select * from stg_detentions
),
final as (
  select d.school_id, d.date, d.type,
    case d.type when 'break' then 1 when 'lunch' then 2 when 'after school' then 3 else 4 end as session_order,
    d.detention_id, d.student_id, p.first_name, p.last_name, p.year_group, p.form,
    d.minutes, d.reason, d.issued_by, d.status, d.event_id
  from detentions d
  left join int_pupil_names p on p.school_id = d.school_id and p.student_id = d.student_id and p.academic_year = academic_year_of(d.date)
)
select * from final
