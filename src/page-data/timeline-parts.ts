import type { CompiledMartQuery } from './mart-export.ts';

/**
 * The pupil profile's timelines cut by (school, academic year, detail part), so the page fetches
 * only the year on screen (reports/data/pupil-detail.tar.ts, reports/pupil.md):
 *
 *   const query = timelinePartsQuery(columns, 'URN1', 1500);
 *   // rows: the part's year and detail part ('2024/25', 'b07-1'), then `columns`, ordered by part and pupil
 *
 * - **A year's part holds what the page shows for that year**: the pupil's rows of that academic
 *   year, and also their interventions of other years that run into it (the page counts an
 *   intervention in every year it runs in: reports/components/pupil-year.js, with the same
 *   1 September – 31 July year), copied into each such year in which the pupil has rows (a year
 *   the pupil has no rows in is not offered by the page, as before).
 * - **A year's pieces are cut from that year's rows alone** (`b07`, `b07-1`, …: the mart's detail
 *   file, cut into pieces of whole pupils): within their detail file, pupils are taken in id order,
 *   each counted by their rows of the year (with the copies), and a piece starts where that
 *   running count passes a multiple of `pieceRows`. So a year's piece holds fewer than `pieceRows`
 *   + (its last pupil's rows that year) rows, and a pupil's piece may differ from year to year: the
 *   year's index names each part's detail file and its first and last pupil (the page finds the
 *   pupil's part there). Rows added to the latest year move no pupil of an older year between
 *   pieces, so a week's refresh leaves every older year's parts as they were (when the pieces
 *   were cut by each pupil's largest year, a pupil whose latest year became their largest moved
 *   every later pupil of their detail file, in every year).
 * - **The school's latest year is cut by term as well** (TERMS: `t1_b07`, `t2_b07-1`, …), each
 *   term's pieces from that term's rows alone, **and its latest month apart** (LATEST_MONTH:
 *   `t4_all`, `t4_all-1`, …: the rows from the first day of the month of the year's last dated row,
 *   cut from all of the school's pupils in id order, not by detail file), each term's pieces at a
 *   quarter of `pieceRows` (termPieceRows) and the month's at a sixth (monthPieceRows), so a
 *   pupil's four parts of the year hold fewer than `pieceRows` + (their rows that year) rows, as
 *   one part does: a week's refresh within the month then encodes the month's parts alone, and a
 *   week that starts a month, the term it falls in and the month (docs/performance.md, "Session 46").
 *
 * One query per school, or per group of schools read alike (a week's refresh reads every school's
 * latest term: one query scanning the view once for several schools, where a query per school
 * scanned it once each: docs/performance.md, "Session 36"). The export runs them in two threads
 * (src/page-data/query-parts.ts).
 */
/** What the query itself reads (the years, the copies, the order), whether the page gets them or not. */
const KEY_COLUMNS = ['school_id', 'student_id', 'academic_year', 'kind', 'date', 'end_date', 'time', 'record_id'];

/**
 * Which of a school's parts a parts query reads: the parts named (`academic_year|detail_part`), or
 * every part of the years named; with `fromTerm`, of the school's latest year only its terms from
 * that one on (the term parts: TERMS).
 */
export type TimelinePartsRead = readonly string[] | { years: readonly string[]; fromTerm?: number };

/**
 * The day a TimelinePartsRead reads the latest year (`latest`, its latest month starting on
 * `month`: see LATEST_MONTH) from: the first day of the blocks from its `fromTerm` on, if it reads
 * from a later block than the first.
 */
export function readFrom(only: TimelinePartsRead | undefined, latest: string | null, month: string | null = null): string | undefined {
  const fromTerm = only && !Array.isArray(only) ? (only as { fromTerm?: number }).fromTerm : undefined;
  const years = only ? yearsRead(only) : [];
  return latest !== null && fromTerm && fromTerm > 1 && years.length === 1 && years[0] === latest ? blocksFrom(latest, fromTerm, month) : undefined;
}

/** The academic years a TimelinePartsRead reads rows of. */
export function yearsRead(only: TimelinePartsRead): string[] {
  return [...new Set(Array.isArray(only) ? only.map((p) => splitTimelinePart(p).academic_year) : (only as { years: readonly string[] }).years)].sort();
}

