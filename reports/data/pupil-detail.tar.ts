// mart_pupil_directory + mart_pupil_timeline → the pupil profile's files, in one archive of
// parts (src/page-data/page-parts.ts), so the page fetches only what is on screen:
//   directory.arrow  the index of each school's pupils (names, year group, form, which detail
//                    file, and `detail_part`: the file of that share of timelines), for the
//                    search: one part per school
//   b00.<hash>.arrow … the timelines, one part per school and detail file (b00 … b63, about
//                    1/64 of the school's pupils each), cut into pieces of whole pupils of at
//                    most TIMELINE_PIECE rows (b00-1, b00-2 …), fetched only for the chosen pupil. The
//                    directory names each pupil's part, so the page needs no index of them (at
//                    30 schools it would be 1,920 rows on every pupil page).
import { emitArchive, queryMart, runLoader, type PageMember } from '../../src/page-data/mart-export.ts';
import { encodeQueryPartsInThreads } from '../../src/page-data/query-parts.ts';
import { partitionedMembers, PartsWriter } from '../../src/page-data/page-parts.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

/**
 * At most this many timeline rows in one part (whole pupils; a pupil with more is a part alone):
 * about 140 KB at 67–70 bytes a row, so a pupil page (the school's directory, 47 KB at 1,200
 * pupils × 3 years, 109 KB at 2,000 × 5, and one part) stays under the 300 KB page budget.
 * Shares of 1/64 of a school grow with its pupils and years (4,500 rows, 300 KB, at 1,200
 * pupils × 3 years; 900 KB at 2,000 × 5). The one pupil with most records sets the worst
 * case: 2,923 rows in the trust, about 195 KB.
 */
const TIMELINE_PIECE = { rows: 2000, unit: 'student_id' };

const DETAIL_FILES = Array.from({ length: 64 }, (_, i) => `b${String(i).padStart(2, '0')}`);

const martDirectoryColumns = ['school_id', 'student_id', 'first_name', 'last_name', 'year_group', 'form', 'academic_year', 'left_on', 'detail_file'] as const;
const directoryColumns = [...martDirectoryColumns, 'detail_part'];
const timelineColumns = [
  'school_id', 'student_id', 'academic_year', 'kind', 'date', 'end_date', 'time', 'period', 'category', 'staff', 'status', 'outcome',
  'polarity', 'points', 'subject', 'location', 'action', 'comment',
  'periods', 'start_time', 'end_time', 'booklet', 'conduct', 'is_repeat',
  'session', 'minutes', 'sessions', 'sessions_planned', 'focus', 'method',
  'possible_sessions', 'attending_sessions', 'unauthorised_sessions', 'late_sessions',
  'attendance_pct_to_date', 'persistently_absent_to_date',
  'negative_points_year', 'attendance_pct', 'possible_sessions_to_date', 'attending_sessions_to_date',
] as const;

await runLoader(async () => {
  const directory = await queryMart(
    marts.selectFrom('mart_pupil_directory').select(martDirectoryColumns).orderBy('school_id').orderBy('last_name').orderBy('first_name').orderBy('student_id'),
  );
  // One query per school, its rows ordered by part, streamed: each part is encoded as soon as
  // its last row has come, so a trust's timelines (millions of rows) are never held whole, and
  // no row objects are made (src/page-data/duckdb-columns.ts). The schools are shared between
  // this thread and a worker thread, and each thread starts its next school's query while it
  // reads the current one (src/page-data/query-parts.ts).
  const timeline = new PartsWriter(timelineColumns, ['school_id', 'detail_file']);
  const schools = [...new Set(directory.map((d) => String(d.school_id)))];
  const queries = schools.map((id) =>
    marts.selectFrom('mart_pupil_timeline').select(['detail_file', ...timelineColumns]).where('school_id', '=', id)
      .orderBy('detail_file').orderBy('student_id').orderBy('date').orderBy('time').orderBy('kind').orderBy('record_id'),
  );
  // Each pupil's part, by school and pupil: a detail file's rows are cut into pieces of whole
  // pupils (b07, b07-1, …) so that the one a page fetches stays well under the page budget.
  const partOf = new Map<string, string>();
  await encodeQueryPartsInThreads(queries, timelineColumns, (p) => {
    if (!DETAIL_FILES.includes(p.part)) throw new Error(`mart_pupil_timeline names detail file ${p.part}, not among b00–b63`);
    const school = schools[p.query];
    timeline.addEncodedPart({ school_id: school, detail_file: p.piece === 0 ? p.part : `${p.part}-${p.piece}` }, p.data, p.rows);
    const file = String(timeline.entries().at(-1)!.file);
    for (const pupil of p.units ?? []) partOf.set(`${school}\u001f${pupil}`, file);
  }, undefined, TIMELINE_PIECE);
  // A pupil with no timeline rows has no part (the page shows no records).
  const listed = directory.map((d) => ({ ...d, detail_part: partOf.get(`${d.school_id}\u001f${d.student_id}`) ?? null }));
  const entries: PageMember[] = [
    ...partitionedMembers(listed, directoryColumns, ['school_id']).map((m) => (m.name === 'index.arrow' ? { ...m, name: 'directory.arrow' } : m)),
    // By name: the parts come from two threads in no fixed order; the archive is the same every time.
    ...timeline.members().filter((m) => m.part).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  ];
  await emitArchive(entries);
});
