// mart_pupil_directory + mart_pupil_timeline → the pupil profile's files, in one archive of
// parts (src/page-data/page-parts.ts), so the page fetches only what is on screen:
//   directory.arrow  the index of each school's pupils (names, year group, form, which detail
//                    file, `detail_years`: the academic years they have records in, and
//                    `detail_terms`: the terms of the school's latest year they have records in), for the
//                    search: one part per school
//   timelines.arrow  the index of each (school, academic year)'s timeline parts: one small part
//                    per school and year, listing each detail part's detail file, first and last
//                    pupil (by id) and file (about 130 rows): the page finds the pupil's part there
//                    (reports/components/timeline-part.js)
//   b07-1.<hash>.arrow … the timelines, one part per school, academic year and detail part
//                    (b00 … b63, about 1/64 of the school's pupils each, cut into pieces of whole
//                    pupils by the year's own rows: src/page-data/timeline-parts.ts), fetched only
//                    for the chosen pupil and year; the school's latest year a part a term and its
//                    latest month apart (`t4_all-1`: cut from all the school's pupils). A week's
//                    refresh changes only the latest month's parts (and, in a week that starts a
//                    month, the term it falls in).
import { emitArchive, exportingToCache, partPlacer, queryMart, runLoader, type FileBytes, type PageMember, type Row } from '../../src/page-data/mart-export.ts';
import { inBatches } from '../../src/page-data/in-batches.ts';
import { encodeQueryPartsInThreads, PART_THREADS } from '../../src/page-data/query-parts.ts';
import { partMembersDigest, yearInputDigests } from '../../src/page-data/year-inputs.ts';
import { ALL_PUPILS, enumsOfTextValues, latestMonthQuery, splitTimelinePart, timelineFingerprintQuery, timelineMembersQuery, timelinePartFile, timelinePartsQuery, timelinePartTerm, timelineQueryPlans, queriedTimelinePart, timelineTextColumnsQuery, timelineTextValuesQuery, readFrom, yearsRead, TERMS, type TimelinePartsRead } from '../../src/page-data/timeline-parts.ts';
import { inputChangesSince, lastModelRun, termsUnchanged, untouchedSince, withChanges } from '../../src/page-data/week-changes.ts';
import { directoryChanges } from '../../src/page-data/timeline-directory-changes.ts';
import { TimelineReuse, type PartFingerprint } from '../../src/page-data/timeline-reuse.ts';
import { partitionedMembers, PartsWriter } from '../../src/page-data/page-parts.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

/**
 * A year's piece of a detail file starts where its pupils' rows of that year add up past a multiple
 * of this, so a year's part holds fewer than this + the last pupil's rows that year (the most
 * one pupil has in one year: 904 rows at the large school, median 73): at 67–70 bytes a row, at
 * most about 165 KB (the large school's largest is 140 KB), under 300 KB with the school's
 * directory (47 KB at 1,200 pupils × 3 years, 109 KB at 2,000 × 5) and the year's index (9 KB).
 * A year's share of 1/64 of a school uncut (about 2,600 rows at 2,000 pupils) would be 180 KB.
 */
const PIECE_ROWS = 1500;

/**
 * A text column with more distinct values than this is read as text (a trust's detention reasons:
 * 24,000; staff codes: 846). 4,096 was slower than 64: an ENUM's values are read when its type is.
 */
const ENUM_LIMIT = 64;

/**
 * How many queries read the schools read alike (timelineQueryPlans): one for each thread that
 * encodes parts. Each scans the view once for its schools, where a query a school scanned it once
 * each (30 times for a trust's week: 21–22 CPU s for the export against 17; four queries took a
 * little less time but 0.9 CPU s and 0.2 GB more: docs/performance.md, "Session 36").
 */
const READ_GROUPS = PART_THREADS;

/**
 * Up to how many rows the schools read alike are read in one query, by this thread alone: a
 * worker thread's start (its modules loaded afresh) costs about 1.5 CPU s, and a second query
 * scans the view again, more than the worker saves on a read this small. A trust's week reads
 * about a million rows (its schools' latest term): 1.5–2 CPU s less in one query than in two,
 * and no slower (docs/performance.md, "Session 40").
 */
const ONE_QUERY_ROWS = 2_000_000;

/** How many of the previous build's part files are read (to check them) at once. */
const READS_AT_ONCE = 16;

