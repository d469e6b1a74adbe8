-- incremental: school_year
-- incremental weeks: by week_start; same week of stg_attendance
-- Sessions per pupil per school week. The one pass over the register marks that the weekly
-- attendance models share. A week's row reads that week's marks only, so a weekly refresh
-- counts the new week's marks alone; the running totals for the year so far are summed by the
-- models that show them (mart_yeargroup_week; int_attendance_thresholds_by_pupil_week).
-- The marks (42M at the trust scale) are counted in one pass with no join to the school days
-- and no string built per mark (the academic year is counted by the calendar year it starts
-- in, academic_year_start, and named after counting: the school day's year, academic_year_of).
-- Eight counts of one aggregate each cost more than the pass itself, so each code's classes
-- (ref_attendance_codes: the same flags int_attendance_classified gives each mark) are one
-- number with a byte per class, and a week's marks are summed once: a pupil's week has at most
-- 14 marks (two sessions a day), so no byte carries into the next. The bytes are read back
-- after counting. Minutes late (0–600 a mark) are summed per kind of late mark the same way:
-- one sum, a 16-bit lane per kind (two filtered sums cost more).
with codes as (
  select code, is_late_before_close, is_late_after_close,
    is_possible::UBIGINT
      | (is_attending::UBIGINT << 8)
      | (is_present::UBIGINT << 16)
      | (is_approved_activity::UBIGINT << 24)
      | (is_authorised::UBIGINT << 32)
      | (is_unauthorised::UBIGINT << 40)
      | (is_late_before_close::UBIGINT << 48)
      | (is_late_after_close::UBIGINT << 56) as class_bytes,
    -- A mark's minutes late go to the lanes of its kinds of late mark: 16 bits each, and a week's
    -- minutes are at most 14 × 600 (the data contract's 0–600 a mark), so neither lane carries.
    is_late_before_close::INTEGER | (is_late_after_close::INTEGER << 16) as late_lanes
  from ref_attendance_codes
),
counted as (
  select m.school_id, m.student_id, academic_year_start(m.date) as year_start, school_week_start(m.date) as week_start,
    -- sum() of a UBIGINT is a HUGEINT, whose shifts in the next step cost more than the count;
    -- the bytes never carry, so the sum fits a UBIGINT.
    sum(c.class_bytes)::UBIGINT as class_bytes,
    sum(m.minutes_late * c.late_lanes)::BIGINT as late_minutes,
    max(m.date) as last_mark_date
  from stg_attendance m
  join codes c using (code)
  group by all
),
weekly as (
  select
    school_id,
    student_id,
    academic_year_label(year_start) as academic_year,
    week_start,
    (class_bytes & 255)::INTEGER as possible_sessions,
    ((class_bytes >> 8) & 255)::INTEGER as attending_sessions,
    ((class_bytes >> 16) & 255)::INTEGER as present_sessions,
    ((class_bytes >> 24) & 255)::INTEGER as approved_activity_sessions,
    ((class_bytes >> 32) & 255)::INTEGER as authorised_sessions,
    ((class_bytes >> 40) & 255)::INTEGER as unauthorised_sessions,
    ((class_bytes >> 48) & 255)::INTEGER as late_before_close_sessions,
    ((class_bytes >> 56) & 255)::INTEGER as late_after_close_sessions,
    ((late_minutes & 65535) + (late_minutes >> 16))::INTEGER as minutes_late,
    (late_minutes & 65535)::INTEGER as minutes_late_before_close,
    (late_minutes >> 16)::INTEGER as minutes_late_after_close,
    last_mark_date
  from counted
),
final as (
  select * from weekly
)
select * from final
