import type { RecordType } from '../contract.ts';
import { isZonedIso, zonedToSchoolTime } from '../column-sql.ts';
import { literal } from '../../src/warehouse/warehouse.ts';

/**
 * A vendor profile maps one vendor export layout onto one contract record type. It is data,
 * not code, wherever it can be: header aliases, value maps, and (where a value must be
 * derived) a small SQL expression over the file's own columns. docs/vendor-profiles.md
 * describes every profile; each profile's file cites the public source its names come from.
 */
export interface VendorProfile {
  /** What `--profile NAME` and the import log call it, e.g. `arbor-bi-attendance`. */
  readonly name: string;
  readonly vendor: string;
  /** One line: which export this is, as a data manager would recognise it. */
  readonly title: string;
  readonly recordType: RecordType;
  /** Public sources of the field names (URLs or repository paths). */
  readonly sources: readonly string[];
  /**
   * How the layout is recognised from its header row: every group must be matched by at least
   * one of its header names (compared after normalising: case, spaces and punctuation ignored).
   */
  readonly recognise: ReadonlyArray<readonly string[]>;
  /** Contract column → where its text comes from. Columns not listed stay empty (NULL). */
  readonly columns: Readonly<Record<string, ProfileColumn>>;
  /** How the pupil is identified: an id column, or a name (+ form) matched against students.csv. */
  readonly pupil?: PupilRule;
  /** Rows the vendor file holds that are not records of this type: rejected with a reason. */
  readonly rejectRows?: readonly RowReject[];
  /** What the profile cannot know from the export, said plainly (docs/vendor-profiles.md). */
  readonly gaps: readonly string[];
}

/** Finds the SQL for a source column by any of its header names, or null when the file lacks it. */
export type ColumnLookup = (...headers: string[]) => string | null;

export type ProfileColumn =
  | {
      /** Header names that hold the value, first found wins. */
      readonly from: readonly string[];
      /** Vendor value → contract value (keys compared lower-case, trimmed); other values pass through to be checked. */
      readonly values?: Readonly<Record<string, string | null>>;
      /** Used when the cell is empty (or the column is absent). */
      readonly otherwise?: string;
    }
  | {
      /** Headers the expression reads, for reject reports and recognition (first found is named). */
      readonly reads: readonly string[];
      /**
       * SQL giving the column's text from the file's columns; null when it cannot be derived.
       * `col` takes the column into this contract column; `peek` only reads it (it stays in the
       * raw layer's extra JSON too), for values that are hashed into an id.
       */
      readonly sql: (col: ColumnLookup, peek: ColumnLookup) => string | null;
    };

export interface PupilRule {
  /** Header names of a pupil id that matches student_id in students.csv. */
  readonly id?: readonly string[];
  /** Header names of the pupil's full name ("Ada Lovelace", "Lovelace, Ada", "Ada Lovelace (9R)"). */
  readonly name?: readonly string[];
  /** Or a forename and a surname column. */
  readonly firstName?: readonly string[];
  readonly lastName?: readonly string[];
  /** The pupil's form (registration group), to tell pupils of the same name apart. */
  readonly form?: readonly string[];
  /**
   * When one cell may name several pupils (one incident, several pupils): a regular expression
   * that separates them, and (optionally) the only headers it applies to. Each pupil becomes its
   * own row, keyed by incident + pupil.
   */
  readonly split?: { readonly separator: string; readonly headers?: readonly string[] };
}

export interface RowReject {
  readonly reads: readonly string[];
  /** SQL condition over the file's columns; true = reject the row. Use `peek` to keep the column in the raw layer too. */
  readonly when: (col: ColumnLookup, peek: ColumnLookup) => string | null;
  readonly reason: string;
}

// ---- Small SQL helpers profiles share (inputs are SQL expressions, outputs SQL expressions) ----

/**
 * The time of day written in a date-time cell ("2025-09-03 14:05:00" → "14:05:00"), in the
 * school's local time: a cell naming its zone ("2026-06-01T23:30:00Z") is converted first
 * (→ "00:30:00", BST), as its date is (column-sql.ts).
 */
export const timeOf = (expr: string) =>
  `CASE WHEN ${isZonedIso(`trim(${expr})`)} THEN strftime(${zonedToSchoolTime(`trim(${expr})`)}, '%H:%M:%S') ` +
  `ELSE nullif(regexp_extract(${expr}, '(\\d{1,2}:\\d{2}(?::\\d{2})?)', 1), '') END`;

/** A date as list views print it, without a leading weekday ("Wed 3 Sep 2025" → "3 Sep 2025"). */
export const withoutWeekday = (expr: string) => `regexp_replace(${expr}, '^\\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+', '', 'i')`;

/**
 * A stable id for exports that carry none (list exports): a hash of the fields that identify
 * the record, so the same record exported again gets the same id (re-import changes nothing)
 * and a later export of it with a new status replaces it (a correction).
 */
export function stableId(prefix: string, parts: readonly (string | null)[]): string {
  const present = parts.filter((p): p is string => p !== null).map((p) => `coalesce(lower(trim(${p})), '')`);
  return `${literal(prefix)} || left(md5(concat_ws('|', ${present.join(', ')})), 12)`;
}

/** A vendor value map as SQL over `expr`; unmapped values pass through unchanged. */
export function mapValues(expr: string, values: Readonly<Record<string, string | null>>, otherwise?: string): string {
  const cases = Object.entries(values).map(([from, to]) => `WHEN ${literal(from.trim().toLowerCase())} THEN ${to === null ? 'NULL' : literal(to)}`);
  const v = `lower(trim(${expr}))`;
  const mapped = cases.length > 0 ? `CASE ${v} ${cases.join(' ')} ELSE ${expr} END` : expr;
  return otherwise === undefined ? mapped : `coalesce(nullif(trim(${mapped}), ''), ${literal(otherwise)})`;
}
