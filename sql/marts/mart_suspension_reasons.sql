-- Suspensions by DfE reason code per school and academic year.
with suspensions as (
  select *, academic_year_of(start_date) as academic_year from stg_suspensions
),
final as (
  select school_id, academic_year, type, coalesce(reason, 'Not recorded') as reason,
    case coalesce(reason, '')
      when 'PD' then 'Persistent disruptive behaviour' when 'VA' then 'Verbal abuse or threat against an adult'
      when 'VP' then 'Verbal abuse or threat against a pupil' when 'PA' then 'Physical assault against an adult'
      when 'PP' then 'Physical assault against a pupil' when 'BU' then 'Bullying' when 'RA' then 'Racist abuse'
      when 'LG' then 'Abuse against sexual orientation or gender identity' when 'DS' then 'Abuse relating to disability'
      when 'SM' then 'Sexual misconduct' when 'DA' then 'Drug and alcohol related' when 'DM' then 'Damage'
      when 'TH' then 'Theft' when 'OW' then 'Use or threat of use of an offensive weapon or prohibited item'
      when 'MT' then 'Inappropriate use of social media or online technology' when 'OT' then 'Other'
      else coalesce(reason, 'Not recorded') end as reason_description,
    count(*)::INTEGER as suspensions
  from suspensions
  group by all
)
select * from final