/**
 * The rows of each part, ordered by part: the part named by its school (`part_school`: its
 * number in `schools`, from 1, as queriedTimelinePart reads it), academic year (`part_year`) and
 * detail part (`detail_part`), then `columns`. `schools`: one school, or several read alike (the
 * same `only` and `latest`), each cut exactly as it would be alone. The school by number, not by
 * its id: an id of over 12 bytes would be read with a call into DuckDB for every row
 * (src/page-data/duckdb-columns.ts, columnRuns), and sorted on as text.
 */
export function timelinePartsQuery(
  columns: readonly string[],
  schools: string | readonly string[],
  pieceRows: number,
  only?: TimelinePartsRead,
  enums?: ReadonlyMap<string, readonly string[]>,
  rowHash = false,
  latest: string | null = null,
  month: string | null = null,
): CompiledMartQuery {
  const q = quoteColumn;
  // A text column with a few known values (`enums`: every value the column has, e.g. the mart's
  // record kinds) comes out as an ENUM: the encoder reads each row's index, not its text
  // (src/page-data/chunk-arrow.ts, enumColumn: the same bytes), and the sort carries a byte, not
  // the string. A value not listed would stop the query (DuckDB's conversion error), never be lost.
  const cols = columns
    .map((c) => {
      const values = enums?.get(c);
      return values && values.length > 0 ? `CAST(r.${q(c)} AS ENUM(${values.map(sqlText).join(', ')})) AS ${q(c)}` : `r.${q(c)}`;
    })
    .join(', ');
  // With `only` (a rebuild reusing the previous build's other parts: src/page-data/timeline-reuse.ts),
  // the rows of those parts (or years) alone, filtered before the sort (the sort of every column is
  // most of DuckDB's work); by year too, which DuckDB can take down into the view, and the pieces
  // cut from those years' rows alone (a year's pieces depend on no other year's rows).
  const named = only && Array.isArray(only) ? (only as readonly string[]) : null;
  const parts = named ? `(${named.map(sqlText).join(', ')})` : null;
  const years = only ? `(${yearsRead(only).map(sqlText).join(', ')})` : null;
  const fromTerm = only && !Array.isArray(only) ? ((only as { fromTerm?: number }).fromTerm ?? null) : null;
  // The part named by two short columns (the year, the detail part), not one: text of over 12
  // bytes ('2024/25|b07-1') costs a call into DuckDB per row to read (src/page-data/query-parts.ts).
  const detailPart = detailPartSql('p');
  // With `rowHash`, first each row's hash as timelineFingerprintQuery takes it, so the encoder can
  // give each part's fingerprint (src/page-data/query-parts.ts, PartOptions.rowHash) in this one scan.
  const sql = `${timelineRowsSql(columns, schools, pieceRows, latest, month, years ?? undefined, fromTerm)}
SELECT ${rowHash ? `${rowHashSql(columns)} AS row_hash, ` : ''}p.school_number AS part_school, r.part_year, ${detailPart} AS detail_part, ${cols}
FROM r JOIN pieces p ON ${piecesJoin('p', 'r')}${years ? `\nWHERE r.part_year IN ${years}${parts ? ` AND (r.part_year || '|' || ${detailPart}) IN ${parts}` : ''}` : ''}
ORDER BY p.school_number, r.part_year, detail_part, r.student_id, r."date", r."time", r.kind, r.record_id`;
  return { sql, parameters: [] };
}

/** A parts query's schools and what it reads of them (timelinePartsQuery). */
export interface TimelineQueryPlan {
  schools: string[];
  only?: TimelinePartsRead;
  latest: string | null;
  /** The first day of the latest year's latest month (LATEST_MONTH), null when it has none. */
  month: string | null;
}

/**
 * The parts queries of a build: schools read alike (the same years of a TimelinePartsRead and the
 * same latest year: a week's refresh reads every school's latest terms) share queries, at most
 * `groups` of them, of about as many schools each and in the order given; a school read whole, or
 * by its parts named, is a query of its own (all of a school's years are too many rows to sort
 * together with another's).
 */
