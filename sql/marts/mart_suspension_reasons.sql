-- incremental: school
-- Suspensions by DfE reason code per school and academic year, in words from ref_suspension_reasons.
with suspensions as (
  select *, academic_year_of(start_date) as academic_year from stg_suspensions
),
final as (
  select s.school_id, s.academic_year, s.type, coalesce(s.reason, 'Not recorded') as reason,
    coalesce(r.description, coalesce(s.reason, 'Not recorded')) as reason_description,
    count(*)::INTEGER as suspensions
  from suspensions s
  left join ref_suspension_reasons r on r.reason = s.reason
  group by all
)
select * from final
