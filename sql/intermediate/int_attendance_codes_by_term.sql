-- incremental: school_year
-- incremental weeks: by term_last_day
-- Register marks by code per school, academic year, term and year group (sessions and minutes
-- late, with the code's class): the finest rows of mart_attendance_codes, which adds the whole
-- year, all year groups and the descriptions. Kept apart so that a weekly refresh recounts the
-- current term only: each row lies at term_last_day, a day no mark of the term can come after
-- (the calendar's last day for the term, or the default pattern's, whichever is later; 31 August
-- for a term the default pattern does not name), so the rows of a week's terms depend on marks up
-- to that week, and the runner recounts only the terms ending on or after the first changed week.
-- The runner's filter on term_last_day reaches the marks: the school days are filtered by it
-- before they are joined to the marks (no window stands between, so DuckDB pushes it down).
with marks as (
  select school_id, student_id, date, code, minutes_late from stg_attendance
),
pupils as (
  select school_id, student_id, academic_year, year_group from int_pupil_roll
),
-- The days with marks: the school days, and the days the school was closed to pupils
-- (int_closed_days: no mark a possible session, `#` for everyone on an INSET day), which are not
-- school days but whose marks are counted too.
all_days as (
  select school_id, date, academic_year, term from int_school_days
  union all
  select school_id, date, academic_year, term from int_closed_days
),
school_terms as (
  select distinct school_id, academic_year, term from all_days
),
-- The day after which no school day of the term can fall. A day takes its term from a calendar
-- row holding it, else from default_term (sql/macros/calendar.sql): Autumn to 31 December,
-- Spring to the day before Good Friday, anything else to 31 August; and it lies in its academic
-- year, so 31 August bounds every term.
term_bounds as (
  select t.school_id, t.academic_year, t.term,
    least(
      make_date(academic_year_start_of_label(t.academic_year) + 1, 8, 31),
      greatest(
        case t.term
          when 'Autumn' then make_date(academic_year_start_of_label(t.academic_year), 12, 31)
          when 'Spring' then (easter_sunday(academic_year_start_of_label(t.academic_year) + 1) - INTERVAL 3 DAY)::DATE
          else make_date(academic_year_start_of_label(t.academic_year) + 1, 8, 31)
        end,
        (select max(c.end_date) from stg_calendar c
         where c.school_id = t.school_id and c.term = t.term
           and c.start_date <= make_date(academic_year_start_of_label(t.academic_year) + 1, 8, 31)
           and c.end_date >= make_date(academic_year_start_of_label(t.academic_year), 9, 1))
      )
    ) as term_last_day
  from school_terms t
),
-- Each school day's term, numbered (school, academic year, term) across the warehouse so the
-- marks (42M at the trust scale) are counted per term number, pupil and code: one integer
-- and two short strings to group by, not four strings. The academic year is the school day's
-- (int_school_days), not worked out again for each mark.
numbered_days as (
  select school_id, date, academic_year, term,
    dense_rank() over (order by school_id, academic_year, term) as term_key
  from all_days
),
days as (
  select d.school_id, d.date, d.term_key, b.term_last_day
  from numbered_days d
  join term_bounds b using (school_id, academic_year, term)
),
terms as (
  select distinct term_key, school_id, academic_year, term from numbered_days
),
counted as (
  select d.term_key, d.term_last_day, m.student_id, m.code,
    count(*) as sessions,
    sum(m.minutes_late) as minutes_late
  from marks m
  join days d using (school_id, date)
  group by all
),
-- Then classified by the code (ref_attendance_codes, as int_attendance_classified classifies
-- each mark) and placed in the pupil's year group: the same sums, without joining every mark
-- to its pupil.
by_pupil as (
  select t.school_id, c.student_id, t.academic_year, t.term, c.term_last_day, c.code, r.class, r.is_retired, c.sessions, c.minutes_late
  from counted c
  join terms t using (term_key)
  join ref_attendance_codes r using (code)
),
final as (
  -- Summed per term, year group and code (the finest of mart_attendance_codes' four totals), so
  -- its totals add up these rows rather than every pupil's once each.
  select b.school_id, b.academic_year, b.term, b.term_last_day, p.year_group, b.code,
    any_value(b.class) as class, any_value(b.is_retired) as is_retired,
    sum(b.sessions) as sessions, sum(b.minutes_late) as minutes_late
  from by_pupil b
  join pupils p using (school_id, student_id, academic_year)
  group by b.school_id, b.academic_year, b.term, b.term_last_day, p.year_group, b.code
)
select * from final