export function timelineQueryPlans(
  reading: ReadonlyArray<{ school: string; only?: TimelinePartsRead }>,
  latestOf: ReadonlyMap<string, string>,
  groups: number,
  monthOf: ReadonlyMap<string, string | null> = new Map(),
): TimelineQueryPlan[] {
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`groups must be a positive integer, not ${groups}`);
  const plans: TimelineQueryPlan[] = [];
  const alike = new Map<string, { only: TimelinePartsRead; latest: string | null; month: string | null; schools: string[] }>();
  for (const r of reading) {
    const latest = latestOf.get(r.school) ?? null;
    const month = monthOf.get(r.school) ?? null;
    if (!r.only || Array.isArray(r.only)) {
      plans.push({ schools: [r.school], only: r.only, latest, month });
      continue;
    }
    const key = JSON.stringify([yearsRead(r.only), (r.only as { fromTerm?: number }).fromTerm ?? null, latest, month]);
    const group = alike.get(key) ?? { only: r.only, latest, month, schools: [] };
    alike.set(key, group);
    group.schools.push(r.school);
  }
  for (const { only, latest, month, schools } of alike.values()) {
    const count = Math.min(groups, schools.length);
    for (let i = 0; i < count; i++) {
      plans.push({ schools: schools.slice(Math.floor((i * schools.length) / count), Math.floor(((i + 1) * schools.length) / count)), only, latest, month });
    }
  }
  return plans;
}

/** SQL joining a pieces row (`p`) to the rows (`r`) of its pupil, year and term. */
const piecesJoin = (p: string, r: string) =>
  `${p}.school_id = ${r}.school_id AND ${p}.student_id = ${r}.student_id AND ${p}.part_year = ${r}.part_year AND ${p}.part_term = ${r}.part_term`;

/** An encoded part's school and name (`academic_year|detail_part`), from its key columns as timelinePartsQuery gives them for `schools`. */
export function queriedTimelinePart(keys: readonly unknown[], schools: string | readonly string[]): { school: string; part: string } {
  if (keys.length !== 3) throw new Error(`a timeline part is keyed by school, academic year and detail part, not ${keys.length} value(s)`);
  const list = typeof schools === 'string' ? [schools] : schools;
  const school = list[Number(keys[0]) - 1];
  if (!Number.isInteger(Number(keys[0])) || school === undefined) throw new Error(`a timeline part names school number ${String(keys[0])} of ${list.length}`);
  return { school, part: `${keys[1]}|${keys[2]}` };
}

/**
 * The block of the school's latest academic year (`latest`) a timeline part holds rows of: its
 * term, 1 (1 September – 31 December, and the interventions of earlier years running into the
 * year), 2 (January – March) or 3 (April – August), or 4 (LATEST_MONTH: the year's latest month,
 * from its first day on, in place of that month's term); 0 for a part of a year that is not the
 * latest, cut whole. Rows are placed by their `date` (a week's by its Monday, an intervention by
 * its start). The latest year is cut so that a week's refresh, which adds a row for every pupil on
 * roll, leaves the parts of the blocks before the week as they were (reports/data/pupil-detail.tar.ts):
 * a week within the latest month encodes that month's rows alone, and a week that starts a new
 * month encodes the term it falls in and the new month.
 */
export const TERMS = [1, 2, 3, 4] as const;

/** The calendar terms of the latest year (TERMS without LATEST_MONTH). */
const CALENDAR_TERMS = [1, 2, 3] as const;

/**
 * The latest year's block of its latest month: the rows dated from the first day of the month of
 * the year's last dated row (other than an intervention's start, which may be planned weeks
 * ahead: latestMonthQuery) on. Its pieces are cut from the school's pupils in id order, not a
 * detail file at a time (their detail file is ALL_PUPILS): a month holds a few rows a pupil, and
 * 64 detail files would cut it into at least 64 small parts a school, each costing about as much
 * as its rows (docs/performance.md, "Session 40").
 */
export const LATEST_MONTH = 4;

/** The detail file named by the latest month's parts (`t4_all-3`): every pupil of the school. */
export const ALL_PUPILS = 'all';

