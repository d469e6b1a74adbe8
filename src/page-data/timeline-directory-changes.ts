import type { WeekExtent } from '../warehouse/row-changes-log.ts';
import { literal } from '../warehouse/warehouse.ts';
import { queryMart, type Row } from './mart-export.ts';
import type { PreviousDirectory } from './timeline-previous-members.ts';
import { addChange } from './week-changes.ts';

/**
 * Where the pupil directory changed what the pupil timelines show, since the previous build, for a
 * rebuild that takes the timeline parts no run has changed (reports/data/pupil-detail.tar.ts):
 *
 *   const extent = await directoryChanges(directory, await reuse.previousDirectory());
 *   // school → academic year → the first date whose rows may differ (null: any row of the year)
 *
 * mart_pupil_timeline reads mart_pupil_directory for one thing: each pupil's detail file, joined by
 * school and pupil, so a pupil's records are in the view while the pupil is in the directory. The
 * runner rebuilds the directory by school, and so logs every year of the school changed, whenever
 * the school's pupils file changes: a SEN status recorded, a name corrected, a leaving date. None of
 * those changes a timeline row. So the directory is judged by what the view takes from it, the
 * pupils and their detail files, against the directory the previous build published:
 * - a pupil no longer listed, or with another detail file: every year the previous build showed
 *   rows of them in (`detail_years`), whole;
 * - a pupil newly listed (or with another detail file): each year they have rows in now, from the
 *   date of their first row that year (null: a row with no date), read from the view for those
 *   pupils alone (a school's joiners: their rows are new too, and logged by the models that hold
 *   them; a pupil listed anew whose older records were kept all along is what this query is for).
 * A school the previous build did not list is left out: it has no parts to take. A school
 * `queried` says no to has no query: any pupil added to it changes every year the previous build
 * had rows in (for a caller that can take none of them: a trust's September, 6,000 new pupils,
 * costs 2.5 CPU s of query).
 */
export async function directoryChanges(
  current: ReadonlyArray<Row>,
  previous: PreviousDirectory,
  queried: (school: string) => boolean = () => true,
): Promise<WeekExtent> {
  const extent: WeekExtent = new Map();
  const change = (school: string, year: string, from: string | null) => addChange(extent, school, year, from);
  const listed = new Map<string, Map<string, string>>();
  for (const d of current) {
    const school = String(d.school_id);
    listed.set(school, (listed.get(school) ?? new Map<string, string>()).set(String(d.student_id), String(d.detail_file)));
  }
  const added: Array<{ school: string; pupil: string }> = [];
  for (const [school, pupils] of listed) {
    const before = previous.get(school);
    if (!before) continue;
    const joined = [...pupils].filter(([pupil, file]) => before.get(pupil)?.detail_file !== file).map(([pupil]) => ({ school, pupil }));
    // A school the caller can take no year of by the log (every year of it changed) is not
    // queried: any pupil added changes every year it had, which changes nothing more.
    if (joined.length > 0 && !queried(school)) for (const was of before.values()) for (const year of was.years) change(school, year, null);
    else added.push(...joined);
    for (const [pupil, was] of before) if (pupils.get(pupil) !== was.detail_file) for (const year of was.years) change(school, year, null);
  }
  if (added.length === 0) return extent;
  const wanted = new Set(added.map((a) => `${a.school}\u001f${a.pupil}`));
  // The pupils' schools and ids as two lists (the view's filters reach each table it unions); the
  // pairs are then picked out here, as an id may name other pupils in other schools.
  const rows = await queryMart(
    `SELECT school_id, student_id, academic_year, strftime(min("date"), '%Y-%m-%d') AS first, bool_or("date" IS NULL) AS undated
     FROM mart_pupil_timeline
     WHERE school_id IN (${[...new Set(added.map((a) => a.school))].map(literal).join(', ')}) AND student_id IN (${[...new Set(added.map((a) => a.pupil))].map(literal).join(', ')})
     GROUP BY ALL`,
  );
  for (const r of rows) {
    if (!wanted.has(`${r.school_id}\u001f${r.student_id}`) || r.academic_year === null) continue;
    change(String(r.school_id), String(r.academic_year), r.undated || r.first === null ? null : String(r.first));
  }
  return extent;
}
