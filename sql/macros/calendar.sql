-- Shared calendar rules. An English academic year runs 1 September to 31 August and is named
-- "2025/26"; school weeks start on Monday.
CREATE OR REPLACE MACRO academic_year_start(d) AS
  CASE WHEN month(d) >= 9 THEN year(d) ELSE year(d) - 1 END;
-- The name of the academic year that starts in September of start_year (2025 → "2025/26").
-- Models that count many rows group by academic_year_start (an integer) and name the year
-- after counting: a string built for each of 42M register marks costs more than the count.
CREATE OR REPLACE MACRO academic_year_label(start_year) AS
  start_year::VARCHAR || '/' || lpad(((start_year + 1) % 100)::VARCHAR, 2, '0');
CREATE OR REPLACE MACRO academic_year_of(d) AS
  academic_year_label(academic_year_start(d));
CREATE OR REPLACE MACRO academic_year_start_of_label(label) AS
  left(label, 4)::INTEGER;
CREATE OR REPLACE MACRO school_week_start(d) AS
  date_trunc('week', d)::DATE;
-- Easter Sunday (anonymous Gregorian algorithm): Spring term ends at the Easter break when a
-- school sends no calendar.csv.
CREATE OR REPLACE MACRO easter_sunday(y) AS (
  -- Internal names carry an easter_ prefix: macro bodies are expanded inside the caller's
  -- query, where a short name like "m" would capture the caller's table alias.
  SELECT make_date(y::BIGINT, ((easter_h + easter_l - 7 * easter_m + 114) // 31)::BIGINT,
                   (((easter_h + easter_l - 7 * easter_m + 114) % 31) + 1)::BIGINT)
  FROM (
    SELECT easter_h, easter_l, (easter_a + 11 * easter_h + 22 * easter_l) // 451 AS easter_m FROM (
      SELECT easter_a, easter_h, (32 + 2 * easter_e + 2 * easter_i - easter_h - easter_k) % 7 AS easter_l FROM (
        SELECT easter_a, easter_e, easter_i, easter_k,
               (19 * easter_a + easter_b - easter_d - easter_g + 15) % 30 AS easter_h FROM (
          SELECT y % 19 AS easter_a, y // 100 AS easter_b, (y // 100) // 4 AS easter_d, (y // 100) % 4 AS easter_e,
                 ((y // 100) - (((y // 100) + 8) // 25) + 1) // 3 AS easter_g, (y % 100) // 4 AS easter_i,
                 (y % 100) % 4 AS easter_k
        )
      )
    )
  )
);
-- Default English pattern when calendar.csv is absent: Autumn Sep–Dec, Spring Jan–Easter
-- break (the Friday before Easter), Summer after. Half-terms: Autumn splits at 1 November,
-- Spring at the end of February, Summer at 1 June (approximations; calendar.csv is exact).
CREATE OR REPLACE MACRO default_term(d) AS
  CASE WHEN month(d) >= 9 THEN 'Autumn'
       WHEN d < easter_sunday(year(d)) - INTERVAL 2 DAY THEN 'Spring'
       ELSE 'Summer' END;
CREATE OR REPLACE MACRO default_half_term(d) AS
  CASE WHEN month(d) IN (9, 10) THEN 1
       WHEN month(d) >= 11 THEN 2
       WHEN default_term(d) = 'Spring' AND month(d) <= 2 THEN 3
       WHEN default_term(d) = 'Spring' THEN 4
       WHEN month(d) < 6 THEN 5
       ELSE 6 END;
