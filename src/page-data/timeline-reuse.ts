import { loaderAudience } from './audience.ts';
import { codeFingerprint } from './code-fingerprint.ts';
import { emitBuildState, type FileBytes } from './mart-export.ts';
import { isObject, previousBuildState, previousPartFile, recordedStamps } from './previous-build.ts';
import { previousTimelineMembers, type PreviousDirectory, type PreviousMembers } from './timeline-previous-members.ts';

/**
 * A staff site rebuilt after a week's refresh reuses the previous build's pupil-timeline parts
 * whose rows did not change (reports/data/pupil-detail.tar.ts):
 *
 *   const reuse = await TimelineReuse.open('pupil-detail', codeInputs);
 *   reuse.sameInputs(school, year, inputs);                              // each year before the latest
 *   const pupils = await reuse.previousMembers(school);                  // part → pupils, as the previous build published them
 *   const taken = await reuse.previousByInputs(school, year, inputs, part, members); // the part's file, or null
 *   const prints = await queryMart(timelineFingerprintQuery(…));        // per school whose older years changed
 *   const bytes = await reuse.previous(school, print);                   // the part's file, or null
 *   reuse.record(school, print, file, sha256);                           // each part written
 *   reuse.recordYear(school, year, inputs, members);                     // each (school, year) written
 *   await reuse.save();
 *
 * Two ways to know a part is unchanged, the cheaper first:
 * - **By its year's inputs** (src/page-data/year-inputs.ts): the digest of the model runner's
 *   state the (school, year)'s rows were built from, and the digest of which pupils the part holds.
 *   Both equal to the recorded ones: the part is taken as the previous build wrote it, no row read.
 *   A week's refresh changes the inputs of each school's latest year alone, unless the school's
 *   pupils file changed (a SEN status, a leaver, a joiner), which changes every year's digest: a
 *   year whose rows no model run since the previous build changed (the runner's log, with the
 *   pupil directory judged by its pupils: src/page-data/timeline-directory-changes.ts) is then taken
 *   as well, its pupils checked against the digest the previous build recorded under the inputs it
 *   had then (previousYearInputs), over a build of the same models' code (previousModels). The pupils are read
 *   back from the directory and year indexes the previous build published (previousMembers), as
 *   a year's pieces depend on its own rows alone; where they cannot be, they are queried
 *   (timelineMembersQuery: the pupils' row counts, not their rows; State.membersQueried counts
 *   the schools).
 * - **By its fingerprint** (src/page-data/timeline-parts.ts, timelineFingerprintQuery: its row
 *   count and the sum and xor of a hash of each of its rows, a scan of the school's rows): for a
 *   school changed in a year other than its latest (a correction, a pupil's record), where most
 *   parts are still the same.
 *
 * A part's fingerprint is recorded, with the file the build wrote for it and that file's SHA-256,
 * each (school, year)'s inputs digest and each part's pupils digest, in a state file of the build
 * (`.pastoral-build/pupil-detail.json` in the site: src/site/build-site.ts copies it there;
 * hashes, counts and file names only, no pupil's data; the static server never serves it). The
 * next build of the same site (buildSite passes the site being replaced as
 * PASTORAL_PREVIOUS_SITE) takes a part from that site's `_file/data/pupil-detail/` once its bytes
 * are checked against the recorded SHA-256, or, for a file a build took before, once its size and
 * time are those it had then (`stamps`: src/page-data/previous-build.ts, previousPartFile); every
 * other part is queried and encoded as before. The
 * state also holds a fingerprint of the code (src/page-data/code-fingerprint.ts: the loader and
 * every module it reaches, the libraries' versions, the view's column types): when it differs
 * nothing is reused.
 *
 * Anything missing, unreadable, foreign or not matching (no previous site, no state, another
 * code, a part file deleted or changed) means that part, that year, or every part, is written
 * afresh: the output is the same as a clean build's either way (test/site/timeline-reuse.test.ts).
 * Only the staff build has the timelines; the reuse is off for any other audience all the same.
 */

