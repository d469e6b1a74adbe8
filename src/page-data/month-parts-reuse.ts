import { loaderAudience } from './audience.ts';
import { codeFingerprint } from './code-fingerprint.ts';
import { inBatches } from './in-batches.ts';
import { compile, emitBuildState, exportingToCache, queryMart, type FileBytes, type PageMember } from './mart-export.ts';
import { PartsWriter } from './page-parts.ts';
import { isObject, previousBuildState, previousPartFile, recordedStamps } from './previous-build.ts';
import { encodeQueryParts } from './query-parts.ts';
import { lastModelRun, modelChangesSince } from './week-changes.ts';
import { literal } from '../warehouse/warehouse.ts';

/**
 * A loader's parts cut by school and calendar month, over the 12 months from `from` (the daily
 * lists: reports/data/daily-lists.tar.ts), that a staff site's rebuild after a week's refresh takes,
 * for each (school, month) no model run since the previous build has changed in the marts it is
 * read from, from the site it replaces, querying only the other months:
 *
 *   await monthPartitionMembers({ name: 'daily-lists', loader: import.meta.url, marts, columns, from,
 *     query: (kept) => `SELECT school_id, 'm' || strftime(date, '%m'), … FROM … WHERE ${kept('school_id', 'date')} ORDER BY …` });
 *
 * The query gives the key values first (the school, then the month as `m01` … `m12`), then
 * `columns`, ordered by school, then by date (a month's rows together, the months in order), then
 * as each part's rows should be; `kept(schoolColumn, dateColumn)` among its conditions (on each
 * branch of a union): true but for the (school, month)s taken. The parts, and the index of them,
 * are those streamedPartitionMembers gives for the same query (src/page-data/page-parts.ts).
 *
 * A month's rows are taken to depend on the marts' rows of its own dates alone (the lists of a
 * day are that day's rows). The model runner's log (src/warehouse/row-changes-log.ts) says, per
 * (school, academic year), from which Monday each mart's rows may differ since the run the
 * previous build read: a month ending before that is unchanged; a year rewritten whole, a mart
 * built whole or a run not in the log takes nothing, nor does a month whose rows are not as many as
 * it was recorded with (`rows`). The state (`.pastoral-build/<name>.json`:
 * per school and month its part's file, rows and SHA-256, no pupil's data) and the previous
 * site's files, checked (src/page-data/previous-build.ts), say what is taken; anything missing,
 * damaged or from other code (src/page-data/code-fingerprint.ts) is queried. Only in a staff
 * site's build (`pastoral build`), as the timelines' reuse (src/page-data/timeline-reuse.ts).
 */
export interface MonthPartitionOptions {
  /** The loader's name: its parts are published in `_file/data/<name>/`, its state is `<name>.json`. */
  name: string;
  /** The loader module's URL (import.meta.url), for the code's fingerprint. */
  loader: string;
  /** The marts the query reads, each a model whose changes the runner logs. */
  marts: readonly string[];
  columns: readonly string[];
  /** The first day of the first of the 12 months published (`YYYY-MM-01`). */
  from: string;
  /**
   * How many rows the query gives each (school, month) now, keyed `school + U+001F + YYYY-MM` (none:
   * 0): a month is taken only with as many rows as it was recorded with, whatever the log says (a
   * school gone from the warehouse has none).
   */
  rows: ReadonlyMap<string, number>;
  query: (kept: KeptMonths) => string;
}

/** The condition a loader's query carries: true but for the (school, month)s taken from the previous build. */
export type KeptMonths = (schoolColumn: string, dateColumn: string) => string;

const STATE_VERSION = 1;

/** How many of the previous build's part files are checked at once (they wait on the disk). */
const READS_AT_ONCE = 16;

interface RecordedPart {
  /** The part's key: `m01` … `m12`. */
  part: string;
  rows: number;
  file: string;
  sha256: string;
}

interface State {
  version: number;
  code: string;
  /** The warehouse's last model run as this build read it (src/models/row-changes.ts), when logged. */
  run: string | null;
  /** Parts this build wrote, and how many of them it took from the previous build. */
  parts: number;
  reused: number;
  /** By school, then month (`YYYY-MM`). */
  schools: Record<string, Record<string, RecordedPart>>;
  /** By file: the size and time of each part file as this build took it (FileBytes.stamp). */
  stamps: Record<string, string>;
}

interface Part {
  school: string;
  /** `YYYY-MM`. */
  month: string;
  part: string;
  data: Uint8Array | FileBytes;
  rows: number;
}

