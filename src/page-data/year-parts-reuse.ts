import type { RawBuilder } from 'kysely';
import { sql } from '../commonjs/kysely.ts';
import { loaderAudience } from './audience.ts';
import { codeFingerprint } from './code-fingerprint.ts';
import { inBatches } from './in-batches.ts';
import { compile, emitBuildState, exportingToCache, queryMart, type FileBytes, type MartQuery, type PageMember, type Row } from './mart-export.ts';
import { keyColumn, PartsWriter, type PartKey } from './page-parts.ts';
import { isObject, previousBuildState, previousPartFile, recordedStamps } from './previous-build.ts';
import { encodeQueryParts } from './query-parts.ts';
import { lastModelRun, modelChangesSince, untouchedSince } from './week-changes.ts';
import { yearInputDigests } from './year-inputs.ts';

/**
 * A loader's parts cut by school and academic year first, streamed from one ordered query of marts
 * the model runner updates by school and year (src/page-data/page-parts.ts,
 * streamedPartitionMembers: the same parts, byte for byte), that a staff site's rebuild after a
 * week's refresh takes, for each (school, academic year) whose inputs did not change, from the
 * site it replaces, reading only the other (school, year)s:
 *
 *   await emitArchive(await yearPartitionMembers({
 *     name: 'hotspots', loader: import.meta.url, marts: ['mart_behaviour_hotspots'], columns,
 *     keys: ['school_id', 'academic_year', yearGroupKey],
 *     query: (kept) => marts.selectFrom('mart_behaviour_hotspots').where(kept('school_id', 'academic_year'))…,
 *   }));
 *
 * `query(kept)` gives the key values first, then `columns`, ordered by the keys (school_id, then
 * academic_year, then the rest) and down to the row, with `kept(schoolColumn, yearColumn)` among
 * its conditions (on each branch of a union): true but for the (school, year)s taken from the
 * previous build.
 *
 * A (school, year)'s inputs are the model runner's record of what it was built from
 * (src/page-data/year-inputs.ts: the models' hashes and the raw rows' fingerprints; null, and
 * nothing taken, unless the runner records that a change to a school's latest year stays in that
 * year for every mart read); a (school, year) whose inputs changed is taken too when no model run
 * since the previous build (of the same models' code) changed the marts' rows of it, by the
 * runner's log (src/page-data/week-changes.ts: a change to the pupils file changes every year's
 * inputs, and mostly the latest year's rows alone). Or, with `unchangedBy: 'rows'`, the query's own rows of that
 * (school, year): their count and summed hashes, queried before the parts. The state
 * (`.pastoral-build/<name>.json`: per school and year, the inputs and each part's key values,
 * rows, file and SHA-256: no pupil's data, as the keys are school, year and the like) and the
 * previous site's files, checked against their SHA-256 (or their size and time when a build took
 * them before: src/page-data/previous-build.ts), say what can be taken; anything missing, damaged
 * or from other code (src/page-data/code-fingerprint.ts) is queried. Only in a staff site's
 * build (`pastoral build`), as the timelines' reuse (src/page-data/timeline-reuse.ts).
 */
export interface YearPartitionOptions {
  /** The loader's name: its parts are published in `_file/data/<name>/`, its state is `<name>.json`. */
  name: string;
  /** The loader module's URL (import.meta.url), for the code's fingerprint. */
  loader: string;
  /** The marts the query reads: every model it reads (the runner's log is read for these alone). */
  marts: readonly string[];
  columns: readonly string[];
  /** The part keys: 'school_id', 'academic_year', then any others. */
  keys: readonly PartKey[];
  query: (kept: Kept) => MartQuery;
  /**
   * How a (school, year) is known to be as the previous build wrote it. 'inputs' (the default):
   * the model runner's record of what it was built from, with no row read; it needs marts the
   * runner updates by school and year, each year on its own. 'rows': the query's rows of that
   * (school, year), counted and their hashes summed in DuckDB (the query run a second time, for
   * the (school, year)s not taken): for marts rebuilt whole (a BSC placement looks forward to
   * the next one, perhaps next year), whose older years' rows a week's refresh mostly leaves as
   * they were, though the runner cannot say so. The parts' bytes depend on nothing but those
   * rows, in the query's order.
   */
  unchangedBy?: 'inputs' | 'rows';
}

/**
 * The part's first two key values as a loader's query selects them, ahead of its columns
 * (`.select([...SCHOOL_YEAR_KEY, ...columns])`; a third key, such as the year group, after them).
 */
