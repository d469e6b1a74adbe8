import { parseFailureReason, rangeChecks } from './column-sql.ts';
import type { ColumnMapping, ColumnSource } from './column-mapping.ts';
import type { FileSpec } from './contract.ts';
import { textCol } from './detail-query.ts';
import { ident, literal } from '../src/warehouse/warehouse.ts';

/** One check: rows where `condition` holds are rejected for `reason` (SQL), naming the column and value. */
export interface Check {
  header: string;
  value: string;
  reason: string;
  condition: string;
  /** The known-pupil check (the direct path runs it after its insert: load-direct.ts). */
  pupil?: true;
}

/**
 * Every check of a file, as conditions over the columns of `rows`. The same conditions make
 * the `ok` flag (one pass over all rows) and, for the rows that fail, the reject detail.
 */
export function checkList(spec: FileSpec, mapping: ColumnMapping, present: ReadonlySet<string>): Check[] {
  const checks: Check[] = [];
  const textOf = (s: ColumnSource) => (s.column.type === 'text' ? ident(s.column.name) : textCol(s.column.name));
  const byName = mapping.pupilByName;
  if (byName) {
    const header = literal(byName.header);
    const asWritten = `__pupil_name || coalesce(' (form ' || __pupil_form || ')', '')`;
    checks.push({ header, value: 'NULL', reason: "'required value is empty'", condition: '__pupil_name IS NULL' });
    checks.push({
      header,
      value: asWritten,
      reason: `'no pupil of this name' || CASE WHEN __pupil_form IS NOT NULL THEN ' in this form' ELSE '' END || ' in students.csv for school ' || school_id`,
      condition: '__pupil_name IS NOT NULL AND __match_n = 0',
    });
    checks.push({
      header,
      value: asWritten,
      reason: `'name matches ' || __match_n || ' pupils in students.csv (' || __match_ids || '): add the form or a pupil id to tell them apart'`,
      condition: '__match_n > 1',
    });
  }
  for (const s of mapping.sources) {
    const name = ident(s.column.name);
    const header = literal(s.header);
    if (s.column.required) checks.push({ header, value: 'NULL', reason: "'required value is empty'", condition: `${textOf(s)} IS NULL` });
    if (s.column.type !== 'text') {
      checks.push({ header, value: textOf(s), reason: literal(parseFailureReason(s.column)), condition: `${textOf(s)} IS NOT NULL AND ${name} IS NULL` });
    }
    for (const [condition, reason] of rangeChecks(s.column, name)) checks.push({ header, value: textOf(s), reason: literal(reason), condition });
  }
  if (spec.name === 'suspensions') {
    const either = mapping.sources.filter((s) => s.column.name === 'sessions' || s.column.name === 'days');
    const condition = either.length > 0 ? either.map((s) => `${textOf(s)} IS NULL`).join(' AND ') : 'true';
    checks.push({ header: "'sessions'", value: 'NULL', reason: "'either sessions (half-days) or days is required'", condition });
  }
  for (const r of spec.rowChecks ?? []) {
    const s = mapping.sources.find((x) => x.column.name === r.column);
    if (s && r.reads.every((c) => present.has(c))) checks.push({ header: literal(s.header), value: textOf(s), reason: literal(r.reason), condition: r.when });
  }
  mapping.rowRejects.forEach((r, i) => checks.push({ header: literal(r.header), value: `__rrv${i}`, reason: literal(r.reason), condition: `__rr${i}` }));
  if (spec.refersToPupil && !byName && present.has('student_id')) {
    checks.push({
      header: literal(mapping.sources.find((s) => s.column.name === 'student_id')?.header ?? 'student_id'),
      value: 'student_id',
      reason: unknownPupilReason,
      condition: 'student_id IS NOT NULL AND NOT pupil_known',
      pupil: true,
    });
  }
  return checks;
}

/**
 * The temporary table of the pupils whose students.csv row this import rejected (one row per
 * school, pupil and file; `rp_said` is the file, line and why), made and filled by ingest.ts. Its
 * columns are named apart from the checked rows' (`school_id`, `student_id`), which the reason
 * below reads from the row being rejected.
 */
export const REJECTED_PUPILS = 'import_rejected_pupils';

/**
 * Why a row's pupil is unknown, worked out only for rows that fail (load-checked.ts, step 5):
 * - the pupil's own students.csv row was rejected in this import: say so, where and why (the
 *   pupil is in the file; "not in students.csv" would send the data manager looking for nothing);
 * - else the id matches exactly one pupil of the school once leading zeros are ignored (Excel
 *   drops them from `001234`): name that id as a hint. Never matched automatically: that would
 *   guess a child's identity.
 * The subqueries read the pupils through renamed columns, so `school_id` and `student_id` in
 * them are the rejected row's.
 */
const unknownPupilReason = `coalesce(
  (SELECT 'pupil ' || student_id || '''s row in ' || rp_said || ': fix that row and import again'
   FROM (SELECT rp_school, rp_pupil, rp_said FROM ${REJECTED_PUPILS}) WHERE rp_school = school_id AND rp_pupil = student_id LIMIT 1),
  'unknown pupil: not in students.csv for school ' || school_id || coalesce(
    (SELECT '; students.csv has ' || min(known_id) || ': Excel may have dropped leading zeros (format the id column as Text before saving); the pupil is not matched automatically'
     FROM (SELECT school_id AS known_school, student_id AS known_id FROM raw.students)
     WHERE known_school = school_id AND ltrim(known_id, '0') = ltrim(student_id, '0') AND ltrim(student_id, '0') <> '' AND known_id <> student_id
     HAVING count(DISTINCT known_id) = 1),
    ''))`;