/** The 12 months (`YYYY-MM`) from `from` (`YYYY-MM-01`), by part key (`m01` … `m12`). */
export function monthsFrom(from: string): Map<string, string> {
  const match = /^(\d{4})-(\d{2})-01$/.exec(from);
  if (!match) throw new Error(`the months published start on a first of the month (YYYY-MM-01), not "${from}"`);
  const months = new Map<string, string>();
  for (let i = 0; i < 12; i++) {
    const index = Number(match[1]) * 12 + Number(match[2]) - 1 + i;
    const month = `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
    months.set(`m${month.slice(5)}`, month);
  }
  return months;
}

/** The academic year (`2025/26`, as the models name it) a month (`YYYY-MM`) lies in: September starts it. */
export function academicYearOfMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  const start = m >= 9 ? year : year - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/**
 * Whether a month's rows are unchanged, given from which Monday the runs changed its school's
 * year: `undefined` (nowhere: unchanged), null (any row: changed), or a date after the month's
 * last day.
 */
export function monthUnchanged(month: string, changedFrom: string | null | undefined): boolean {
  if (changedFrom === undefined) return true;
  if (changedFrom === null) return false;
  return `${month}-31` < changedFrom;
}

export async function monthPartitionMembers(o: MonthPartitionOptions): Promise<PageMember[]> {
  const months = monthsFrom(o.from);
  const building = exportingToCache() && loaderAudience() === 'staff';
  const code = building ? await codeFingerprint(o.loader, o.marts, JSON.stringify({ v: STATE_VERSION, columns: o.columns })) : '';
  const run = building ? await lastModelRun() : null;
  const previous = building
    ? await previousBuildState<State>(process.env.PASTORAL_PREVIOUS_SITE, o.name, (s) => s.version === STATE_VERSION && s.code === code && typeof s.run === 'string' && isObject(s.schools))
    : null;
  const since = previous ? await modelChangesSince(previous.state.run, o.marts) : null;

  // The previous build's parts of each (school, month) still published that no run since changed, every file intact.
  const taken: Part[] = [];
  if (previous && since && !since.whole) {
    const stamps = recordedStamps(previous.state.stamps);
    const published = new Set(months.values());
    const candidates = Object.entries(previous.state.schools).flatMap(([school, recorded]) =>
      Object.entries(recorded)
        .filter(([month, r]) => published.has(month) && months.get(r.part) === month && (o.rows.get(`${school}\u001f${month}`) ?? 0) === r.rows)
        .filter(([month]) => monthUnchanged(month, since.extent.get(school)?.get(academicYearOfMonth(month))))
        .map(([month, r]) => ({ school, month, r })),
    );
    const files = await inBatches(candidates, READS_AT_ONCE, ({ r }) => previousPartFile(previous.partsDir, r, stamps[r.file]));
    candidates.forEach(({ school, month, r }, i) => {
      const data = files[i];
      if (data) taken.push({ school, month, part: r.part, data, rows: r.rows });
    });
  }
  const kept: KeptMonths = (school, date) =>
    taken.length === 0 ? 'TRUE' : `((${school} || chr(31) || strftime(${date}, '%Y-%m')) IN (${taken.map((p) => literal(`${p.school}\u001f${p.month}`)).join(', ')})) IS NOT TRUE`;

  const queried: Part[] = [];
  await encodeQueryParts([compile(o.query(kept))], o.columns, (p) => {
    const [school, part] = p.keys;
    const month = months.get(String(part));
    if (typeof school !== 'string' || month === undefined) throw new Error(`${o.name}: a part is keyed by its school and month (m01 … m12), not ${JSON.stringify(p.keys)}`);
    queried.push({ school, month, part: String(part), data: p.data, rows: p.rows });
  });
  // With parts taken, every part in the order the query would have given them: by school in
  // DuckDB's own order of the text (its collation), then by month.
  let order = queried;
  if (taken.length > 0) {
    const all = [...taken, ...queried];
    const sorted = await queryMart(`SELECT i FROM (VALUES ${all.map((p, i) => `(${i}, ${literal(p.school)}::VARCHAR, ${literal(p.month)})`).join(', ')}) t(i, s, m) ORDER BY s, m`);
    order = sorted.map((r) => all[Number(r.i)]);
  }

  const writer = new PartsWriter(o.columns, ['school_id', 'month']);
  const next: State = { version: STATE_VERSION, code, run, parts: 0, reused: taken.length, schools: {}, stamps: {} };
  for (const p of order) {
    const { file, sha256 } = writer.addEncodedPart({ school_id: p.school, month: p.part }, p.data, p.rows);
    (next.schools[p.school] ??= {})[p.month] = { part: p.part, rows: p.rows, file, sha256 };
    next.parts += 1;
  }
  next.stamps = writer.stamps();
  if (building) await emitBuildState(`${o.name}.json`, JSON.stringify(next));
  return writer.members();
}