export const SCHOOL_YEAR_KEY = [sql<string>`school_id`.as('part_school'), sql<string>`academic_year`.as('part_year')] as const;

/** The condition a loader's query carries: true but for the (school, year)s taken from the previous build. */
export type Kept = (schoolColumn: string, yearColumn: string) => RawBuilder<boolean>;

/** The condition with nothing taken: every (school, year)'s rows (the query read whole, as a trust build reads it). */
export const keepAll: Kept = () => sql<boolean>`TRUE`;

const STATE_VERSION = 2;

/** How many of the previous build's part files are read (to check them) at once. */
const READS_AT_ONCE = 16;

interface RecordedPart {
  key: Row;
  rows: number;
  file: string;
  sha256: string;
}

interface State {
  version: number;
  code: string;
  /** Parts this build wrote, and how many of them it took from the previous build. */
  parts: number;
  reused: number;
  /** The warehouse's last model run as this build read it (src/models/row-changes.ts), when logged. */
  run: string | null;
  /** The digest of the models' hashes this build read (InputDigests.models; '' with `unchangedBy: 'rows'`). */
  models: string;
  /** By school, then academic year: the inputs its rows were built from, and its parts in order. */
  years: Record<string, Record<string, { inputs: string; parts: RecordedPart[] }>>;
  /** By file: the size and time of each part file this build took, as its bytes were checked (FileBytes.stamp). */
  stamps: Record<string, string>;
}

interface Part {
  key: Row;
  /** Its bytes as queried, or the previous build's file (checked). */
  data: Uint8Array | FileBytes;
  rows: number;
}

/**
 * The rows of each (school, year) of a loader's query (every one: nothing kept out), as a digest:
 * their count and the sum of their hashes (each row whole, keys and columns: DuckDB's hash of the
 * row as a struct, summed exactly as a HUGEINT), by school, then year. A (school, year) with a
 * NULL school or year has none (its parts are not recorded, so never taken).
 */
async function rowDigests(query: (kept: Kept) => MartQuery): Promise<Map<string, Map<string, string>>> {
  const { sql: text, parameters } = compile(query(keepAll));
  const rows = await queryMart({
    sql: `SELECT #1 AS school, #2 AS year, count(*)::VARCHAR AS n, sum(hash(q))::VARCHAR AS h FROM (${text}) q GROUP BY 1, 2`,
    parameters,
  });
  const digests = new Map<string, Map<string, string>>();
  for (const r of rows) {
    if (r.school === null || r.year === null) continue;
    const bySchool = digests.get(String(r.school)) ?? new Map<string, string>();
    digests.set(String(r.school), bySchool.set(String(r.year), `rows ${r.n} ${r.h}`));
  }
  return digests;
}

/** A (school, academic year) as the `kept` condition names it: `school || chr(31) || year`. */
const pairOf = (school: string, year: string) => `${school}\u001f${year}`;