const indexKey = (school: unknown, year: unknown, part: unknown) => `${school}\u001f${year}\u001f${part}`;

/**
 * The first and last of `ids` in DuckDB's order of text, which cut the pieces: UTF-8 bytes (the
 * order of code points, as reports/components/timeline-part.js compares them on the page).
 * JavaScript's `<` compares UTF-16 code units, the same order unless a character above U+FFFF (a
 * surrogate pair) meets one from U+E000 to U+FFFF: ids with neither are compared as strings (no
 * buffer a pupil: 13,655 parts of about 20 pupils each at the trust), the rest as bytes.
 */
function idRange(ids: readonly string[]): { first_pupil: string | null; last_pupil: string | null } {
  const less = ids.some((id) => /[\uD800-\uFFFF]/.test(id)) ? (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')) < 0 : (a: string, b: string) => a < b;
  let first: string | null = null;
  let last: string | null = null;
  for (const id of ids) {
    if (first === null || less(id, first)) first = id;
    if (last === null || less(last, id)) last = id;
  }
  return { first_pupil: first, last_pupil: last };
}

const DETAIL_FILES = Array.from({ length: 64 }, (_, i) => `b${String(i).padStart(2, '0')}`);
// The latest month's parts name every pupil of the school (src/page-data/timeline-parts.ts, LATEST_MONTH).
const DETAIL_FILE_NAMES = new Set([...DETAIL_FILES, ALL_PUPILS]);

const martDirectoryColumns = ['school_id', 'student_id', 'first_name', 'last_name', 'year_group', 'form', 'academic_year', 'left_on', 'detail_file'] as const;
const directoryColumns = [...martDirectoryColumns, 'detail_years', 'detail_terms'];
const timelineColumns = [
  'school_id', 'student_id', 'academic_year', 'kind', 'date', 'end_date', 'time', 'period', 'category', 'staff', 'status', 'outcome',
  'polarity', 'points', 'subject', 'location', 'action', 'comment',
  'periods', 'start_time', 'end_time', 'booklet', 'conduct', 'is_repeat',
  'session', 'minutes', 'sessions', 'sessions_planned', 'focus', 'method',
  'possible_sessions', 'attending_sessions', 'unauthorised_sessions', 'late_sessions',
  'attendance_pct_to_date', 'persistently_absent_to_date',
  'attendance_pct', 'possible_sessions_to_date', 'attending_sessions_to_date',
] as const;
// Not negative_points_year: the year's total, on each of its behaviour rows, changes every earlier
// term's rows when a term adds an event; the page sums the year's negative points itself
// (reports/components/pupil-year.js), as the mart defines them.

/** The key under which a term part's pupils are digested: the latest year's inputs besides its own rows. */
const termMembersKey = (older: string) => `term\u0000${older}`;

await runLoader(async () => {
  const directory = await queryMart(
    marts.selectFrom('mart_pupil_directory').select(martDirectoryColumns).orderBy('school_id').orderBy('last_name').orderBy('first_name').orderBy('student_id'),
  );
  // In a site build each part is written into the loader cache as it is encoded (partPlacer), not
  // held to the end: a trust's timelines are 690 MB.
  const timeline = new PartsWriter(timelineColumns, ['school_id', 'academic_year', 'detail_part'], partPlacer());
  const schools = [...new Set(directory.map((d) => String(d.school_id)))];
  // Each pupil's years and terms, by school, then pupil: the years they have rows in, and their
  // terms of their school's latest year (the year cut by term), which with the year's index say
  // exactly which term parts hold the pupil (the next build reads them back:
  // src/page-data/timeline-previous-members.ts). A map per school: no key made per pupil and part.
  const pupilsOf = new Map<string, Map<string, { years: string[]; terms: number }>>();
  // Each part's first and last pupil by id, by index key (the page finds a pupil's part by them).
  const rangeOf = new Map<string, { first_pupil: string | null; last_pupil: string | null }>();
  // Each (school, year)'s parts and their pupils as written, for the build state (partMembersDigest).
  const membersOf = new Map<string, Map<string, Map<string, readonly string[]>>>();
  const addPart = (school: string, part: string, data: Uint8Array | FileBytes, rows: number, pupils: readonly string[]) => {
    const { academic_year, detail_part } = splitTimelinePart(part);
    if (!DETAIL_FILE_NAMES.has(timelinePartFile(detail_part))) throw new Error(`mart_pupil_timeline names detail file ${detail_part}, not among b00–b63`);
    const written = timeline.addEncodedPart({ school_id: school, academic_year, detail_part }, data, rows);
    rangeOf.set(indexKey(school, academic_year, detail_part), idRange(pupils));
    // A block as a bit (1, 2, 4, 8 for terms 1–3 and the latest month): a pupil's blocks are the bits set.
    const termBit = (1 << timelinePartTerm(detail_part)) >> 1;
    let ofSchool = pupilsOf.get(school);
    if (!ofSchool) pupilsOf.set(school, (ofSchool = new Map()));
    for (const pupil of pupils) {
      const seen = ofSchool.get(pupil);
      // A year cut by term: the pupil may be in a part of each term.
      if (!seen) ofSchool.set(pupil, { years: [academic_year], terms: termBit });
      else {
        if (!seen.years.includes(academic_year)) seen.years.push(academic_year);
        seen.terms |= termBit;
      }
    }
    const byYear = membersOf.get(school) ?? new Map<string, Map<string, readonly string[]>>();
    membersOf.set(school, byYear);
    byYear.set(academic_year, (byYear.get(academic_year) ?? new Map<string, readonly string[]>()).set(part, pupils));
    return written;
  };
  // In a site build (not Framework's preview), every part's fingerprint is summed from its rows'
  // hashes as it is encoded (PartOptions.rowHash) and recorded for the next build, with what each
  // (school, year) was built from (src/page-data/year-inputs.ts). A rebuild over a previous
  // site (src/page-data/timeline-reuse.ts) takes, with no row read, the parts of each year whose
  // inputs (or, where they changed, whose rows by the runner's log: yearKey) and pupils are the
  // ones the previous build wrote them from, and, when only the school's latest year changed (a
  // week's refresh, with or without a change to the pupils file), that year's terms before the
  // first week any model run since has changed, querying the rest; a school with any other change
  // has each part's fingerprint queried, and the parts whose fingerprint changed are queried.
  const reuse = exportingToCache() ? await TimelineReuse.open('pupil-detail', import.meta.url, JSON.stringify({ timelineColumns, PIECE_ROWS, DETAIL_FILES, TERMS })) : null;
  const digests = reuse ? await yearInputDigests(['mart_pupil_timeline']) : null;
  // Each school's latest academic year, cut by term and its latest month (src/page-data/timeline-parts.ts,
  // TERMS), in a clean build as in a rebuild: the same parts either way.
  const latestRows = await queryMart(latestMonthQuery());
  const latestOf = new Map(latestRows.map((r) => [String(r.school_id), String(r.latest)]));
  const monthOf = new Map(latestRows.map((r) => [String(r.school_id), r.month === null || r.month === undefined ? null : String(r.month)]));
  const monthOfSchool = (school: string) => monthOf.get(school) ?? null;
  // Where the model runs since the previous build changed the view's inputs, by week (null: not
  // known): a term of a school's latest year ending before that is unchanged, and so is a year no
  // run changed (src/page-data/week-changes.ts). The pupil directory, which the runner logs as every
  // year of a school changed whenever its pupils file changes, is judged by the pupils and detail
  // files the view takes from it, against the previous build's (src/page-data/timeline-directory-changes.ts),
  // where that can be read back; else by the log, as the other inputs.
  reuse?.recordRun(await lastModelRun(), digests?.models ?? null);
  const previousDirectory = reuse?.active ? await reuse.previousDirectory() : null;
  const logged = reuse?.active ? await inputChangesSince(reuse.previousRun, 'mart_pupil_timeline', previousDirectory ? ['mart_pupil_directory'] : []) : null;
  // The pupils added to a school are queried only where the log leaves a year of it that could be
  // taken (none when a model was rebuilt whole, or every year of the school changed).
  const queried = (school: string) => [...(previousDirectory?.get(school)?.values() ?? [])].some((p) => p.years.some((year) => logged?.extent.get(school)?.get(year) !== null));
  const since = logged && previousDirectory ? withChanges(logged, logged.whole ? new Map() : await directoryChanges(directory, previousDirectory, queried)) : logged;
  // Whether a year the runs since left alone may be taken though its digest changed (the digests
  // count a change to the pupils as one to every year): over a previous build of the same models' code.
  const byLog = (active: TimelineReuse) => digests !== null && active.previousModels === digests.models;
  /**
   * The key a year's parts' pupils were digested under by the previous build (partMembersDigest),
   * when the year holds the rows it held then: its inputs digest, unchanged; or, for a year no run
   * since has changed (the runner's log), the digest the previous build recorded. Undefined: the
   * year may have changed.
   */
  const yearKey = (active: TimelineReuse, school: string, year: string, inputs: string | undefined): string | undefined => {
    if (active.sameInputs(school, year, inputs)) return inputs;
    // By the log, only a year the previous build also wrote as an older year: the school's latest
    // year then is cut by term, and a year that has since become an older one is cut afresh.
    const previousLatest = active.previousLatest(school)?.year;
    return inputs !== undefined && previousLatest !== undefined && year < previousLatest && byLog(active) && untouchedSince(since, school, year) ? active.previousYearInputs(school, year) : undefined;
  };
  /**
   * The key the latest year's term parts' pupils were digested under by the previous build
   * (termMembersKey), when that build knew the same latest year and what it is built from besides
   * its own rows is as it was: the same older inputs, or older years no run since has changed.
   * Undefined otherwise: no term is taken.
   */
  const olderKey = (active: TimelineReuse, school: string, latest: string, years: readonly string[]): string | undefined => {
    const older = digests?.older.get(school);
    if (active.sameLatest(school, latest, older)) return older;
    const recorded = active.previousLatest(school);
    return older !== undefined && recorded?.year === latest && byLog(active) && years.every((year) => year === latest || untouchedSince(since, school, year)) ? recorded.older : undefined;
  };
  // The schools to query, and which of their parts (all when `only` is absent).
  const reading: Array<{ school: string; only?: TimelinePartsRead }> = [];
  const yearOf = (part: string) => splitTimelinePart(part).academic_year;
  /** Takes a part the previous build wrote, as it wrote it (its file linked, no row read). */
  const takePart = (active: TimelineReuse, school: string, part: string, pupils: readonly string[], previous: NonNullable<Awaited<ReturnType<TimelineReuse['previousByInputs']>>>) => {
    const written = addPart(school, part, previous.file, previous.print.rows, pupils);
    active.record(school, previous.print, written.file, written.sha256, 'unqueried');
  };
  /**
   * A rebuild's school whose years before the latest hold the rows they held at the previous build
   * (a week's refresh: their inputs unchanged, src/page-data/year-inputs.ts, or no model run since
   * changed them, yearKey): every part of each such year is taken from the previous build, no row
   * read. Which pupils each taken part
   * holds (for the directory and the year's index) is read back from the previous build's own
   * indexes (TimelineReuse.previousMembers) and checked against the digest it recorded; where that
   * cannot be done (takeByMembersQuery), the pupils are queried. The latest year, cut by term
   * (takeLatestTerms): its terms that no model run since has changed are taken, and the rest
   * queried, with no fingerprint query. False (nothing taken) when an older year may have changed:
   * its parts are fingerprinted.
   */
  const takeUnchangedParts = async (active: TimelineReuse, school: string, inputs: ReadonlyMap<string, string>): Promise<boolean> => {
    const years = [...inputs.keys()].sort();
    const latest = years.at(-1) as string;
    if (latestOf.get(school) !== latest) return false;
    const older = years.slice(0, -1);
    const keys = new Map(older.map((year) => [year, yearKey(active, school, year, inputs.get(year))]));
    if ([...keys.values()].some((key) => key === undefined)) return false;
    // A year's pieces depend on that year's rows alone (and interventions of earlier years), so
    // parts of a year whose inputs are unchanged hold the same pupils as when they were written.
    const previous = await active.previousMembers(school);
    const parts = older.flatMap((year) => active.recordedParts(school, year));
    const readBack = previous ? [...previous.keys()].filter((part) => older.includes(yearOf(part))).sort() : [];
    if ((!previous && parts.length > 0) || parts.join('\n') !== readBack.join('\n')) return takeByMembersQuery(active, school, inputs);
    const found = await inBatches(parts, READS_AT_ONCE, async (part) => {
      const pupils = previous?.get(part) ?? [];
      const key = keys.get(yearOf(part)) as string;
      return { part, pupils, previous: await active.previousByInputs(school, yearOf(part), key, part, partMembersDigest(key, part, pupils)) };
    });
    if (found.some((f) => !f.previous)) return takeByMembersQuery(active, school, inputs);
    for (const f of found) takePart(active, school, f.part, f.pupils, f.previous!);
    await takeLatestTerms(active, school, latest, years, inputs.get(latest) as string, previous);
    return true;
  };
  /**
   * The terms of a school's latest year whose parts are as the previous build wrote them (but for
   * their files and pupils, still to be checked): every term when the year's inputs are
   * unchanged; else the terms ending before the first week any model run since the previous build
   * changed in the view's inputs; none unless what the year is built from besides its own rows is
   * the same (olderKey). The terms taken run from the first: a term's rows may depend on the weeks
   * before it.
   */
  const termsToTake = (active: TimelineReuse, school: string, latest: string, years: readonly string[], inputs: string | undefined): number[] => {
    // The latest month as the previous build cut it (undefined: not recorded, so nothing is taken).
    const before = active.previousMonth(school);
    const terms = olderKey(active, school, latest, years) === undefined || before === undefined
      ? []
      : active.sameInputs(school, latest, inputs)
        ? termsUnchanged(latest, undefined, monthOfSchool(school), before)
        : since && !since.whole
          ? termsUnchanged(latest, since.extent.get(school)?.get(latest), monthOfSchool(school), before)
          : [];
    return TERMS.filter((term, i) => TERMS.slice(0, i + 1).every((t) => terms.includes(t)));
  };
  /**
   * The latest year's term parts a rebuild can take: every term when the year's inputs are
   * unchanged; else the terms ending before the first week any model run since the previous build
   * changed in the view's inputs (the runner's log: src/page-data/week-changes.ts), while what the
   * year is built from besides its own rows is the same (olderKey). Their pupils
   * are read back from the previous build (`previous`: its directory's `detail_terms` and the
   * year's index), else queried (the year's members query: the pupils' row counts per term, not
   * their rows), and checked against the recorded digest. The terms after them are queried; if any
   * part of those taken cannot be, the whole year is.
   */
  const takeLatestTerms = async (active: TimelineReuse, school: string, latest: string, years: readonly string[], inputs: string, previous: ReadonlyMap<string, readonly string[]> | null) => {
    const older = olderKey(active, school, latest, years);
    const taken = termsToTake(active, school, latest, years, inputs);
    if (taken.length > 0 && older !== undefined) {
      const inTaken = (part: string) => yearOf(part) === latest && taken.includes(timelinePartTerm(splitTimelinePart(part).detail_part));
      const recorded = active.recordedParts(school, latest).filter(inTaken);
      const readBack = [...(previous ?? new Map<string, readonly string[]>())].filter(([part]) => inTaken(part)).map(([part, pupils]) => ({ part, pupils }));
      readBack.sort((a, b) => (a.part < b.part ? -1 : a.part > b.part ? 1 : 0));
      const members =
        readBack.map((m) => m.part).join('\n') === recorded.join('\n')
          ? readBack
          : (await queryMart(timelineMembersQuery(timelineColumns, school, PIECE_ROWS, latest, [latest], monthOfSchool(school))))
              .map((row) => ({ part: String(row.part), pupils: String(row.pupils).split('\u001f') }))
              .filter((m) => inTaken(m.part));
      if (members.map((m) => m.part).join('\n') === recorded.join('\n')) {
        const found = await inBatches(members, READS_AT_ONCE, async (m) => ({ ...m, previous: await active.previousTermPart(school, m.part, partMembersDigest(termMembersKey(older), m.part, m.pupils)) }));
        if (found.every((f) => f.previous)) {
          for (const f of found) takePart(active, school, f.part, f.pupils, f.previous!);
          if (taken.length < TERMS.length) reading.push({ school, only: { years: [latest], fromTerm: TERMS[taken.length] } });
          return;
        }
      }
    }
    reading.push({ school, only: { years: [latest] } });
  };
  /**
   * takeUnchangedParts when the previous build's pupils cannot be read back: each part's pupils
   * queried (timelineMembersQuery: the pupils' row counts, not their rows), and each part holding
   * the same pupils as the previous build's part of that name taken; the rest (the latest year's,
   * if it changed; any whose pupils moved between pieces) queried.
   */
  const takeByMembersQuery = async (active: TimelineReuse, school: string, inputs: ReadonlyMap<string, string>): Promise<boolean> => {
    active.countMembersQuery();
    const members = await queryMart(timelineMembersQuery(timelineColumns, school, PIECE_ROWS, latestOf.get(school) ?? null, undefined, monthOfSchool(school)));
    const years = [...new Set(members.map((row) => yearOf(String(row.part))))].sort();
    const keys = new Map(years.slice(0, -1).map((year) => [year, yearKey(active, school, year, inputs.get(year))]));
    if ([...keys.values()].some((key) => key === undefined)) return false;
    // The latest year's term parts by their terms (termsToTake), the other parts by their year's inputs.
    const latest = latestOf.get(school);
    const schoolYears = [...inputs.keys()].sort();
    const older = latest === undefined ? undefined : olderKey(active, school, latest, schoolYears);
    const taken = latest === undefined ? [] : termsToTake(active, school, latest, schoolYears, inputs.get(latest));
    // The previous build's files checked several at once (they wait on the disk), then taken in order.
    const found = await inBatches(members, READS_AT_ONCE, async (row) => {
      const part = String(row.part);
      const pupils = String(row.pupils).split('\u001f');
      const key = keys.get(yearOf(part));
      const term = timelinePartTerm(splitTimelinePart(part).detail_part);
      const previous =
        term > 0
          ? taken.includes(term) && older !== undefined ? await active.previousTermPart(school, part, partMembersDigest(termMembersKey(older), part, pupils)) : null
          : key === undefined ? null : await active.previousByInputs(school, yearOf(part), key, part, partMembersDigest(key, part, pupils));
      return { part, pupils, previous };
    });
    const changed: string[] = [];
    for (const { part, pupils, previous } of found) {
      if (previous) takePart(active, school, part, pupils, previous);
      else changed.push(part);
    }
    if (changed.length > 0) reading.push({ school, only: changed.length === members.length ? undefined : changed });
    return true;
  };
  for (const school of schools) {
    if (!reuse?.active) {
      reading.push({ school });
      continue;
    }
    const inputs = digests?.get(school);
    if (inputs && (await takeUnchangedParts(reuse, school, inputs))) continue;
    const prints: PartFingerprint[] = (await queryMart(timelineFingerprintQuery(timelineColumns, school, PIECE_ROWS, latestOf.get(school) ?? null, monthOfSchool(school)))).map((row) => ({
      part: String(row.part), rows: Number(row.rows), sum: String(row.sum), xor: String(row.xor), pupils: String(row.pupils).split('\u001f'),
    }));
    const previous = await inBatches(prints, READS_AT_ONCE, (print) => reuse.previous(school, print));
    const changed: string[] = [];
    for (const [i, print] of prints.entries()) {
      const file = previous[i];
      if (!file) {
        changed.push(print.part);
        continue;
      }
      const written = addPart(school, print.part, file, print.rows, print.pupils);
      reuse.record(school, print, written.file, written.sha256, 'queried');
    }
    if (changed.length > 0) reading.push({ school, only: changed.length === prints.length ? undefined : changed });
  }
  // The text columns with few values (the record kind, periods, outcomes, subjects, places…: at
  // most ENUM_LIMIT each): the parts query reads them as ENUMs, an index a row, where text cost a
  // lookup a row, and text over 12 bytes (`attendance_week`, half a trust's rows; many outcomes)
  // a call into DuckDB a row (src/page-data/timeline-parts.ts; docs/performance.md, "Session 21"
  // and "Session 22"). The same bytes either way.
  // Their values are read from the rows the queries below read (a rebuild's: often the latest
  // year's alone, and no scan at all when nothing is queried).
  const text = (await queryMart(timelineTextColumnsQuery(timelineColumns))).map((r) => String(r.column_name));
  const everyRow = reading.length === schools.length && reading.every((r) => !r.only);
  const rowsRead = everyRow ? undefined : reading.map((r) => ({ school: r.school, years: r.only && yearsRead(r.only), from: readFrom(r.only, latestOf.get(r.school) ?? null, monthOfSchool(r.school)) }));
  const [values] = reading.length > 0 ? await queryMart(timelineTextValuesQuery(text, ENUM_LIMIT, rowsRead)) : [{}];
  const enums = enumsOfTextValues(values, text);
  // One query per school read whole, its rows ordered by part (school, academic year and detail
  // part), streamed: each part is encoded as soon as its last row has come, so a trust's timelines
  // (millions of rows) are never held whole, and no row objects are made
  // (src/page-data/duckdb-columns.ts). Schools read alike (a week's refresh: every school's latest
  // terms) share READ_GROUPS queries, each scanning the view once for its schools, or one query
  // when they are at most ONE_QUERY_ROWS rows.
  // The queries are shared between this thread and a worker thread, and each thread starts its
  // next query while it reads the current one (src/page-data/query-parts.ts).
  const rowsToRead = Number(values.rows_read ?? Number.POSITIVE_INFINITY);
  const plans = timelineQueryPlans(reading, latestOf, rowsToRead <= ONE_QUERY_ROWS ? 1 : READ_GROUPS, monthOf);
  const queries = plans.map((q) => timelinePartsQuery(timelineColumns, q.schools, PIECE_ROWS, q.only, enums, reuse !== null, q.latest, q.month));
  await encodeQueryPartsInThreads(queries, timelineColumns, (p) => {
    const { school, part } = queriedTimelinePart(p.keys, plans[p.query].schools);
    const written = addPart(school, part, p.data, p.rows, p.units ?? []);
    if (reuse && p.rowHash) reuse.record(school, { part, rows: p.rows, ...p.rowHash }, written.file, written.sha256);
    // No limit: a part is one piece; the units (pupils) are what the directory needs.
  }, undefined, { limit: { rows: Number.MAX_SAFE_INTEGER, unit: 'student_id' }, rowHash: reuse !== null });
  // What each (school, year) was written from, for the next build: only where the inputs are known.
  // The latest year's term parts' pupils under the school's older inputs (takeLatestTerms).
  for (const [school, byYear] of membersOf) {
    const older = digests?.older.get(school);
    const latest = latestOf.get(school);
    if (older !== undefined && latest !== undefined) reuse?.recordLatest(school, latest, older, monthOfSchool(school));
    for (const [year, parts] of byYear) {
      const inputs = digests?.get(school)?.get(year);
      const key = (part: string) => (timelinePartTerm(splitTimelinePart(part).detail_part) > 0 ? (older === undefined ? undefined : termMembersKey(older)) : inputs);
      const recorded = [...parts].flatMap(([part, pupils]) => {
        const k = key(part);
        return k === undefined ? [] : [[part, partMembersDigest(k, part, pupils)] as [string, string]];
      });
      if (inputs !== undefined) reuse?.recordYear(school, year, inputs, new Map(recorded));
    }
  }
  await timeline.settled();
  await reuse?.save(timeline.stamps());
  // A pupil with no timeline rows has no years (the page shows no records).
  // The directory's own rows (queryMart's, this loader's alone), given the two columns in place.
  const listed = directory.map((d) => {
    const seen = pupilsOf.get(String(d.school_id))?.get(String(d.student_id));
    d.detail_years = seen ? (seen.years.length > 1 ? seen.years.sort().join(',') : seen.years[0]) : null;
    d.detail_terms = seen && seen.terms > 0 ? TERMS.filter((t) => seen.terms & ((1 << t) >> 1)).join(',') : null;
    return d;
  });
  const byName = (a: PageMember, b: PageMember) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  // By key: the parts come from two threads in no fixed order; the archive is the same every time.
  const keyOf = (e: Row) => indexKey(e.school_id, e.academic_year, e.detail_part);
  const yearIndex = [...timeline.entries()]
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
    .map((e) => ({ ...e, detail_file: timelinePartFile(String(e.detail_part)), ...rangeOf.get(keyOf(e)) }));
  const entries: PageMember[] = [
    ...partitionedMembers(listed, directoryColumns, ['school_id']).map((m) => (m.name === 'index.arrow' ? { ...m, name: 'directory.arrow' } : m)),
    ...partitionedMembers(yearIndex, ['detail_part', 'detail_file', 'first_pupil', 'last_pupil', 'file'], ['school_id', 'academic_year']).map((m) => (m.name === 'index.arrow' ? { ...m, name: 'timelines.arrow' } : m)),
    ...timeline.members().filter((m) => m.part).sort(byName),
  ];
  await emitArchive(entries);
});