/** The version of the state file's layout. */
const STATE_VERSION = 4;

/** What timelineFingerprintQuery gives for one part. */
export interface PartFingerprint {
  part: string;
  rows: number;
  sum: string;
  xor: string;
  /** The part's pupils, in order (kept in memory for the directory, never written to the state). */
  pupils: string[];
}

interface RecordedPart {
  rows: number;
  sum: string;
  xor: string;
  file: string;
  sha256: string;
  /** partMembersDigest of the part's pupils, under its year's inputs (when they are known). */
  members?: string;
}

interface State {
  version: number;
  code: string;
  /**
   * Parts this build wrote; how many of them it took from the previous build; and how many of
   * those it took without querying their rows, as their year's inputs were unchanged.
   */
  parts: number;
  reused: number;
  unqueried: number;
  /**
   * How many schools had their parts' pupils queried (timelineMembersQuery) to take parts by their
   * year's inputs, as the previous build's could not be read back (previousMembers).
   */
  membersQueried: number;
  /** By school, then part. */
  schools: Record<string, Record<string, RecordedPart>>;
  /** By school, then academic year: the digest of the inputs its rows were built from (year-inputs.ts). */
  years: Record<string, Record<string, string>>;
  /**
   * By school: its latest academic year (the one cut by term) and the digest of what that year is
   * built from besides its own rows (InputDigests.older), when known.
   */
  latest: Record<string, { year: string; older: string; month?: string | null }>;
  /** The warehouse's last model run as this build read it (src/models/row-changes.ts), when logged. */
  run: string | null;
  /** The digest of the models' hashes this build read (InputDigests.models), when known. */
  models: string | null;
  /**
   * By file: the size and time of each part file as this build wrote it, or took it once its bytes
   * were checked (FileBytes.stamp). Apart from `schools`, which a rebuild records as a clean build.
   */
  stamps: Record<string, string>;
}

export class TimelineReuse {
  private readonly next: State;
  /** The previous build's parts' pupils and its directory, read back once (previousMembers, previousDirectory). */
  private members: Promise<{ members: PreviousMembers; directory: PreviousDirectory } | null> | null = null;
  /** The previous build's stamps (State.stamps), checked once (fileOf). */
  private stamps: Record<string, string> | null = null;

  private constructor(
    private readonly name: string,
    /** The previous site's folder of this loader's parts, when its state can be used. */
    private readonly previousParts: string | null,
    private readonly previousState: State | null,
    code: string,
  ) {
    this.next = { version: STATE_VERSION, code, parts: 0, reused: 0, unqueried: 0, membersQueried: 0, schools: {}, years: {}, latest: {}, run: null, models: null, stamps: {} };
  }

  /**
   * The previous build's state for loader `name` (its parts in `_file/data/<name>/`; `loader`: its
   * module's URL, for the code's fingerprint: src/page-data/code-fingerprint.ts), if
   * PASTORAL_PREVIOUS_SITE names a site whose state was written by this code; otherwise a reuse
   * that reuses nothing (and still records this build's parts).
   */
  static async open(name: string, loader: string, inputs: string): Promise<TimelineReuse> {
    const code = await codeFingerprint(loader, ['mart_pupil_timeline'], `v${STATE_VERSION}\u0000${inputs}`);
    const site = process.env.PASTORAL_PREVIOUS_SITE;
    if (!site || loaderAudience() !== 'staff') return new TimelineReuse(name, null, null, code);
    const previous = await previousBuildState<State>(site, name, (s) => s.version === STATE_VERSION && s.code === code && isObject(s.schools) && isObject(s.years) && isObject(s.latest));
    const state = previous?.state ?? null;
    return new TimelineReuse(name, previous?.partsDir ?? null, state, code);
  }

  /** Whether any part could be reused (a previous build of the same code). */
  get active(): boolean {
    return this.previousState !== null;
  }

