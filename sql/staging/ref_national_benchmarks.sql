-- National figures for state-funded secondary schools in England (DfE, Explore Education
-- Statistics: "Pupil absence in schools in England" and "Suspensions and permanent exclusions
-- in England"), shown beside the school's own with their source and year. term: NULL for a
-- whole academic year; a term name for a figure about that term only (the autumn-term
-- persistent absence rate is lower than the full year's, so an autumn term is compared with it).
-- attendance_pct is derived here, once: 100 − the overall absence rate of the same year.
with figures(measure, academic_year, term, value, unit, source) as (
  values
    ('overall_absence_pct', '2022/23', NULL, 9.0, '% of possible sessions', 'DfE Pupil absence in schools in England, 2022/23'),
    ('overall_absence_pct', '2023/24', NULL, 8.9, '% of possible sessions', 'DfE Pupil absence in schools in England, 2023/24'),
    ('authorised_absence_pct', '2023/24', NULL, 5.4, '% of possible sessions', 'DfE Pupil absence in schools in England, 2023/24'),
    ('unauthorised_absence_pct', '2023/24', NULL, 3.5, '% of possible sessions', 'DfE Pupil absence in schools in England, 2023/24'),
    ('persistent_absence_pct', '2023/24', NULL, 26.5, '% of pupils', 'DfE Pupil absence in schools in England, 2023/24 (secondary, about 26–27%)'),
    ('persistent_absence_pct', '2023/24', 'Autumn', 24.6, '% of pupils', 'DfE Pupil absence in schools in England, autumn term 2023/24 (secondary)'),
    ('severe_absence_pct', '2023/24', NULL, 2.3, '% of pupils', 'DfE Pupil absence in schools in England, 2023/24 (all pupils)'),
    ('suspensions_per_100', '2022/23', NULL, 18.9, 'per 100 pupils', 'DfE Suspensions and permanent exclusions in England, 2022/23'),
    ('suspensions_per_100', '2023/24', NULL, 22.6, 'per 100 pupils', 'DfE Suspensions and permanent exclusions in England, 2023/24'),
    ('permanent_exclusions_per_100', '2022/23', NULL, 0.22, 'per 100 pupils', 'DfE Suspensions and permanent exclusions in England, 2022/23')
),
derived as (
  select * from figures
  union all
  select 'attendance_pct', academic_year, term, (100 - value)::DECIMAL(4, 2), '% of possible sessions', source
  from figures
  where measure = 'overall_absence_pct'
),
final as (
  select measure, academic_year, term::VARCHAR as term, value, unit, source from derived
)
select * from final
