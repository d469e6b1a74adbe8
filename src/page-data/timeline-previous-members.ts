import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { tableFromIPC } from '../commonjs/apache-arrow.ts';
import { ALL_PUPILS, LATEST_MONTH, timelinePartTerm } from './timeline-parts.ts';

/**
 * Which pupils each of a school's timeline parts held in the previous build, read back from what
 * that build published for the pupil profile (reports/data/pupil-detail.tar.ts) rather than
 * queried again (src/page-data/timeline-reuse.ts, TimelineReuse.previousMembers):
 *
 *   const { members, directory } = await previousTimelineMembers(partsDir);   // null: unreadable
 *   // members: school → 'academic_year|detail_part' → pupils; directory: school → pupil → detail file and years
 *
 * - `directory.arrow` lists each school's directory part; a directory part lists each pupil's
 *   detail file, `detail_years`, the years they have timeline rows in, and `detail_terms`, the
 *   terms of the school's latest year (cut by term) they have rows in;
 * - `timelines.arrow` lists each (school, year)'s index part; an index part lists each part of the
 *   year (its detail part, detail file, and first and last pupil by id).
 *
 * A year's pieces of a detail file hold its pupils of that year in id order, each piece a run of
 * them (src/page-data/timeline-parts.ts), so a pupil with the year in `detail_years` is in the
 * one part of their detail file whose range holds their id. A pupil in no such part, or anything
 * missing or unreadable, makes the whole answer null: the caller then asks the warehouse
 * (timelineMembersQuery). What is read back is checked by the caller against the digest of each
 * part's pupils the previous build recorded (partMembersDigest), so a site edited since cannot
 * make a part be taken with other pupils.
 */
export type PreviousMembers = Map<string, Map<string, string[]>>;

/**
 * The previous build's pupils by school, then pupil, as its directory published them: each pupil's
 * detail file and the academic years they had timeline rows in (none: no rows).
 */
export type PreviousDirectory = Map<string, Map<string, { detail_file: string; years: string[] }>>;

/** An index file as the build names it: `directory.arrow`, or with the content hash Framework adds (`directory.75f28ae6.arrow`). */
const indexFile = (name: string) => new RegExp(`^${name}(\\.[0-9a-f]{8,64})?\\.arrow$`);
/** A part's file as the build names it (src/page-data/previous-build.ts checks the same). */
const PART_FILE = /^[A-Za-z0-9_-]+\.[0-9a-f]{12}\.arrow$/;

export async function previousTimelineMembers(partsDir: string): Promise<{ members: PreviousMembers; directory: PreviousDirectory } | null> {
  try {
    const names = await readdir(partsDir);
    const one = (name: string) => {
      const found = names.filter((n) => indexFile(name).test(n));
      return found.length === 1 ? found[0] : null;
    };
    const directoryIndex = one('directory');
    const timelinesIndex = one('timelines');
    if (!directoryIndex || !timelinesIndex) return null;
    // The columns named, a value per row (read a column at a time: a trust's directory is 36,000
    // pupils, whose row objects cost more than the rest of the read).
    const columnsOf = async (file: string, names: readonly string[]) => {
      if (file !== directoryIndex && file !== timelinesIndex && !PART_FILE.test(file)) throw new Error(`not a part's file name: ${file}`);
      const table = tableFromIPC(await readFile(path.join(partsDir, file)));
      const columns = names.map((name) => {
        const column = table.getChild(name);
        return column ? (Array.from(column.toArray() as ArrayLike<unknown>) as unknown[]) : (new Array(table.numRows).fill(undefined) as unknown[]);
      });
      return { rows: table.numRows, columns };
    };
    const pupils: Array<{ school: string; student_id: string; detail_file: string; detail_years: string; detail_terms: string | null }> = [];
    const directory = await columnsOf(directoryIndex, ['school_id', 'file']);
    for (let e = 0; e < directory.rows; e++) {
      const school = String(directory.columns[0][e]);
      const { rows, columns: [ids, files, years, terms] } = await columnsOf(String(directory.columns[1][e]), ['student_id', 'detail_file', 'detail_years', 'detail_terms']);
      for (let i = 0; i < rows; i++) {
        pupils.push({
          school, student_id: String(ids[i]), detail_file: String(files[i]),
          detail_years: years[i] === null ? '' : String(years[i]), detail_terms: terms[i] === null || terms[i] === undefined ? null : String(terms[i]),
        });
      }
    }
    const parts: Array<{ school: string; year: string; detail_part: string; detail_file: string; first_pupil: string; last_pupil: string }> = [];
    const timelines = await columnsOf(timelinesIndex, ['school_id', 'academic_year', 'file']);
    for (let e = 0; e < timelines.rows; e++) {
      const [school, year] = [String(timelines.columns[0][e]), String(timelines.columns[1][e])];
      const { rows, columns: [detailParts, files, firsts, lasts] } = await columnsOf(String(timelines.columns[2][e]), ['detail_part', 'detail_file', 'first_pupil', 'last_pupil']);
      for (let i = 0; i < rows; i++) {
        parts.push({ school, year, detail_part: String(detailParts[i]), detail_file: String(files[i]), first_pupil: String(firsts[i]), last_pupil: String(lasts[i]) });
      }
    }
    const members = membersOfParts(pupils, parts);
    if (!members) return null;
    const published: PreviousDirectory = new Map();
    for (const p of pupils) {
      const school = published.get(p.school) ?? new Map<string, { detail_file: string; years: string[] }>();
      published.set(p.school, school.set(p.student_id, { detail_file: p.detail_file, years: p.detail_years === '' ? [] : p.detail_years.split(',') }));
    }
    return { members, directory: published };
  } catch {
    return null; // no such files, or not ours
  }
}

