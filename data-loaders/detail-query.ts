import { cleanText, parseExpression, SQL_TYPE } from './column-sql.ts';
import { sourceColumn, type ColumnMapping, type ColumnSource } from './column-mapping.ts';
import type { FileSpec } from './contract.ts';
import { formInName, formKey, nameKey, nameWithoutForm } from './pupil-names.ts';
import { ident, literal } from '../src/warehouse/warehouse.ts';

/**
 * How the direct path reads some columns (file-plan.ts): `typed`, typed by DuckDB's CSV reader;
 * `asWritten`, text used as written, untrimmed (a value with spaces around it fails their checks,
 * and the file goes to the checked path, which trims). The checked path reads every column as
 * text and trims it.
 */
export interface DirectReading {
  typed: ReadonlySet<string>;
  asWritten: ReadonlySet<string>;
  /** Whether to find each row's pupil (`pupil_known`); the direct path checks pupils after its insert. */
  pupilKnown: boolean;
}

/** Name of the text column kept beside a typed one, so a reject can show the value as written. */
export const textCol = (name: string) => ident(`t_${name}`);

/**
 * Everything the checks and the load need, from the file's columns: each contract column's
 * text (trimmed, empty → NULL) and typed value, the row's school, the pupil (by id, or matched
 * by name), whether the pupil is known, and the profile's own row rejects.
 */
export function detailQuery(
  spec: FileSpec,
  mapping: ColumnMapping,
  folderSchool: string,
  from: string,
  rn: string,
  srcRn: string,
  direct: DirectReading = { typed: new Set(), asWritten: new Set(), pupilKnown: true },
): string {
  const { typed, asWritten, pupilKnown } = direct;
  const school = mapping.school ? `coalesce(nullif(trim(${mapping.school.textExpr}), ''), ${folderSchool})` : folderSchool;
  const extra =
    mapping.extraHeaders.length > 0
      ? `json_object(${mapping.extraHeaders.map((e) => `${literal(e.header)}, ${ident(sourceColumn(e.position))}`).join(', ')})`
      : 'NULL::JSON';
  const textList = [
    `${rn} AS rn`,
    `${srcRn} AS src_rn`,
    `${school} AS school_id`,
    // A column the reader typed (the direct path's reader: file-plan.ts) is NULL when empty, as text would be.
    ...mapping.sources.map((s) => `${typed.has(s.column.name) || asWritten.has(s.column.name) ? s.textExpr : cleanText(s.textExpr)} AS ${textCol(s.column.name)}`),
    `${extra} AS extra`,
  ];
  const byName = mapping.pupilByName;
  if (byName) {
    textList.push(`nullif(trim(${byName.nameExpr}), '') AS __pupil_name`);
    textList.push(`${byName.formExpr ? `nullif(trim(${byName.formExpr}), '')` : 'NULL::VARCHAR'} AS __pupil_form`);
  }
  mapping.rowRejects.forEach((r, i) => {
    textList.push(`coalesce((${r.condition}), false) AS __rr${i}`);
    textList.push(`nullif(trim(${r.valueExpr}), '') AS __rrv${i}`);
  });

  const ctes = [`t AS (SELECT ${textList.join(', ')} FROM ${from})`];
  const joins: string[] = [];
  const out = ['t.rn', 't.src_rn', 't.school_id'];
  for (const s of mapping.sources) out.push(...(typed.has(s.column.name) ? readerTyped(s) : typedColumns(s)));
  out.push('t.extra');
  if (byName) {
    ctes.push(`named AS (
      SELECT school_id, student_id, ${nameKey(`concat_ws(' ', first_name, last_name)`)} AS name_key, ${formKey('form')} AS form_key
      FROM raw.students WHERE school_id IN (SELECT DISTINCT school_id FROM t) GROUP BY ALL)`);
    ctes.push(`wanted AS (
      SELECT rn, school_id, ${nameKey(nameWithoutForm('__pupil_name'))} AS name_key,
             coalesce(${formKey('__pupil_form')}, ${formKey(formInName('__pupil_name'))}) AS form_key
      FROM t WHERE __pupil_name IS NOT NULL)`);
    ctes.push(`matched AS (
      SELECT w.rn, count(DISTINCT n.student_id) AS n, min(n.student_id) AS student_id, array_to_string(list_sort(list(DISTINCT n.student_id)), ', ') AS ids
      FROM wanted w JOIN named n ON n.school_id = w.school_id AND n.name_key = w.name_key AND w.name_key <> '' AND (w.form_key IS NULL OR n.form_key = w.form_key)
      GROUP BY w.rn)`);
    joins.push('LEFT JOIN matched m ON m.rn = t.rn');
    out.push('CASE WHEN m.n = 1 THEN m.student_id END AS student_id', 't.__pupil_name', 't.__pupil_form', 'coalesce(m.n, 0) AS __match_n', 'm.ids AS __match_ids');
  } else if (pupilKnown && spec.refersToPupil && mapping.sources.some((s) => s.column.name === 'student_id')) {
    // A semi-join (not a LEFT JOIN): the optimizer then always builds on the small pupils side.
    out.push(`EXISTS (SELECT 1 FROM raw.students p WHERE p.school_id = t.school_id AND p.student_id = t.${textCol('student_id')}) AS pupil_known`);
  }
  mapping.rowRejects.forEach((_, i) => out.push(`t.__rr${i}`, `t.__rrv${i}`));
  return `WITH ${ctes.join(',\n')}\nSELECT ${out.join(', ')} FROM t ${joins.join(' ')}`;
}

/**
 * A column DuckDB's reader typed: its value, kept beside itself as the "text" (so the required
 * and parse checks read as for any column). A date the checked path might read otherwise (before
 * the year 1000, or 1 January 1900, which is what the reader makes of "infinity") becomes NULL
 * here, so the parse check fails and the file goes to the checked path (file-plan.ts, typedColumns).
 */
function readerTyped(s: ColumnSource): string[] {
  const name = s.column.name;
  const value = `t.${textCol(name)}`;
  if (s.column.type === 'date') return [value, `CASE WHEN ${value} >= DATE '1000-01-01' AND ${value} <> DATE '1900-01-01' THEN ${value} END AS ${ident(name)}`];
  return [value, `${value}::${SQL_TYPE[s.column.type]} AS ${ident(name)}`];
}

/** The typed value of a column, and (for non-text columns) the text it came from. */
function typedColumns(s: ColumnSource): string[] {
  const name = s.column.name;
  if (s.column.type === 'text') return [`t.${textCol(name)} AS ${ident(name)}`];
  return [`t.${textCol(name)}`, `(${parseExpression(s.column, `t.${textCol(name)}`)})::${SQL_TYPE[s.column.type]} AS ${ident(name)}`];
}
