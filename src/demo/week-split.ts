/**
 * Exports as they stood a week earlier: a copy of an export folder (a school, or a trust of
 * schools) without the rows dated on or after a day. Used to measure and test the weekly
 * refresh: build the warehouse from the exports before the last school week, then refresh it
 * with the whole exports, as the Monday routine would.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';

/**
 * The column that dates a row of each dated export (the first found); files with none are copied
 * whole, and so is the calendar (its rows are terms, named by academic year, not events).
 */
const DATE_COLUMNS = ['date', 'start_date'] as const;

function dateColumn(fields: readonly string[] | undefined): string | undefined {
  if (!fields || fields.includes('academic_year')) return undefined;
  return DATE_COLUMNS.find((c) => fields.includes(c));
}

function csvFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv')).sort();
}

/** The school folders of an export folder: itself when it holds CSV files, else its subfolders. */
export function schoolFolders(dir: string): string[] {
  if (csvFiles(dir).length > 0) return [dir];
  return readdirSync(dir)
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isDirectory())
    .sort();
}

/** The Monday (ISO date) of the week holding the last attendance mark in the exports. */
export function lastWeekStart(dir: string): string {
  let last = '';
  for (const school of schoolFolders(dir)) {
    const file = path.join(school, 'attendance.csv');
    const rows = Papa.parse<Record<string, string>>(readFileSync(file, 'utf-8'), { header: true, skipEmptyLines: true }).data;
    for (const row of rows) if (row.date && row.date.slice(0, 10) > last) last = row.date.slice(0, 10);
  }
  if (!last) throw new Error(`no attendance marks in ${dir}`);
  const day = new Date(`${last}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/**
 * Copies `from` into `to`, leaving out every row dated `before` or later (ISO date). The folder
 * layout is kept (a trust's school folders); other files are copied as they are, but for the
 * pupils, as the school's system listed them then: a pupil admitted on `before` or later is not
 * yet there, and a leaving date on `before` or later not yet recorded.
 */
export function copyExportsBefore(from: string, to: string, before: string): { kept: number; dropped: number } {
  return copyExportsWhere(from, to, (date) => date < before, before);
}

/** The pupils as they stood before `before`: those admitted since left out, leaving dates since blanked. */
function pupilsBefore(rows: Array<Record<string, string>>, before: string): Array<Record<string, string>> {
  return rows
    .filter((row) => !((row.admission_date ?? '').slice(0, 10) >= before))
    .map((row) => ((row.leaving_date ?? '').slice(0, 10) >= before ? { ...row, leaving_date: '' } : row));
}

/**
 * The week's exports: a copy of `from` with only the rows dated `since` or later in each dated
 * file (undated files, such as the pupils, are copied whole, as a school's weekly export would
 * hold them).
 */
export function copyExportsSince(from: string, to: string, since: string): { kept: number; dropped: number } {
  return copyExportsWhere(from, to, (date) => date >= since);
}

function copyExportsWhere(from: string, to: string, keep: (isoDate: string) => boolean, pupilsAsOf?: string): { kept: number; dropped: number } {
  let kept = 0;
  let dropped = 0;
  const schools = schoolFolders(from);
  for (const school of schools) {
    const target = school === from ? to : path.join(to, path.relative(from, school));
    mkdirSync(target, { recursive: true });
    for (const name of readdirSync(school)) {
      const source = path.join(school, name);
      if (!statSync(source).isFile()) continue;
      if (!name.toLowerCase().endsWith('.csv')) {
        copyFileSync(source, path.join(target, name));
        continue;
      }
      const parsed = Papa.parse<Record<string, string>>(readFileSync(source, 'utf-8'), { header: true, skipEmptyLines: true });
      const column = dateColumn(parsed.meta.fields);
      const fields = parsed.meta.fields ?? [];
      if (!column && pupilsAsOf && fields.includes('admission_date') && fields.includes('leaving_date') && !fields.includes('academic_year')) {
        const rows = pupilsBefore(parsed.data, pupilsAsOf);
        writeFileSync(path.join(target, name), `${Papa.unparse(rows, { columns: fields, newline: '\n' })}\n`);
        continue;
      }
      if (!column) {
        copyFileSync(source, path.join(target, name));
        continue;
      }
      const rows = parsed.data.filter((row) => keep((row[column] ?? '').slice(0, 10)));
      kept += rows.length;
      dropped += parsed.data.length - rows.length;
      writeFileSync(path.join(target, name), `${Papa.unparse(rows, { columns: parsed.meta.fields, newline: '\n' })}\n`);
    }
  }
  for (const name of readdirSync(from)) {
    const source = path.join(from, name);
    if (statSync(source).isFile() && !schools.includes(from)) copyFileSync(source, path.join(to, name));
  }
  return { kept, dropped };
}