export async function yearPartitionMembers(o: YearPartitionOptions): Promise<PageMember[]> {
  const keyColumns = o.keys.map(keyColumn);
  if (keyColumns[0] !== 'school_id' || keyColumns[1] !== 'academic_year') throw new Error(`${o.name}: the parts must be keyed by school_id, then academic_year (not ${keyColumns.join(', ')})`);
  const building = exportingToCache() && loaderAudience() === 'staff';
  const code = building ? await codeFingerprint(o.loader, o.marts, JSON.stringify({ v: STATE_VERSION, columns: o.columns, keys: keyColumns, unchangedBy: o.unchangedBy ?? 'inputs' })) : '';
  const digests = !building ? null : o.unchangedBy === 'rows' ? await rowDigests(o.query) : await yearInputDigests(o.marts);
  const run = building ? await lastModelRun() : null;
  const previous = digests
    ? await previousBuildState<State>(process.env.PASTORAL_PREVIOUS_SITE, o.name, (s) => s.version === STATE_VERSION && s.code === code && isObject(s.years))
    : null;
  const models = digests && 'models' in digests ? (digests.models as string) : '';
  // By the inputs: where the runs since the previous build (over the same models' code) changed
  // the marts, from the runner's log. A (school, year) they left alone holds the rows it held,
  // though its digest changed: the digest counts a change to the pupils as one to every year, as
  // the runner once rebuilt every year, where the runner now hands on only the rows that differ
  // (a SEN status recorded changes no hotspot of an older year: docs/performance.md, "Session 49").
  const since =
    previous && o.unchangedBy !== 'rows' && models !== '' && previous.state.models === models && typeof previous.state.run === 'string'
      ? await modelChangesSince(previous.state.run, o.marts)
      : null;

  // The previous build's parts of each (school, year) built from the same inputs (or left alone by
  // every run since), every file intact.
  const taken = new Map<string, { school: string; year: string; parts: Part[] }>();
  const stamps = recordedStamps(previous?.state.stamps);
  for (const [school, years] of Object.entries(previous?.state.years ?? {})) {
    for (const [year, recorded] of Object.entries(years)) {
      const inputs = digests?.get(school)?.get(year);
      if (!previous || inputs === undefined || (inputs !== recorded.inputs && !untouchedSince(since, school, year))) continue;
      // Several files checked at once (they wait on the disk).
      const files = await inBatches(recorded.parts, READS_AT_ONCE, (part) => previousPartFile(previous.partsDir, part, stamps[part.file]));
      if (files.every((file) => file !== null)) taken.set(pairOf(school, year), { school, year, parts: recorded.parts.map((part, i) => ({ key: part.key, rows: part.rows, data: files[i]! })) });
    }
  }
  const kept: Kept = (school, year) =>
    taken.size === 0 ? keepAll(school, year) : sql<boolean>`(${sql.ref(school)} || chr(31) || ${sql.ref(year)} IN (${sql.join([...taken.keys()])})) IS NOT TRUE`;

  // Each (school, year)'s parts as queried, in the query's order.
  const groups = new Map<string, { school: string | null; year: string | null; parts: Part[] }>();
  await encodeQueryParts([compile(o.query(kept))], o.columns, (p) => {
    if (p.keys.length !== keyColumns.length) throw new Error(`${o.name}: the query gives ${p.keys.length} key columns before its columns, not ${keyColumns.length} (${keyColumns.join(', ')})`);
    const key = Object.fromEntries(keyColumns.map((c, i) => [c, p.keys[i] ?? null]));
    const [school, year] = [key.school_id, key.academic_year];
    if ((school !== null && typeof school !== 'string') || (year !== null && typeof year !== 'string')) throw new Error(`${o.name}: school_id and academic_year must be text`);
    const id = JSON.stringify([school, year]);
    const group = groups.get(id) ?? { school, year, parts: [] };
    groups.set(id, group);
    group.parts.push({ key, data: p.data, rows: p.rows });
  });
  // With parts taken, every (school, year) in the order the query would have given them: DuckDB's
  // own order of the pairs (its collation, NULLs last), so the index is a clean build's.
  let order = [...groups.values()];
  if (taken.size > 0) {
    const all = [...taken.values(), ...order];
    const text = (v: string | null) => (v === null ? 'NULL::VARCHAR' : `'${v.replace(/'/g, "''")}'::VARCHAR`);
    const sorted = await queryMart(`SELECT i FROM (VALUES ${all.map((g, i) => `(${i}, ${text(g.school)}, ${text(g.year)})`).join(', ')}) t(i, s, y) ORDER BY s, y`);
    order = sorted.map((r) => all[Number(r.i)]);
  }

  const writer = new PartsWriter(o.columns, o.keys);
  const next: State = { version: STATE_VERSION, code, run, models, parts: 0, reused: 0, years: {}, stamps: {} };
  for (const group of order) {
    const recorded: RecordedPart[] = [];
    const reused = group.school !== null && group.year !== null && taken.has(pairOf(group.school, group.year));
    for (const part of group.parts) {
      const { file, sha256 } = writer.addEncodedPart(part.key, part.data, part.rows);
      recorded.push({ key: part.key, rows: part.rows, file, sha256 });
    }
    next.parts += group.parts.length;
    if (reused) next.reused += group.parts.length;
    const inputs = group.school !== null && group.year !== null ? digests?.get(group.school)?.get(group.year) : undefined;
    // Recorded where it can be taken next time: its inputs known, its keys plain JSON values.
    const plain = recorded.every((r) => Object.values(r.key).every((v) => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0))));
    if (inputs !== undefined && plain) (next.years[group.school as string] ??= {})[group.year as string] = { inputs, parts: recorded };
  }
  next.stamps = writer.stamps();
  if (building) await emitBuildState(`${o.name}.json`, JSON.stringify(next));
  return writer.members();
}