  /**
   * The previous build's file for a part whose fingerprint is unchanged, its bytes checked against
   * the recorded SHA-256; null when the part changed or the file is missing or not the same.
   */
  async previous(school: string, print: PartFingerprint): Promise<FileBytes | null> {
    const recorded = this.previousState?.schools[school]?.[print.part];
    if (!recorded || recorded.rows !== print.rows || recorded.sum !== print.sum || recorded.xor !== print.xor) return null;
    return this.fileOf(recorded);
  }

  /** Whether a (school, academic year)'s rows were built from the inputs the previous build recorded. */
  sameInputs(school: string, year: string, inputs: string | undefined): boolean {
    return inputs !== undefined && this.previousState?.years[school]?.[year] === inputs;
  }

  /**
   * The previous build's file for a part of a (school, academic year) whose rows were built from
   * the same inputs (`inputs`, its digest: year-inputs.ts) and that holds the same pupils
   * (`members`: partMembersDigest), so the same rows: its bytes checked against the recorded
   * SHA-256, with its recorded fingerprint. Null when the year's inputs or the part's pupils differ,
   * or the file is missing or not the same.
   */
  async previousByInputs(school: string, year: string, inputs: string, part: string, members: string): Promise<{ print: Omit<PartFingerprint, 'pupils'>; file: FileBytes } | null> {
    if (!this.sameInputs(school, year, inputs)) return null;
    const recorded = this.previousState?.schools[school]?.[part];
    if (!recorded || recorded.members !== members) return null;
    const file = await this.fileOf(recorded);
    return file && { print: { part, rows: recorded.rows, sum: recorded.sum, xor: recorded.xor }, file };
  }

  /**
   * Which pupils each part the previous build wrote for `school` held (part → pupils), read back
   * from the directory and year indexes it published (src/page-data/timeline-previous-members.ts),
   * with no query; null when they cannot be read. Each part's pupils are to be checked against
   * its recorded digest (previousByInputs), and its year's parts against those recorded (recordedParts).
   */
  async previousMembers(school: string): Promise<ReadonlyMap<string, readonly string[]> | null> {
    return (await this.readBack())?.members.get(school) ?? null;
  }

  /**
   * The previous build's pupils of each school (their detail files, and the years they had rows
   * in), as its directory published them; null when it cannot be read back (previousMembers).
   */
  async previousDirectory(): Promise<PreviousDirectory | null> {
    return (await this.readBack())?.directory ?? null;
  }

  private readBack() {
    if (!this.previousParts || !this.previousState) return Promise.resolve(null);
    this.members ??= previousTimelineMembers(this.previousParts);
    return this.members;
  }

  /**
   * The inputs digest the previous build recorded for a (school, academic year): the key its parts'
   * pupils were digested under (partMembersDigest), for a year taken by the runner's log though
   * its digest changed.
   */
  previousYearInputs(school: string, year: string): string | undefined {
    const inputs = this.previousState?.years[school]?.[year];
    return typeof inputs === 'string' ? inputs : undefined;
  }

  /**
   * The school's latest year and the digest of what it was built from besides its own rows, as the
   * previous build recorded them (sameLatest), when it did.
   */
  previousLatest(school: string): { year: string; older: string } | undefined {
    const recorded = this.previousState?.latest[school];
    return isObject(recorded) && typeof recorded.year === 'string' && typeof recorded.older === 'string' ? { year: recorded.year, older: recorded.older } : undefined;
  }

  /** The digest of the models' hashes the previous build read (InputDigests.models), if it recorded one. */
  get previousModels(): string | null {
    return typeof this.previousState?.models === 'string' ? this.previousState.models : null;
  }

  /** The model run the previous build read (its id in the runner's log), if it recorded one. */
  get previousRun(): string | null {
    return typeof this.previousState?.run === 'string' ? this.previousState.run : null;
  }

  /**
   * Whether the previous build knew `year` as the school's latest and its rows built on the same
   * older inputs (InputDigests.older): its term parts then hold what they held, unless a run since
   * changed rows of their weeks (reports/data/pupil-detail.tar.ts).
   */
  sameLatest(school: string, year: string, older: string | undefined): boolean {
    const recorded = this.previousState?.latest[school];
    return older !== undefined && isObject(recorded) && recorded.year === year && recorded.older === older;
  }

