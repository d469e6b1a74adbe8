-- Three counts in one number, so that one windowed sum adds up all three. A window frame's sum
-- costs about as much per aggregate as the frame itself (at the trust scale ~0.85 CPU s each
-- over 4.4M pupil-weeks), and three sums over one frame cost three times one: packed, they cost
-- one. Each count has 17 bits; a count of one row is held to 0–2047 (a pupil-week's events or
-- sessions are far fewer), so a frame of up to 64 rows (a school year is at most 53 pupil-weeks;
-- every frame here lies within one pupil-year) sums each count exactly, with no carry into the
-- next, and the whole sum stays below 2^51. The number is a DOUBLE: every integer below 2^53 is
-- one exactly, whatever order the additions come in, and DuckDB sums DOUBLEs in a window frame
-- faster than the HUGEINTs a sum of integers gives (int_watchlist_signals' eight frames: 10.7
-- against 8.6 CPU s over a trust's 4.4M pupil-weeks, the same rows). A count outside that range,
-- or null, stops the model with an error rather than giving a wrong sum.
CREATE OR REPLACE MACRO pack_counts(packed_a, packed_b, packed_c) AS
  CASE WHEN packed_a BETWEEN 0 AND 2047 AND packed_b BETWEEN 0 AND 2047 AND packed_c BETWEEN 0 AND 2047
    THEN (packed_a::BIGINT + (packed_b::BIGINT << 17) + (packed_c::BIGINT << 34))::DOUBLE
    ELSE error('pack_counts: a count outside 0–2047 cannot be packed: ' || coalesce(packed_a::VARCHAR, 'null') || ', '
      || coalesce(packed_b::VARCHAR, 'null') || ', ' || coalesce(packed_c::VARCHAR, 'null'))
  END;
-- Count i (0, 1 or 2) of a sum of packed counts, as a HUGEINT: the type sum() gives an integer count.
CREATE OR REPLACE MACRO packed_count(packed_sum, i) AS
  ((packed_sum::BIGINT >> (17 * i)) & 131071)::HUGEINT;
-- A school week's index and a count in one BIGINT that orders by the week (the index in the high
-- bits), so a top N of numbers (max(x, N)) gives a pupil's last N weeks with their counts: a top
-- N of structs cost several times as much (mart_pupils_of_concern: 0.43 against about 0.1 CPU s
-- at the trust scale). A count outside 0–1048575, or null, stops the model with an error.
CREATE OR REPLACE MACRO pack_week_count(packed_week, packed_n) AS
  CASE WHEN packed_n BETWEEN 0 AND 1048575 THEN (packed_week::BIGINT << 20) + packed_n
    ELSE error('pack_week_count: a count outside 0–1048575 cannot be packed with its week: ' || coalesce(packed_n::VARCHAR, 'null'))
  END;
-- The week_index and the count of a pack_week_count.
CREATE OR REPLACE MACRO packed_week_index(packed_week_n) AS (packed_week_n >> 20)::INTEGER;
CREATE OR REPLACE MACRO packed_week_count(packed_week_n) AS (packed_week_n & 1048575)::INTEGER;