/**
 * The piece size of the latest year's term parts: a quarter of the year's (rounded up), so that a
 * pupil's parts of the latest year, one a block, hold no more rows than one part of a year cut
 * whole (with the month's, monthPieceRows, smaller still).
 */
export function termPieceRows(pieceRows: number): number {
  return Math.ceil(pieceRows / TERMS.length);
}

/**
 * The piece size of the latest month's parts: a sixth of the year's (rounded up). A page's largest
 * download adds the largest part of each block, and a term's largest holds a pupil's many rows of
 * the term besides its pieces; a month holds a few rows a pupil, so its parts are mostly their
 * piece: a smaller piece keeps the pupil page under its budget at the large school (297.1 KB at a
 * quarter, against 300: docs/performance.md, "Session 46"), for more parts to encode a week.
 */
export function monthPieceRows(pieceRows: number): number {
  return Math.ceil(pieceRows / 6);
}

/** The first day of term `term` (1–3) of academic year `year` ('2025/26'), ISO. */
export function termStart(year: string, term: number): string {
  const first = Number(year.slice(0, 4));
  if (!Number.isInteger(first) || !CALENDAR_TERMS.includes(term as 1 | 2 | 3)) throw new Error(`no term ${term} of ${year}`);
  return term === 1 ? `${first}-09-01` : term === 2 ? `${first + 1}-01-01` : `${first + 1}-04-01`;
}

/** The last day of term `term` (1–3) of academic year `year`, ISO (the third term runs to 31 August). */
export function termEnd(year: string, term: number): string {
  const first = Number(year.slice(0, 4));
  termStart(year, term);
  return term === 1 ? `${first}-12-31` : term === 2 ? `${first + 1}-03-31` : `${first + 1}-08-31`;
}

/**
 * The first day of the latest year's blocks from `block` on (TERMS), its latest month starting on
 * `month` (null: no row is in that block, which starts after the year): the month's first day when
 * it comes before the term's.
 */
export function blocksFrom(year: string, block: number, month: string | null): string {
  if (block === LATEST_MONTH) {
    // No month: the block is empty, so it starts after the year (no row of the year is read for it).
    return month ?? `${Number(year.slice(0, 4)) + 1}-09-01`;
  }
  const start = termStart(year, block);
  return month !== null && month < start ? month : start;
}

/**
 * The last day of block `block` of the latest year (TERMS), its latest month starting on `month`:
 * a term ends where the month starts, if it does first; the month, with the year.
 */
