-- Every intervention with its pupil (staff list: names included), one row per intervention:
-- type, focus, staff, status, start / end / review dates, sessions planned and attended.
-- as_of_date: the school's last school day in the data. is_running: started by then, not
-- ended before it, and not planned, completed or withdrawn. review_overdue: running with a
-- review date before as_of_date. baseline_negative_per_week / after_negative_per_week /
-- after_weeks: the pupil's own negative events per school week in the window before the start
-- week and in the (up to settings.impact_window_weeks) school weeks after it so far, from
-- mart_intervention_impact (no comparison group: a single pupil's change is not an impact
-- estimate). academic_year: of the start date.
with interventions as (
  select *, academic_year_of(start_date) as academic_year from stg_interventions
),
as_of as (
  select school_id, max(date) as as_of_date from int_school_days group by school_id
),
impact as (
  select school_id, intervention_id, baseline_weeks, baseline_negative_per_week, after_weeks, after_negative_per_week
  from mart_intervention_impact
),
final as (
  select i.school_id, i.academic_year, i.intervention_id, i.student_id, p.first_name, p.last_name, p.year_group, p.form,
    i.type, i.focus, i.staff, i.status, i.group_id, i.start_date, i.end_date, i.review_date,
    i.sessions_planned, i.sessions_attended,
    round(100.0 * i.sessions_attended / nullif(i.sessions_planned, 0), 1) as sessions_attended_pct,
    a.as_of_date,
    coalesce(i.status not in ('planned', 'completed', 'withdrawn') and i.start_date <= a.as_of_date
      and coalesce(i.end_date, DATE '9999-12-31') >= a.as_of_date, false) as is_running,
    coalesce(i.status not in ('planned', 'completed', 'withdrawn') and i.start_date <= a.as_of_date
      and coalesce(i.end_date, DATE '9999-12-31') >= a.as_of_date and i.review_date < a.as_of_date, false) as review_overdue,
    m.baseline_weeks, m.baseline_negative_per_week, m.after_weeks, m.after_negative_per_week
  from interventions i
  left join as_of a using (school_id)
  left join int_pupil_names p on p.school_id = i.school_id and p.student_id = i.student_id and p.academic_year = i.academic_year
  left join impact m on m.school_id = i.school_id and m.intervention_id = i.intervention_id
)
select * from final