  /**
   * The previous build's file for a term part of a school's latest year (sameLatest, and no run
   * since changed its weeks: the caller's to know) that holds the same pupils (`members`:
   * partMembersDigest under termMembersKey), its bytes checked; null otherwise.
   */
  async previousTermPart(school: string, part: string, members: string): Promise<{ print: Omit<PartFingerprint, 'pupils'>; file: FileBytes } | null> {
    const recorded = this.previousState?.schools[school]?.[part];
    if (!recorded || recorded.members !== members) return null;
    const file = await this.fileOf(recorded);
    return file && { print: { part, rows: recorded.rows, sum: recorded.sum, xor: recorded.xor }, file };
  }

  /**
   * The first day of the latest month (src/page-data/timeline-parts.ts, LATEST_MONTH) of the
   * school's latest year as the previous build cut it (sameLatest): null when it had none;
   * undefined when not recorded.
   */
  previousMonth(school: string): string | null | undefined {
    const recorded = this.previousState?.latest[school];
    if (!isObject(recorded) || !('month' in recorded)) return undefined;
    return typeof recorded.month === 'string' ? recorded.month : null;
  }

  /** Records the school's latest year, its older inputs (sameLatest) and the first day of its latest month (previousMonth). */
  recordLatest(school: string, year: string, older: string, month: string | null): void {
    this.next.latest[school] = { year, older, month };
  }

  /** Records the warehouse's last model run and the digest of the models' hashes, as this build read them. */
  recordRun(run: string | null, models: string | null): void {
    this.next.run = run;
    this.next.models = models;
  }

  /** Counts a school whose parts' pupils were queried, not read back (State.membersQueried). */
  countMembersQuery(): void {
    this.next.membersQueried += 1;
  }

  /** The parts the previous build recorded for a (school, academic year), by name, sorted. */
  recordedParts(school: string, year: string): string[] {
    return Object.keys(this.previousState?.schools[school] ?? {})
      .filter((part) => part.slice(0, part.lastIndexOf('|')) === year)
      .sort();
  }

  /** A recorded part's file from the previous site, when its bytes are the recorded ones. */
  private async fileOf(recorded: RecordedPart): Promise<FileBytes | null> {
    if (!this.previousParts) return null;
    this.stamps ??= recordedStamps(this.previousState?.stamps);
    return previousPartFile(this.previousParts, recorded, this.stamps[recorded.file]);
  }

  /** Records a part this build wrote (`reused` from the previous build or not), for the next build. */
  record(school: string, print: Omit<PartFingerprint, 'pupils'>, file: string, sha256: string, reused: 'queried' | 'unqueried' | false = false): void {
    this.next.parts += 1;
    if (reused) this.next.reused += 1;
    if (reused === 'unqueried') this.next.unqueried += 1;
    (this.next.schools[school] ??= {})[print.part] = { rows: print.rows, sum: print.sum, xor: print.xor, file, sha256 };
  }

  /**
   * Records the inputs a (school, academic year)'s rows were built from, and the pupils of each of
   * its parts this build wrote (`members`: part → partMembersDigest), once every part is recorded.
   */
  recordYear(school: string, year: string, inputs: string, members: ReadonlyMap<string, string>): void {
    (this.next.years[school] ??= {})[year] = inputs;
    const own = this.next.schools[school] ?? {};
    for (const [part, digest] of members) if (own[part]) own[part].members = digest;
  }

  /**
   * Writes this build's state (during a site build's export; nothing otherwise), with the stamps of
   * the part files it wrote or took (PartsWriter.stamps: once they are written).
   */
  async save(stamps: Record<string, string>): Promise<void> {
    this.next.stamps = stamps;
    if (loaderAudience() !== 'staff') return;
    await emitBuildState(`${this.name}.json`, JSON.stringify(this.next));
  }
}