export function blockEnd(year: string, block: number, month: string | null): string {
  if (block === LATEST_MONTH) return termEnd(year, 3);
  const end = termEnd(year, block);
  if (month === null || month > end) return end;
  // The day before the month's first: ISO dates compare as text, and the block is empty when the month starts first.
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Each school's latest academic year in the timelines and the first day of that year's latest
 * month (LATEST_MONTH; null when the year has no dated row but interventions' starts, or is not
 * named as 2025/26 is): one scan.
 * Rows `school_id`, `latest`, `month` (ISO text).
 */
export function latestMonthQuery(): CompiledMartQuery {
  // The month is held within the year (1 September to 1 August): a week's row is dated by its
  // Monday, which may fall in August before the year's first day (a year starting on a
  // Wednesday), and in a year's first week that may be its last dated row.
  const first = `TRY_CAST(left(academic_year, 4) AS INTEGER)`;
  return {
    sql: `SELECT school_id, academic_year AS latest,
  -- (greatest and least pass over a NULL: a year with no dated row has no month.)
  CASE WHEN last_day IS NOT NULL AND ${first} IS NOT NULL
    THEN CAST(greatest(make_date(${first}, 9, 1), least(make_date(${first} + 1, 8, 1), CAST(date_trunc('month', last_day) AS DATE))) AS VARCHAR) END AS "month"
FROM (
  SELECT school_id, academic_year, max("date") FILTER (WHERE kind <> 'intervention') AS last_day
  FROM mart_pupil_timeline WHERE academic_year IS NOT NULL GROUP BY ALL
)
QUALIFY academic_year = max(academic_year) OVER (PARTITION BY school_id)
ORDER BY school_id`,
    parameters: [],
  };
}

/** A part's block from its name (`t2_b07-1`: 2, `t4_all-1`: 4), 0 for a part of a whole year (`b07-1`). */
export function timelinePartTerm(detailPart: string): number {
  const m = /^t([1-4])_/.exec(detailPart);
  return m ? Number(m[1]) : 0;
}

/** A part's detail file from its name (`t2_b07-1`, `b07-1`: `b07`; `t4_all-1`: ALL_PUPILS). */
export function timelinePartFile(detailPart: string): string {
  return detailPart.replace(/^t[1-4]_/, '').replace(/-\d+$/, '');
}

/** SQL for a part's name from a pieces row (`p`): `[t<term>_]<detail file>[-<piece>]`. */
function detailPartSql(p: string): string {
  return `CASE WHEN ${p}.part_term = 0 THEN '' ELSE 't' || ${p}.part_term || '_' END || ${p}.detail_file || CASE WHEN ${p}.piece = 0 THEN '' ELSE '-' || ${p}.piece END`;
}

/**
 * A fingerprint of each part timelinePartsQuery would write for a school, without sorting or
 * reading the rows out: one row per part (`part`, `rows`, `sum` and `xor` of a 64-bit hash of
 * each row, `pupils`: the part's pupils' ids in order, joined by U+001F). Each row's hash covers every column the
 * query reads (the page's columns, the part, and the key columns that order the rows, so two rows
 * swapping places changes it). The sum as well as the xor: in an xor, two equal rows cancel out.
 * Equal fingerprints mean the same rows in the same order, so the same bytes once encoded by the
 * same code (src/page-data/timeline-reuse.ts adds the code's own fingerprint).
 */
export function timelineFingerprintQuery(columns: readonly string[], school: string, pieceRows: number, latest: string | null = null, month: string | null = null): CompiledMartQuery {
  const sql = `${timelineRowsSql(columns, school, pieceRows, latest, month)},
f AS (
  SELECT r.part_year || '|' || ${detailPartSql('p')} AS part, r.student_id, ${rowHashSql(columns)} AS h
  FROM r JOIN pieces p ON ${piecesJoin('p', 'r')}
)
SELECT part, count(*) AS "rows", CAST(sum(h) AS VARCHAR) AS "sum", CAST(bit_xor(h) AS VARCHAR) AS "xor",
  string_agg(DISTINCT CAST(student_id AS VARCHAR), chr(31) ORDER BY CAST(student_id AS VARCHAR)) AS pupils
FROM f GROUP BY part ORDER BY part`;
  return { sql, parameters: [] };
}

/**
 * Which pupils each part timelinePartsQuery would write for a school holds, without reading the
 * rows: one row per part (`part`, `pupils`: their ids in order, joined by U+001F, as
 * timelineFingerprintQuery gives them). It reads only the pupils' row counts per year and their
 * interventions, for the pieces (src/page-data/timeline-reuse.ts: a rebuild that knows a year's
 * rows are unchanged still needs its parts and pupils).
 */
export function timelineMembersQuery(
  columns: readonly string[],
  school: string,
  pieceRows: number,
  latest: string | null = null,
  years?: readonly string[],
  month: string | null = null,
): CompiledMartQuery {
  const sql = `${timelineRowsSql(columns, school, pieceRows, latest, month, years ? `(${years.map(sqlText).join(', ')})` : undefined)}
SELECT p.part_year || '|' || ${detailPartSql('p')} AS part,
  string_agg(CAST(p.student_id AS VARCHAR), chr(31) ORDER BY CAST(p.student_id AS VARCHAR)) AS pupils
FROM pieces p GROUP BY part ORDER BY part`;
  return { sql, parameters: [] };
}

/** A row's 64-bit hash, of every column the query reads (the page's columns, the part's year, the key columns), as text read from the mart. */
function rowHashSql(columns: readonly string[]): string {
  return `hash(r.part_year, ${[...new Set([...columns, ...KEY_COLUMNS])].map((c) => `r.${quoteColumn(c)}`).join(', ')})`;
}

/** Which of `columns` mart_pupil_timeline holds as text (VARCHAR): rows of `column_name`. */
export function timelineTextColumnsQuery(columns: readonly string[]): CompiledMartQuery {
  const names = columns.length > 0 ? columns.map(sqlText).join(', ') : 'NULL';
  return {
    sql: `SELECT column_name FROM information_schema.columns WHERE table_name = 'mart_pupil_timeline' AND data_type = 'VARCHAR' AND column_name IN (${names}) ORDER BY ordinal_position`,
    parameters: [],
  };
}

/** What a build's parts queries read (timelinePartsQuery): a school's rows, of `years` only when given. */
export interface TimelineRowsRead {
  school: string;
  years?: readonly string[];
  /** With `years`: their rows dated from this day on only (a read of the latest year's later terms, ISO). */
  from?: string;
}

/**
 * One row: for each of `textColumns` (text columns of mart_pupil_timeline), its distinct values
 * (a JSON list, sorted) when it has at most `limit`, else null: for timelinePartsQuery's `enums`
 * (enumsOfTextValues). One scan of the mart for every column: of all of it, or, with `reading`,
 * of the rows those parts queries read (a rebuild's, often only the latest year's): each school's
 * rows of the years named, and its interventions of any year (copied into the years they run into).
 * Beside them, `rows_read`: how many rows that is (for how many threads to read them with).
 */
export function timelineTextValuesQuery(textColumns: readonly string[], limit: number, reading?: readonly TimelineRowsRead[]): CompiledMartQuery {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, not ${limit}`);
  if (textColumns.length === 0) return { sql: 'SELECT 1 AS "none"', parameters: [] };
  const q = quoteColumn;
  // Each column's distinct values gathered once (a list), and its length compared: a count of
  // them beside the list gathered them twice (a trust's week 1.1-1.5 against 0.85 CPU s, a clean
  // build 2.7-2.9 against 2.0; docs/performance.md, "Session 43").
  const lists = textColumns.map((c) => `list(DISTINCT ${q(c)}) FILTER (WHERE ${q(c)} IS NOT NULL) AS ${q(c)}`);
  const capped = textColumns.map((c) => `CASE WHEN len(${q(c)}) <= ${limit} THEN CAST(to_json(list_sort(${q(c)})) AS VARCHAR) END AS ${q(c)}`);
  const rows = `SELECT ${lists.join(', ')}, count(*) AS rows_read FROM ${reading ? `(${rowsReadSql(reading, textColumns)})` : 'mart_pupil_timeline'}`;
  return { sql: `SELECT ${capped.join(', ')}, rows_read FROM (${rows})`, parameters: [] };
}

/**
 * The rows of mart_pupil_timeline that `reading` names (`columns` of them): the schools grouped by
 * the years they read, each group as its rows of those years (from its day, if any) and, apart,
 * its interventions of any other year or day (copied into the years they run into), so that the
 * date range is a plain condition DuckDB takes down into each table's scan (within an OR with the
 * interventions it did not: a trust's week 0.65-0.76 against 0.87-1.00 CPU s, interleaved, the
 * same rows). A school is in one entry of `reading` (a row read twice would be counted twice).
 */
function rowsReadSql(reading: readonly TimelineRowsRead[], columns: readonly string[]): string {
  const cols = columns.map(quoteColumn).join(', ');
  if (reading.length === 0) return `SELECT ${cols} FROM mart_pupil_timeline WHERE FALSE`;
  const byYears = new Map<string, { years?: readonly string[]; from?: string; schools: string[] }>();
  for (const r of reading) {
    const years = r.years ? [...new Set(r.years)].sort() : undefined;
    const from = years ? r.from : undefined;
    const id = JSON.stringify([years ?? null, from ?? null]);
    const group = byYears.get(id) ?? { years, from, schools: [] };
    byYears.set(id, group);
    group.schools.push(r.school);
  }
  // list_contains, not IN: DuckDB turns an IN list of more than a few values into a join, and
  // with that join above the view it no longer leaves out the window the query does not read
  // (negative_points_year's, over every behaviour row): 2.2 against 0.4 CPU s for a trust's week.
  const within = (values: readonly string[], column: string) => `list_contains([${values.map(sqlText).join(', ')}]::VARCHAR[], ${column})`;
  const select = (where: string) => `SELECT ${cols} FROM mart_pupil_timeline WHERE ${where}`;
  return [...byYears.values()]
    .flatMap((g) => {
      const school = within(g.schools, 'school_id');
      if (!g.years) return [select(school)];
      const own = `${within(g.years, 'academic_year')}${g.from ? ` AND "date" >= DATE ${sqlText(g.from)}` : ''}`;
      // coalesce: an intervention with no date (or year) is read with the others.
      return [select(`${school} AND ${own}`), select(`${school} AND kind = 'intervention' AND NOT coalesce(${own}, false)`)];
    })
    .join('\nUNION ALL\n');
}

/** timelineTextValuesQuery's row as `enums`: each column's values, the columns with too many (null) left out. */
export function enumsOfTextValues(row: Readonly<Record<string, unknown>>, textColumns: readonly string[]): Map<string, string[]> {
  const enums = new Map<string, string[]>();
  for (const column of textColumns) {
    const list = row[column];
    if (list !== null && list !== undefined) enums.set(column, (JSON.parse(String(list)) as unknown[]).map(String));
  }
  return enums;
}

const quoteColumn = (c: string) => `"${c.replace(/"/g, '""')}"`;
const sqlText = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * The CTEs the queries share: the schools' rows (`r`, with the copies, each with its `part_term`:
 * see TERMS) and each pupil's piece in each year and term (`pieces`); with `years` (an SQL list),
 * of those academic years only, and with `fromTerm`, of the latest year's terms from that one on.
 * Several schools are read in one scan of each table and cut school by school (a pupil is a school
 * and an id: ids are the school's own).
 */
function timelineRowsSql(
  columns: readonly string[],
  schools: string | readonly string[],
  pieceRows: number,
  latest: string | null,
  month: string | null,
  years?: string,
  fromTerm?: number | null,
): string {
  if (!Number.isInteger(pieceRows) || pieceRows < 1) throw new Error(`pieceRows must be a positive integer, not ${pieceRows}`);
  const q = quoteColumn;
  const firstYear = (y: string) => `CAST(left(${y}, 4) AS INTEGER)`;
  const overlaps = (y: string) =>
    `iv."date" <= make_date(${firstYear(y)} + 1, 7, 31) AND (iv.end_date IS NULL OR iv.end_date >= make_date(${firstYear(y)}, 9, 1))`;
  const all = [...new Set([...columns, ...KEY_COLUMNS])].map(q).join(', ');
  const latestYear = latest === null ? 'NULL::VARCHAR' : sqlText(latest);
  if (month !== null && (latest === null || !/^\d{4}-\d{2}-01$/.test(month) || month < termStart(latest, 1) || month > termEnd(latest, 3))) {
    throw new Error(`the latest month starts on the first of a month of the latest year (${latest}), not ${month}`);
  }
  // A row's block in the latest year, by its date (TERMS: a copy, dated before the year, in the
  // first term; from the latest month's first day, that month).
  const inMonth = (date: string) => (month === null ? '' : ` WHEN ${date} >= DATE '${month}' THEN ${LATEST_MONTH}`);
  const termOf = (year: string, date: string) =>
    latest === null
      ? '0'
      : `CASE WHEN ${year} IS DISTINCT FROM ${latestYear} THEN 0${inMonth(date)} WHEN ${date} < DATE '${termStart(latest, 2)}' THEN 1 WHEN ${date} < DATE '${termStart(latest, 3)}' THEN 2 ELSE 3 END`;
  // Reading the latest year's later blocks alone: its rows before them are left out as the view is read.
  const from = latest !== null && fromTerm && fromTerm > 1 ? blocksFrom(latest, fromTerm, month) : null;
  // (A plain range on the date, which DuckDB takes down into each table's scan, when only the latest year is read.)
  const onlyLatest = years === `(${latestYear})`;
  const list = typeof schools === 'string' ? [schools] : [...schools];
  if (list.length === 0) throw new Error('a timeline query reads at least one school');
  // One school by equality (DuckDB takes it into each table's scan); several by list_contains, not
  // IN: an IN list of more than a few values becomes a join above the view.
  const school = list.length === 1 ? `school_id = ${sqlText(list[0])}` : `list_contains([${list.map(sqlText).join(', ')}]::VARCHAR[], school_id)`;
  // Each school's number in the list, from 1 (timelinePartsQuery's `part_school`), per pupil-year, not per row.
  const schoolNumber = list.length === 1 ? '1' : `list_position([${list.map(sqlText).join(', ')}]::VARCHAR[], school_id)`;
  const own = `${school}${years ? ` AND academic_year IN ${years}` : ''}${from ? (onlyLatest ? ` AND "date" >= DATE '${from}'` : ` AND (academic_year IS DISTINCT FROM ${latestYear} OR "date" >= DATE '${from}')`) : ''}`;
  // The view is read three times, each for what it needs (DuckDB reads only the columns and, through
  // the union, only the record kinds asked for): the pupils' rows per year and term, the
  // interventions, and every row once, streamed in order. Holding the school's rows (MATERIALIZED)
  // cost more memory and CPU than reading the view again.
  return `
WITH year_terms AS MATERIALIZED (
  SELECT school_id, student_id, academic_year, ${termOf('academic_year', '"date"')} AS term, any_value(detail_file) AS detail_file, count(*) AS n
  FROM mart_pupil_timeline WHERE ${own} GROUP BY ALL
),
years AS (SELECT school_id, student_id, academic_year, any_value(detail_file) AS detail_file FROM year_terms GROUP BY ALL),
iv AS MATERIALIZED (SELECT ${all} FROM mart_pupil_timeline WHERE ${school} AND kind = 'intervention'),
copies AS MATERIALIZED (
  SELECT y.academic_year AS part_year, ${termOf('y.academic_year', 'iv."date"')} AS part_term, iv.* FROM iv JOIN years y ON y.school_id = iv.school_id AND y.student_id = iv.student_id
  WHERE iv.academic_year IS DISTINCT FROM y.academic_year AND ${overlaps('y.academic_year')}${from ? ` AND y.academic_year IS DISTINCT FROM ${latestYear}` : ''}
),
pupil_terms AS (
  SELECT coalesce(t.school_id, c.school_id) AS school_id, coalesce(t.student_id, c.student_id) AS student_id, coalesce(t.academic_year, c.part_year) AS academic_year,
    coalesce(t.term, c.part_term) AS term,
    CASE WHEN coalesce(t.term, c.part_term) = ${LATEST_MONTH} THEN '${ALL_PUPILS}' ELSE coalesce(t.detail_file, y.detail_file) END AS detail_file,
    coalesce(t.n, 0) + coalesce(c.n, 0) AS m
  FROM year_terms t
  FULL JOIN (SELECT school_id, student_id, part_year, part_term, count(*) AS n FROM copies GROUP BY ALL) c
    ON c.school_id = t.school_id AND c.student_id = t.student_id AND c.part_year = t.academic_year AND c.part_term = t.term
  LEFT JOIN years y ON y.school_id = c.school_id AND y.student_id = c.student_id AND y.academic_year = c.part_year
),
pieces AS (
  SELECT school_id, ${schoolNumber} AS school_number, student_id, academic_year AS part_year, term AS part_term, detail_file,
    CAST(floor(coalesce(sum(m) OVER (PARTITION BY school_id, detail_file, academic_year, term ORDER BY student_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
      / CASE WHEN term = 0 THEN ${pieceRows} WHEN term = ${LATEST_MONTH} THEN ${monthPieceRows(pieceRows)} ELSE ${termPieceRows(pieceRows)} END) AS INTEGER) AS piece
  FROM pupil_terms
),
r AS (
  SELECT academic_year AS part_year, ${termOf('academic_year', '"date"')} AS part_term, ${all} FROM mart_pupil_timeline WHERE ${own}
  UNION ALL
  SELECT * FROM copies
)`;
}

/** A part's key as the query names it: `academic_year|detail_part`. */
export function splitTimelinePart(part: string): { academic_year: string; detail_part: string } {
  const at = part.lastIndexOf('|');
  if (at < 0) throw new Error(`a timeline part is named academic_year|detail_part, not ${part}`);
  return { academic_year: part.slice(0, at), detail_part: part.slice(at + 1) };
}
