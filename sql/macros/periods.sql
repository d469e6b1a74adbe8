-- One spelling per period, so the weekday × period heatmap lines up across exports and with
-- the school day (periods.csv): "Period 1", "lesson 1", "p1" → "P1"; "Lunchtime" → "Lunch".
-- Names the rules do not know are kept as written.
CREATE OR REPLACE MACRO period_label(p) AS
  CASE
    WHEN upper(trim(p)) similar to 'P[0-9]+' THEN upper(trim(p))
    WHEN regexp_matches(lower(trim(p)), '^(period|lesson)\s*[0-9]+$') THEN 'P' || regexp_extract(p, '[0-9]+')
    WHEN lower(trim(p)) in ('before school', 'am before school') THEN 'Before school'
    WHEN lower(trim(p)) in ('registration', 'reg', 'tutor time', 'form time') THEN 'Registration'
    WHEN lower(trim(p)) in ('break', 'morning break') THEN 'Break'
    WHEN lower(trim(p)) in ('lunch', 'lunchtime') THEN 'Lunch'
    WHEN lower(trim(p)) in ('after school', 'pm after school') THEN 'After school'
    ELSE nullif(trim(p), '')
  END;
-- ISO weekday (Monday 1 … Sunday 7) of a day name as periods.csv accepts it; NULL = every day.
CREATE OR REPLACE MACRO weekday_number(d) AS
  CASE left(lower(trim(d)), 3)
    WHEN 'mon' THEN 1 WHEN 'tue' THEN 2 WHEN 'wed' THEN 3 WHEN 'thu' THEN 4
    WHEN 'fri' THEN 5 WHEN 'sat' THEN 6 WHEN 'sun' THEN 7
  END;
