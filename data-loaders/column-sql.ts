import { ATTENDANCE_CODES, RETIRED_ATTENDANCE_CODES, type ColumnSpec, type ColumnType } from './contract.ts';
import { literal } from '../src/warehouse/warehouse.ts';

/** The DuckDB type each contract type is stored as in `raw.*`. */
export const SQL_TYPE: Record<ColumnType, string> = {
  text: 'VARCHAR',
  integer: 'INTEGER',
  number: 'DOUBLE',
  date: 'DATE',
  datetime: 'TIMESTAMP',
  time: 'TIME',
  boolean: 'BOOLEAN',
  year_group: 'INTEGER',
  academic_year: 'VARCHAR',
  session: 'VARCHAR',
  attendance_code: 'VARCHAR',
  enum: 'VARCHAR',
};

// Day-first always: 03/09/2025 is 3 September; month-first is never tried. The format is
// chosen by the value's shape because DuckDB's %Y also accepts two digits ("3/9/25" would
// otherwise become the year 25). Each shape may be followed by a time (HH:MM[:SS]).
const DATE_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/^\d{1,2}\/\d{1,2}\/\d{4}/, '%d/%m/%Y'],
  [/^\d{1,2}\/\d{1,2}\/\d{2}/, '%d/%m/%y'],
  [/^\d{1,2}-\d{1,2}-\d{4}/, '%d-%m-%Y'],
  [/^\d{1,2}\.\d{1,2}\.\d{4}/, '%d.%m.%Y'],
  [/^\d{1,2} [A-Za-z]{3} \d{4}/, '%d %b %Y'],
  [/^\d{1,2} [A-Za-z]{4,9} \d{4}/, '%d %B %Y'],
];
const TIME_SUFFIX = '(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2})?)?$';
const TIME_FORMATS = ['', ' %H:%M', ' %H:%M:%S', 'T%H:%M', 'T%H:%M:%S'];

/** The schools' time zone: every date, time and period is the school's own clock (GMT or BST). */
const SCHOOL_TIME_ZONE = 'Europe/London';

/** An ISO date-time that names its zone: `Z` (UTC) or an offset (`+01:00`, `-0500`, `+01`). */
const ZONED_ISO = '^\\d{4}-\\d{2}-\\d{2}[ T]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?\\s*(?:[Zz]|[+-]\\d{2}(?::?\\d{2})?)$';

/** SQL: true when the text `v` is an ISO date-time naming its zone (checked only where a ':' is). */
export function isZonedIso(v: string): string {
  return `(contains(${v}, ':') AND regexp_matches(${v}, '${ZONED_ISO}'))`;
}

/**
 * SQL: the instant a zoned ISO text `v` names, as the school's local time (TIMESTAMP): a vendor
 * export written in UTC (2026-06-01T23:30:00Z) happened on 2 June at 00:30 in school (BST).
 * DuckDB's own cast would drop the zone and keep 23:30 on 1 June.
 */
export function zonedToSchoolTime(v: string): string {
  // DuckDB's cast wants seconds, an upper-case Z and the zone right after the time:
  // "2026-06-01 23:30 z" → "2026-06-01 23:30:00+00:00".
  const withSeconds = `regexp_replace(${v}, '^(\\d{4}-\\d{2}-\\d{2}[ T]\\d{1,2}:\\d{2})(\\s*(?:[Zz]|[+-]))', '\\1:00\\2')`;
  const normalised = `regexp_replace(regexp_replace(${withSeconds}, '\\s*[Zz]$', '+00:00'), '\\s+([+-]\\d{2}(?::?\\d{2})?)$', '\\1')`;
  return `(try_cast(${normalised} AS TIMESTAMPTZ) AT TIME ZONE '${SCHOOL_TIME_ZONE}')`;
}

/**
 * A date or date-time in any accepted form, as a TIMESTAMP. ISO values (most of a large
 * export) take the fast path: a LIKE and DuckDB's own cast, which also reads a time, a "T" and
 * fractional seconds. A value naming its zone (Z or an offset) is converted to the school's
 * local time (UK: GMT or BST); one without a zone is school-local already and kept as written.
 * Every branch reads the value itself, never a derived expression, so DuckDB evaluates the
 * slow branches only for the values that reach them.
 */
function timestampExpr(v: string): string {
  const iso = `WHEN ${v} LIKE '____-%' THEN CASE WHEN ${isZonedIso(v)} THEN ${zonedToSchoolTime(v)} ELSE try_cast(${v} AS TIMESTAMP) END`;
  const withTimes = (format: string) => TIME_FORMATS.map((t) => `'${format}${t}'`).join(', ');
  // "3 Sept 2025": the short month as en-GB writes it (CLDR, so any export formatted for en-GB),
  // which DuckDB's %b does not know: read as "3 Sep 2025".
  const sept = `WHEN regexp_matches(${v}, '^\\d{1,2} (?i:sept) \\d{4}${TIME_SUFFIX}') THEN try_strptime(regexp_replace(${v}, ' (?i:sept) ', ' Sep '), [${withTimes('%d %b %Y')}])`;
  const cases = DATE_SHAPES.map(([shape, format]) => `WHEN regexp_matches(${v}, '${shape.source}${TIME_SUFFIX}') THEN try_strptime(${v}, [${withTimes(format)}])`);
  return `(CASE ${iso} ${sept} ${cases.join(' ')} END)`;
}

