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
// otherwise become the year 25).
const DATE_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/^\d{4}-\d{1,2}-\d{1,2}$/, '%Y-%m-%d'],
  [/^\d{1,2}\/\d{1,2}\/\d{4}$/, '%d/%m/%Y'],
  [/^\d{1,2}\/\d{1,2}\/\d{2}$/, '%d/%m/%y'],
  [/^\d{1,2}-\d{1,2}-\d{4}$/, '%d-%m-%Y'],
  [/^\d{1,2}\.\d{1,2}\.\d{4}$/, '%d.%m.%Y'],
  [/^\d{1,2} [A-Za-z]{3} \d{4}$/, '%d %b %Y'],
  [/^\d{1,2} [A-Za-z]{4,9} \d{4}$/, '%d %B %Y'],
];

function dateExpr(v: string): string {
  const cases = DATE_SHAPES.map(([shape, format]) => `WHEN regexp_matches(${v}, '${shape.source}') THEN try_strptime(${v}, '${format}')`);
  return `(CASE ${cases.join(' ')} END)::DATE`;
}

/** A date part (any accepted shape) then an optional HH:MM[:SS], separated by a space or T. */
function datetimeExpr(v: string): string {
  const datePart = `regexp_extract(${v}, '^(.+?)(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?Z?)?$', 1)`;
  const timePart = `nullif(regexp_extract(${v}, '[ T](\\d{1,2}:\\d{2}(?::\\d{2})?)(?:\\.\\d+)?Z?$', 1), '')`;
  return `(${dateExpr(datePart)} + coalesce(try_cast(${timePart} AS TIME), TIME '00:00'))::TIMESTAMP`;
}

function inList(values: readonly string[]): string {
  return values.map(literal).join(', ');
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
      // A date-time in a date column (common in BI exports) keeps its date part.
      return `coalesce(${dateExpr(v)}, (${datetimeExpr(v)})::DATE)`;
    case 'datetime':
      return datetimeExpr(v);
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
    case 'session':
      return `CASE WHEN upper(${v}) IN ('AM','MORNING','A') THEN 'AM' WHEN upper(${v}) IN ('PM','AFTERNOON','P') THEN 'PM' END`;
    case 'attendance_code':
      return `CASE WHEN upper(${v}) IN (${inList([...ATTENDANCE_CODES, ...RETIRED_ATTENDANCE_CODES])}) THEN upper(${v}) END`;
    case 'enum':
      return `CASE WHEN lower(${v}) IN (${inList(column.values ?? [])}) THEN lower(${v}) END`;
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