/**
 * Each part's pupils from the directory's rows and the years' index rows (exported for its test):
 * null when a pupil's year is in no part of their detail file (of each term they have rows in,
 * `detail_terms`, for a year cut by term), or a part would hold no pupil.
 */
export function membersOfParts(
  pupils: ReadonlyArray<{ school: string; student_id: string; detail_file: string; detail_years: string; detail_terms?: string | null }>,
  parts: ReadonlyArray<{ school: string; year: string; detail_part: string; detail_file: string; first_pupil: string; last_pupil: string }>,
): PreviousMembers | null {
  // The parts of each (school, year, detail file), by their first pupil, in DuckDB's order of text
  // (UTF-8 bytes), the order the pieces were cut in.
  const byFile = new Map<string, Array<{ key: string; first: Buffer; last: Buffer }>>();
  const members: PreviousMembers = new Map();
  // A school's latest year is cut by term and its latest month (src/page-data/timeline-parts.ts,
  // TERMS): a term's pieces are a run of the detail file's pupils with rows in that term (the
  // month's, of the school's pupils), whose ranges overlap those of other blocks; `detail_terms`
  // says which blocks a pupil has rows in.
  const termYears = new Set(parts.filter((p) => timelinePartTerm(p.detail_part) > 0).map((p) => `${p.school}\u001f${p.year}`));
  for (const p of parts) {
    const id = `${p.school}\u001f${p.year}\u001f${p.detail_file}\u001f${timelinePartTerm(p.detail_part)}`;
    const list = byFile.get(id) ?? [];
    byFile.set(id, list);
    const key = `${p.year}|${p.detail_part}`;
    list.push({ key, first: Buffer.from(p.first_pupil, 'utf8'), last: Buffer.from(p.last_pupil, 'utf8') });
    const school = members.get(p.school) ?? new Map<string, string[]>();
    members.set(p.school, school);
    if (school.has(key)) return null;
    school.set(key, []);
  }
  for (const pupil of pupils) {
    if (pupil.detail_years === '') continue;
    const id = Buffer.from(pupil.student_id, 'utf8');
    for (const year of pupil.detail_years.split(',')) {
      const terms = termYears.has(`${pupil.school}\u001f${year}`) ? (pupil.detail_terms ?? '').split(',').filter((t) => t !== '').map(Number) : [0];
      if (terms.length === 0) return null;
      for (const term of terms) {
        // The latest month's pieces are cut from all of the school's pupils, not a detail file's.
        const file = term === LATEST_MONTH ? ALL_PUPILS : pupil.detail_file;
        const part = (byFile.get(`${pupil.school}\u001f${year}\u001f${file}\u001f${term}`) ?? []).find((p) => Buffer.compare(p.first, id) <= 0 && Buffer.compare(id, p.last) <= 0);
        if (!part) return null;
        members.get(pupil.school)?.get(part.key)?.push(pupil.student_id);
      }
    }
  }
  for (const school of members.values()) for (const list of school.values()) if (list.length === 0) return null;
  return members;
}
