-- incremental: school_year
-- The regression adjustment of each intervention's comparison (int_intervention_matches): one
-- row per intervention with at least one comparison pupil, with its pupil's windows (on the
-- measure it aims at: on_attendance) and its adjustment = b1 × (pupil's run − comparison's mean
-- run) + b2 × (pupil's level − theirs), where b1, b2 are the least-squares slopes of the change
-- (y) on the run (x1) and the level (x2) among all matched comparison pupils of the school and
-- academic year (one fit for negative events, one for attendance). mart_intervention_impact adds
-- it to the comparison pupils' mean change; the impact marts add it to each resample's
-- re-weighted mean change (int_impact_resamples_keyed: the adjustment is kept as estimated).
-- Kept apart from the matches because the fit spans the year: a new week changes it, so this
-- small model is rebuilt for the whole year while the matches and the resamples are updated
-- only from the first start week whose windows reach the new week.
with matches as (
  select * from int_intervention_matches
),
matched as (
  select * from matches where nearness > 0
),
slopes as (
  -- How the change follows the run and the level among the matched comparison pupils, per school,
  -- academic year and measure: least squares y = a + b1 x1 + b2 x2, from exact sums.
  select school_id, academic_year, on_attendance,
    case when det > 1e-9 * s11 * s22 and det > 0 then (s22 * s1y - s12 * s2y) / det
         when s11 > 0 then s1y / s11 else 0 end as b1,
    case when det > 1e-9 * s11 * s22 and det > 0 then (s11 * s2y - s12 * s1y) / det else 0 end as b2
  from (
    select *, s11 * s22 - s12 * s12 as det from (
      select school_id, academic_year, on_attendance,
        (sum(dx1 * dx1) / n - (sum(dx1) / n) ^ 2)::DOUBLE as s11,
        (sum(dx2 * dx2) / n - (sum(dx2) / n) ^ 2)::DOUBLE as s22,
        (sum(dx1 * dx2) / n - sum(dx1) / n * sum(dx2) / n)::DOUBLE as s12,
        (sum(dx1 * dy) / n - sum(dx1) / n * sum(dy) / n)::DOUBLE as s1y,
        (sum(dx2 * dy) / n - sum(dx2) / n * sum(dy) / n)::DOUBLE as s2y
      from (
        select school_id, academic_year, on_attendance, x1::DECIMAL(18, 6) as dx1, x2::DECIMAL(18, 6) as dx2, y::DECIMAL(18, 6) as dy,
          count(*) over (partition by school_id, academic_year, on_attendance) as n
        -- Attendance missing (no possible sessions, the −100 placeholder) is left out of the fit.
        from matched where y is not null and x1 > -100 and x2 > -100
      )
      group by school_id, academic_year, on_attendance, n
    )
  )
),
comparison as (
  -- Per intervention: its comparison pupils' mean run and level, and whether any has a missing
  -- attendance figure.
  select school_id, academic_year, intervention_key,
    min(x1) as min_x1, min(x2) as min_x2, avg(x1::DECIMAL(18, 6)) as mean_x1, avg(x2::DECIMAL(18, 6)) as mean_x2
  from matched
  group by school_id, academic_year, intervention_key
),
final as (
  -- The rest of the pupil's difference from their comparison pupils on the run and the level,
  -- as the slopes say it moves the change: added to the comparison pupils' mean change.
  -- None where an attendance figure is missing (the −100 placeholder), or there was nothing to fit.
  select p.school_id, p.academic_year, p.intervention_key, p.intervention_id, p.student_id, p.on_attendance,
    p.baseline_negative_per_week, p.after_negative_per_week, p.baseline_attendance_pct, p.after_attendance_pct,
    case when c.min_x1 = -100 or c.min_x2 = -100 or p.x1 = -100 or p.x2 = -100 then 0
      else coalesce(s.b1, 0) * (p.x1 - c.mean_x1) + coalesce(s.b2, 0) * (p.x2 - c.mean_x2) end as adjustment
  from matches p
  join comparison c using (school_id, academic_year, intervention_key)
  left join slopes s on s.school_id = p.school_id and s.academic_year = p.academic_year and s.on_attendance = p.on_attendance
  where p.nearness = 0
)
select * from final
