-- Three counts in one number, so that one windowed sum adds up all three. A window frame's sum
-- costs about as much per aggregate as the frame itself (at the trust scale ~0.85 CPU s each
-- over 4.4M pupil-weeks), and three sums over one frame cost three times one: packed, they cost
-- one. Each count has 21 bits; a count of one row is held to 0–16383 (a pupil-week's events or
-- sessions are far fewer), so a frame of up to 128 rows (a school year is at most 53 pupil-weeks)
-- sums each count exactly, with no carry into the next. A count outside that range, or null,
-- stops the model with an error rather than giving a wrong sum.
CREATE OR REPLACE MACRO pack_counts(packed_a, packed_b, packed_c) AS
  CASE WHEN packed_a BETWEEN 0 AND 16383 AND packed_b BETWEEN 0 AND 16383 AND packed_c BETWEEN 0 AND 16383
    THEN packed_a::UBIGINT | (packed_b::UBIGINT << 21) | (packed_c::UBIGINT << 42)
    ELSE error('pack_counts: a count outside 0–16383 cannot be packed: ' || coalesce(packed_a::VARCHAR, 'null') || ', '
      || coalesce(packed_b::VARCHAR, 'null') || ', ' || coalesce(packed_c::VARCHAR, 'null'))
  END;
-- Count i (0, 1 or 2) of a sum of packed counts, as a HUGEINT: the type sum() gives an integer count.
CREATE OR REPLACE MACRO packed_count(packed_sum, i) AS
  ((packed_sum::HUGEINT >> (21 * i)) & 2097151)::HUGEINT;