/** A list literal for `list_contains`, which is much cheaper than a long IN list on a large file. */
function listOf(values: readonly string[]): string {
  return `[${values.map(literal).join(', ')}]`;
}

/**
 * A cell's text with leading and trailing spaces (and no-break spaces) removed, empty → NULL.
 * Most cells have none, and checking the ends with LIKE is far cheaper than trimming every cell.
 */
export function cleanText(expr: string): string {
  return `CASE WHEN ${expr} LIKE ' %' OR ${expr} LIKE '% ' OR ${expr} LIKE '\u00a0%' OR ${expr} LIKE '%\u00a0' THEN nullif(trim(${expr}), '') ELSE nullif(${expr}, '') END`;
}

/** SQL that turns the trimmed text `v` (NULL when empty) into the stored value, or NULL if unreadable. */
export function parseExpression(column: ColumnSpec, v: string): string {
  switch (column.type) {
    case 'text':
      return v;
    case 'integer':
      return `try_cast(${v} AS INTEGER)`;
    case 'number':
      return `try_cast(${v} AS DOUBLE)`;
    case 'date':
      // A plain ISO date is cast directly; a date-time in a date column (common in BI exports) keeps its date part.
      return `CASE WHEN ${v} LIKE '____-__-__' THEN try_cast(${v} AS DATE) ELSE ${timestampExpr(v)}::DATE END`;
    case 'datetime':
      return `${timestampExpr(v)}::TIMESTAMP`;
    case 'time':
      return `coalesce(try_cast(${v} AS TIME), try_cast(try_strptime(${v}, '%H.%M') AS TIME))`;
    case 'boolean':
      return `CASE WHEN lower(${v}) IN ('y','yes','true','t','1') THEN true WHEN lower(${v}) IN ('n','no','false','f','0') THEN false END`;
    case 'year_group':
      // "Year 9", "Y9", "Yr 9", "9", "NC Year 9"
      return `try_cast(nullif(regexp_extract(${v}, '^(?i)(?:nc\\s*)?(?:year|yr|y)?\\s*(\\d{1,2})$', 1), '') AS INTEGER)`;
    case 'academic_year':
      // "2025/26", "2025-26", "2025/2026" → "2025/26"
      return `CASE WHEN regexp_matches(${v}, '^\\d{4}\\s*[/-]\\s*(\\d{2}|\\d{4})$') THEN left(${v}, 4) || '/' || right(regexp_replace(${v}, '\\s', '', 'g'), 2) END`;
    // Session, code and enum values are first compared as written (most of a large export is
    // already in the stored form), then after case-folding.
    case 'session':
      return `CASE ${v} WHEN 'AM' THEN 'AM' WHEN 'PM' THEN 'PM' ELSE CASE WHEN upper(${v}) IN ('AM','MORNING','A') THEN 'AM' WHEN upper(${v}) IN ('PM','AFTERNOON','P') THEN 'PM' END END`;
    case 'attendance_code': {
      const codes = listOf([...ATTENDANCE_CODES, ...RETIRED_ATTENDANCE_CODES]);
      return `CASE WHEN list_contains(${codes}, ${v}) THEN ${v} WHEN list_contains(${codes}, upper(${v})) THEN upper(${v}) END`;
    }
    case 'enum': {
      const values = listOf(column.values ?? []);
      return `CASE WHEN list_contains(${values}, ${v}) THEN ${v} WHEN list_contains(${values}, lower(${v})) THEN lower(${v}) END`;
    }
  }
}

/** Why a non-empty value failed to parse, in words a data manager can act on. */
export function parseFailureReason(column: ColumnSpec): string {
  switch (column.type) {
    case 'integer':
      return 'not a whole number';
    case 'number':
      return 'not a number';
    case 'date':
      return 'not a date (use 2025-09-03 or 03/09/2025, day first)';
    case 'datetime':
      return 'not a date-time (use 2025-09-03 14:05 or 03/09/2025 14:05)';
    case 'time':
      return 'not a time (use HH:MM)';
    case 'boolean':
      return 'not yes/no (use Y/N, Yes/No, TRUE/FALSE or 1/0)';
    case 'year_group':
      return 'not a year group (use 7–13, "Year 9" or "Y9")';
    case 'academic_year':
      return 'not an academic year (use 2025/26)';
    case 'session':
      return 'not a session (use AM or PM)';
    case 'attendance_code':
      return 'unknown attendance code (not a DfE register code)';
    case 'enum':
      return `not one of: ${(column.values ?? []).join(', ')}`;
    case 'text':
      return 'unreadable';
  }
}

/** Extra range checks on parsed values; returns [condition, reason] pairs. */
export function rangeChecks(column: ColumnSpec, parsed: string): Array<[string, string]> {
  const checks: Array<[string, string]> = [];
  if (column.min !== undefined) checks.push([`${parsed} < ${column.min}`, `below the minimum of ${column.min}`]);
  if (column.max !== undefined) checks.push([`${parsed} > ${column.max}`, `above the maximum of ${column.max}`]);
  if (column.type === 'year_group') checks.push([`${parsed} NOT BETWEEN 7 AND 13`, 'year group outside 7–13']);
  return checks;
}
