import { inputTableChangesSince, lastRunId, rowChangesSince, type RowChangesSince, type WeekExtent } from '../warehouse/row-changes-log.ts';
import { withMartConnection } from './mart-export.ts';
import { blockEnd, LATEST_MONTH, termEnd, TERMS } from './timeline-parts.ts';

/**
 * What the model runs since a previous build changed in what a view is built from, by week, from
 * the runner's log (src/warehouse/row-changes-log.ts), for a rebuild that takes the parts of the weeks
 * no run has changed since (reports/data/pupil-detail.tar.ts, the latest year's terms):
 *
 *   const run = await lastModelRun();                                    // record it with the build
 *   const since = await inputChangesSince(previousRun, 'mart_pupil_timeline');
 *   const terms = termsUnchanged('2025/26', since?.extent.get('URN1')?.get('2025/26'));   // e.g. [1, 2]
 *
 * The view's rows are taken to depend, week by week, on its inputs' rows of the same week: the
 * caller's to know of its view (mart_pupil_timeline's are, but for negative_points_year, which
 * the pupil timelines leave out).
 */

/** The id of the warehouse's last model run; null when none is logged. */
export function lastModelRun(): Promise<string | null> {
  return withMartConnection((c) => lastRunId(c));
}

/**
 * Where the runs after `run` changed any model `model` reads, but those in `except` (inputs the
 * caller judges apart: the timelines' pupil directory): null when that is not known (no run
 * recorded, a run not in this warehouse's log, inputs not logged). A view among the inputs is
 * read through to the tables it reads (src/warehouse/row-changes-log.ts, inputTableChangesSince).
 */
export function inputChangesSince(run: string | null, model: string, except: readonly string[] = []): Promise<RowChangesSince | null> {
  if (run === null) return Promise.resolve(null);
  return withMartConnection((c) => inputTableChangesSince(c, run, model, except));
}

/**
 * `since` with the changes `more` added (school → academic year → the first day whose rows may
 * differ, null: any row): per (school, year), the earlier of the two.
 */
export function withChanges(since: RowChangesSince, more: WeekExtent): RowChangesSince {
  const extent: WeekExtent = new Map([...since.extent].map(([school, years]) => [school, new Map(years)]));
  for (const [school, years] of more) for (const [year, from] of years) addChange(extent, school, year, from);
  return { whole: since.whole, extent };
}

/** Adds to `extent` that a (school, academic year)'s rows may differ from day `from` on (null: any row), keeping the earlier day. */
export function addChange(extent: WeekExtent, school: string, year: string, from: string | null): void {
  const years = extent.get(school) ?? new Map<string, string | null>();
  extent.set(school, years);
  const before = years.get(year);
  years.set(year, before === null || from === null ? null : before === undefined || from < before ? from : before);
}

/**
 * Whether the runs a RowChangesSince covers left a (school, academic year) alone: the log known,
 * no model in it built whole, and no row of that year changed.
 */
export function untouchedSince(since: RowChangesSince | null, school: string, year: string): boolean {
  return since !== null && !since.whole && !(since.extent.get(school)?.has(year) ?? false);
}

/**
 * Where the runs after `run` changed the models `models` themselves (for a view of their rows
 * alone: the daily lists' months, src/page-data/month-parts-reuse.ts): null when that is not
 * known (no run recorded, a run not in this warehouse's log).
 */
export function modelChangesSince(run: string | null, models: readonly string[]): Promise<RowChangesSince | null> {
  if (run === null) return Promise.resolve(null);
  return withMartConnection((c) => rowChangesSince(c, run, models));
}

/**
 * The blocks of `year` (TERMS: its terms and its latest month) whose rows no run changed, given
 * where the runs changed that year: `undefined` (nowhere: every block), null (any row: none) or
 * the Monday from which rows may differ (the blocks that end before it), and the first day of the
 * year's latest month now (`month`) and in the previous build (`before`; null: no such block). A
 * block is the same only where its days are: when the latest month moved, a term holds the same
 * rows only if it ends before both months start, and the month's block is not the same.
 */
export function termsUnchanged(year: string, from: string | null | undefined, month: string | null = null, before: string | null = month): number[] {
  if (from === null) return [];
  const moved = month !== before;
  return TERMS.filter((term) => {
    // No latest month, then or now: its block is empty in both.
    if (term === LATEST_MONTH && month === null && before === null) return true;
    if (moved && (term === LATEST_MONTH || [month, before].some((m) => m !== null && m <= termEnd(year, term)))) return false;
    return from === undefined || blockEnd(year, term, month) < from;
  });
}
