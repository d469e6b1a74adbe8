import type { CompiledMartQuery } from './mart-export.ts';

/**
 * The pupil profile's timelines cut by (school, academic year, detail part), so the page fetches
 * only the year on screen (reports/data/pupil-detail.tar.ts, reports/pupil.md):
 *
 *   const query = timelinePartsQuery(columns, 'URN1', 1500);
 *   // rows: part ('2024/25|b07-1'), then `columns`, ordered by part and pupil
 *
 * - **A year's part holds what the page shows for that year**: the pupil's rows of that academic
 *   year, and also their interventions of other years that run into it (the page counts an
 *   intervention in every year it runs in: reports/components/pupil-year.js, with the same
 *   1 September – 31 July year), copied into each such year in which the pupil has rows (a year
 *   the pupil has no rows in is not offered by the page, as before).
 * - **A pupil's detail part is the same in every year** (`b07`, `b07-1`, …: the mart's detail file,
 *   cut into pieces of whole pupils), so the directory names it once with the pupil's years and
 *   the page finds the year's file in that year's index. Pupils are taken in id order within
 *   their detail file, each counted by their largest year (rows, with the copies); a piece starts
 *   where that running count passes a multiple of `pieceRows`. So in any year a piece holds fewer
 *   than `pieceRows` + (the largest pupil-year of its last pupil) rows.
 *
 * One query per school (the export runs them in two threads: src/page-data/query-parts.ts).
 * The view is worked out once per query (MATERIALIZED): it is a union of every record kind.
 */
export function timelinePartsQuery(columns: readonly string[], school: string, pieceRows: number): CompiledMartQuery {
  if (!Number.isInteger(pieceRows) || pieceRows < 1) throw new Error(`pieceRows must be a positive integer, not ${pieceRows}`);
  const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
  const cols = columns.map((c) => `r.${q(c)}`).join(', ');
  const firstYear = (y: string) => `CAST(left(${y}, 4) AS INTEGER)`;
  const sql = `
WITH t AS MATERIALIZED (
  SELECT detail_file, ${columns.map(q).join(', ')}, record_id FROM mart_pupil_timeline WHERE school_id = $1
),
years AS (SELECT DISTINCT student_id, academic_year FROM t),
r AS (
  SELECT t.academic_year AS part_year, t.* FROM t
  UNION ALL
  SELECT y.academic_year AS part_year, t.* FROM t JOIN years y ON y.student_id = t.student_id
  WHERE t.kind = 'intervention' AND t.academic_year IS DISTINCT FROM y.academic_year
    AND t."date" <= make_date(${firstYear('y.academic_year')} + 1, 7, 31)
    AND (t.end_date IS NULL OR t.end_date >= make_date(${firstYear('y.academic_year')}, 9, 1))
),
pupil_years AS (SELECT student_id, any_value(detail_file) AS detail_file, part_year, count(*) AS n FROM r GROUP BY student_id, part_year),
pupils AS (SELECT student_id, any_value(detail_file) AS detail_file, max(n) AS m FROM pupil_years GROUP BY student_id),
pieces AS (
  SELECT student_id, CAST(floor(coalesce(sum(m) OVER (PARTITION BY detail_file ORDER BY student_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) / ${pieceRows}) AS INTEGER) AS piece, detail_file
  FROM pupils
)
SELECT r.part_year || '|' || p.detail_file || CASE WHEN p.piece = 0 THEN '' ELSE '-' || p.piece END AS part, ${cols}
FROM r JOIN pieces p ON p.student_id = r.student_id
ORDER BY part, r.student_id, r."date", r."time", r.kind, r.record_id`;
  return { sql, parameters: [school] };
}

/** A part's key as the query names it: `academic_year|detail_part`. */
export function splitTimelinePart(part: string): { academic_year: string; detail_part: string } {
  const at = part.lastIndexOf('|');
  if (at < 0) throw new Error(`a timeline part is named academic_year|detail_part, not ${part}`);
  return { academic_year: part.slice(0, at), detail_part: part.slice(at + 1) };
}
