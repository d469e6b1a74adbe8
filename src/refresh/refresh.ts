/**
 * The weekly routine in one call (`pastoral refresh`): import what is new in the inbox (one
 * transaction, files imported before skipped by checksum), rebuild the models, rebuild the site
 * into a new folder and swap it in, print the termly PDF if asked, and say what changed since the
 * last refresh. The summary is kept in raw.refresh_log and shown on the home page.
 *
 * A failing step leaves the last good site where it was: the site is built beside it and only
 * renamed into place once the build has succeeded.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ingest, type ImportReport, type IngestOptions, type SkippedFile, type StoppedFile } from '../../data-loaders/ingest.ts';
import type { FileReport } from '../../data-loaders/load-file.ts';
import { RECORD_TYPES } from '../../data-loaders/contract.ts';
import { ensureRawSchema } from '../../data-loaders/raw-schema.ts';
import { runDescription, runModels, type ModelRunReport } from '../models/run-models.ts';
import { storageVersionOf } from '../warehouse/storage-format.ts';
import { literal, queryRows, withWarehouse } from '../warehouse/warehouse.ts';
import { headline, localStamp, thousands, TYPE_LABEL, type RefreshSummary, type TypeChange } from '../page-data/refresh-summary.ts';

export { headline, localStamp, type RefreshSummary };

export interface RefreshOptions {
  inbox: string;
  db: string;
  /** Where the site lives (replaced only after a successful build). */
  out: string;
  /** Print the termly report of this term (per school) once the site is built. */
  pdfTerm?: string;
  /** Folder for the PDFs (default: pdf/ beside the warehouse). */
  pdfDir?: string;
  windows?: IngestOptions['windows'];
  allowRemovals?: boolean;
  /** Rebuild every model whole (default: only what the import changed; the marts are the same). */
  fullModels?: boolean;
  /** Builds the site (default: src/site/build-site.ts). */
  build?: (db: string, outDir: string) => Promise<void>;
  /** Prints one PDF from a built site (default: src/pdf/termly-pdf.ts through Chromium). */
  printPdf?: (dist: string, pdf: string, term: string, school: string) => Promise<void>;
  /** Progress, one line at a time. */
  log?: (line: string) => void;
  onFile?: (report: FileReport | StoppedFile) => void;
  onSkip?: (file: SkippedFile) => void;
  /** Called once the import has committed (before the models), with its report. */
  onImported?: (report: ImportReport) => void;
  /** For tests: the clock. */
  now?: () => Date;
}

/** Which step failed (the last good site is still in place), with the exit code the CLI gives. */
export class RefreshStepError extends Error {
  constructor(
    readonly step: 'import' | 'models' | 'data tests' | 'build' | 'pdf',
    message: string,
    readonly summary: RefreshSummary | null,
  ) {
    super(message);
    this.name = 'RefreshStepError';
  }
}

export interface RefreshResult {
  refreshId: string;
  /** False when nothing was new and the site was already built from the data. */
  changed: boolean;
  summary: RefreshSummary;
  import: ImportReport;
  models: ModelRunReport | null;
  /** Pupils on the watchlist who were not at the last completed refresh (ids and year groups, for the printed summary only). */
  newcomers: Array<{ school_id: string; student_id: string; year_group: number }>;
  /** The warehouse file's storage format as DuckDB tags it (storageVersionOf), read in the import's session. */
  storageVersion: string | null;
}

/** The summary printed at the end of a refresh (pupil ids of the watchlist's newcomers, never names). */
export function summaryText(summary: RefreshSummary, newOnWatchlist: ReadonlyArray<{ school_id: string; student_id: string; year_group: number }> = []): string {
  const lines = [headline(summary), '', `Since the last refresh (${summary.filesImported} file(s) imported, ${summary.filesSkipped} skipped as imported before):`];
  const width = Math.max(...summary.changes.map((c) => (TYPE_LABEL[c.type] ?? c.type).length), 10);
  if (summary.changes.length === 0) lines.push('  nothing new');
  for (const c of summary.changes) {
    lines.push(
      `  ${(TYPE_LABEL[c.type] ?? c.type).padEnd(width)}  new ${thousands(c.new).padStart(7)}  corrected ${thousands(c.corrected).padStart(5)}  removed ${thousands(c.removed).padStart(5)}` +
        (c.rejected > 0 ? `  (rejected ${thousands(c.rejected)})` : ''),
    );
  }
  for (const w of summary.watchlist) {
    const ids = newOnWatchlist.filter((p) => p.school_id === w.schoolId).map((p) => `${p.student_id} (Y${p.year_group})`);
    lines.push(`Newly on the watchlist (${w.schoolId}, week of ${w.week}): ${w.newPupils}${ids.length > 0 ? `: ${ids.join(', ')}` : ''}`);
  }
  const t = summary.tests;
  lines.push(`Data tests: ${t.passed} of ${t.run} passed${t.failed.length > 0 ? `; failed: ${t.failed.join(', ')}` : ''}`);
  lines.push(`Site: ${summary.site ?? 'not rebuilt (the last good site is unchanged)'}`);
  for (const pdf of summary.pdfs) lines.push(`Termly PDF: ${pdf}`);
  return lines.join('\n');
}

function newRefreshId(now: Date): string {
  return `${localStamp(now).replace(/[-: ]/g, '').slice(0, 8)}T${localStamp(now).replace(/[-: ]/g, '').slice(8)}-${Math.random().toString(16).slice(2, 8)}`;
}

/** Imports not yet covered by a refresh that completed: what "since the last refresh" means. */
async function pendingImports(connection: DuckDBConnection): Promise<string[]> {
  const rows = await queryRows<{ import_id: string }>(
    connection,
    `SELECT DISTINCT import_id FROM raw.import_log
     WHERE import_id NOT IN (SELECT unnest(import_ids) FROM raw.refresh_log WHERE status = 'ok') ORDER BY 1`,
  );
  return rows.map((r) => r.import_id);
}

async function changesOf(connection: DuckDBConnection, importIds: readonly string[]): Promise<TypeChange[]> {
  if (importIds.length === 0) return [];
  const rows = await queryRows<{ type: string; new: number; corrected: number; removed: number; rejected: number }>(
    connection,
    `SELECT record_type AS type, sum(rows_new)::INTEGER AS new, sum(rows_changed)::INTEGER AS corrected,
            sum(coalesce(rows_removed, 0))::INTEGER AS removed, sum(rows_rejected)::INTEGER AS rejected
     FROM raw.import_log WHERE import_id IN (${importIds.map(literal).join(', ')}) GROUP BY record_type`,
  );
  return rows.sort((a, b) => RECORD_TYPES.indexOf(a.type as never) - RECORD_TYPES.indexOf(b.type as never));
}

async function tableExists(connection: DuckDBConnection, schema: string, table: string): Promise<boolean> {
  const rows = await queryRows(connection, `SELECT 1 FROM information_schema.tables WHERE table_schema = ${literal(schema)} AND table_name = ${literal(table)}`);
  return rows.length > 0;
}

async function dataUpTo(connection: DuckDBConnection): Promise<string | null> {
  const [row] = await queryRows<{ d: string | null }>(
    connection,
    `SELECT strftime(max(d), '%Y-%m-%d') AS d FROM (SELECT max(date) AS d FROM raw.behaviour UNION ALL SELECT max(date) FROM raw.attendance)`,
  );
  return row?.d ?? null;
}

interface Listed {
  school_id: string;
  week: string;
  student_id: string;
  year_group: number;
  is_new: boolean;
}

/** The watchlist in its latest week, per school. */
export async function latestWatchlist(connection: DuckDBConnection): Promise<Listed[]> {
  if (!(await tableExists(connection, 'main', 'mart_watchlist'))) return [];
  return queryRows(
    connection,
    `SELECT w.school_id, strftime(w.as_of_week, '%Y-%m-%d') AS week, w.student_id, w.year_group::INTEGER AS year_group, w.is_new
     FROM mart_watchlist w JOIN (SELECT school_id, max(as_of_week) AS last_week FROM mart_watchlist GROUP BY ALL) l
       ON l.school_id = w.school_id AND l.last_week = w.as_of_week
     ORDER BY w.school_id, w.year_group, w.student_id`,
  );
}

const listedKey = (p: { school_id: string; student_id: string }) => `${p.school_id}/${p.student_id}`;

/**
 * Pupils on the watchlist now who were not on it at the last completed refresh; with no
 * refresh before, those the watchlist itself marks new in its latest week.
 */
export async function watchlistNewcomers(connection: DuckDBConnection, listed: readonly Listed[]): Promise<Listed[]> {
  const [previous] = await queryRows<{ watchlist: string[] | null }>(
    connection,
    "SELECT watchlist FROM raw.refresh_log WHERE status = 'ok' AND watchlist IS NOT NULL ORDER BY started_at DESC, refresh_id DESC LIMIT 1",
  );
  if (!previous?.watchlist) return listed.filter((p) => p.is_new);
  const before = new Set(previous.watchlist);
  return listed.filter((p) => !before.has(listedKey(p)));
}

async function writeRefreshLog(
  connection: DuckDBConnection,
  row: { refreshId: string; startedAt: string; inbox: string; status: string; importIds: readonly string[]; summary: RefreshSummary; finishedAt?: string; watchlist?: readonly string[] },
): Promise<void> {
  const s = row.summary;
  await connection.run(`DELETE FROM raw.refresh_log WHERE refresh_id = ${literal(row.refreshId)}`);
  await connection.run(`INSERT INTO raw.refresh_log (refresh_id, started_at, finished_at, inbox, status, import_ids, data_up_to, summary, site, pdfs, watchlist) VALUES (
    ${literal(row.refreshId)}, TIMESTAMP ${literal(row.startedAt)}, ${row.finishedAt ? `TIMESTAMP ${literal(row.finishedAt)}` : 'NULL'},
    ${literal(path.resolve(row.inbox))}, ${literal(row.status)}, [${row.importIds.map(literal).join(', ')}]::VARCHAR[],
    ${s.dataUpTo ? `DATE ${literal(s.dataUpTo)}` : 'NULL'}, ${literal(JSON.stringify(s))}::JSON,
    ${s.site ? literal(s.site) : 'NULL'}, [${s.pdfs.map(literal).join(', ')}]::VARCHAR[],
    ${row.watchlist ? `[${row.watchlist.map(literal).join(', ')}]::VARCHAR[]` : 'NULL'})`);
}

/** Replaces `out` by the freshly built `fresh` (renames only: the old site stays until the new one is complete). */
function swapInto(fresh: string, out: string, refreshId: string): void {
  const previous = `${out}.previous-${refreshId}`;
  const hadSite = existsSync(out);
  if (hadSite) renameSync(out, previous);
  try {
    renameSync(fresh, out);
  } catch (error) {
    if (hadSite) renameSync(previous, out);
    throw error;
  }
  if (hadSite) rmSync(previous, { recursive: true, force: true });
}

async function defaultBuild(db: string, outDir: string): Promise<void> {
  const { buildSite } = await import('../site/build-site.ts');
  await buildSite({ dbPath: db, outDir, quiet: true });
}

async function defaultPrintPdf(dist: string, pdf: string, term: string, school: string): Promise<void> {
  const { findChromium, chromiumMissingMessage } = await import('../pdf/chromium.ts');
  const { printTermlyPdf } = await import('../pdf/termly-pdf.ts');
  const chromiumPath = findChromium();
  if (chromiumPath === null) throw new Error(chromiumMissingMessage());
  await printTermlyPdf({ dist, pdf, view: { term, school }, chromiumPath });
}

/** One refresh under way: its options with the defaults filled in, its id and start, the clock. */
interface RefreshRun {
  options: RefreshOptions;
  refreshId: string;
  startedAt: string;
  /** The site folder, resolved. */
  out: string;
  now: () => Date;
  log: (line: string) => void;
}

/** After import and models: either nothing was new, or the summary to build the site with. */
type Prepared =
  | { upToDate: true; report: ImportReport }
  | { upToDate: false; report: ImportReport; pending: string[]; models: ModelRunReport; summary: RefreshSummary; watch: Listed[]; watchlist: string[] };

function emptySummary(run: RefreshRun): RefreshSummary {
  return {
    refreshedAt: localStamp(run.now()),
    dataUpTo: null,
    filesImported: 0,
    filesSkipped: 0,
    changes: [],
    watchlist: [],
    tests: { run: 0, passed: 0, failed: [] },
    site: null,
    pdfs: [],
  };
}

/** Logs this refresh as ended with `status` (a failure or 'ok'), now. */
function logFinished(connection: DuckDBConnection, run: RefreshRun, status: string, importIds: readonly string[], summary: RefreshSummary, watchlist?: readonly string[]): Promise<void> {
  return writeRefreshLog(connection, { refreshId: run.refreshId, startedAt: run.startedAt, inbox: run.options.inbox, status, importIds, summary, finishedAt: localStamp(run.now()), watchlist });
}

/** Step 1: the inbox's new files, in one transaction; a failure is logged and rolls back. */
async function importNewExports(connection: DuckDBConnection, run: RefreshRun): Promise<ImportReport> {
  const { options } = run;
  try {
    return await ingest(connection, [options.inbox], {
      skipImported: true,
      rejectsDir: path.join(path.dirname(path.resolve(options.db)), 'rejects'),
      windows: options.windows,
      allowRemovals: options.allowRemovals,
      onFileDone: options.onFile,
      onSkip: options.onSkip,
    });
  } catch (error) {
    await logFinished(connection, run, 'failed: import', [], emptySummary(run));
    throw new RefreshStepError('import', (error as Error).message, null);
  }
}

/** Nothing imported since the last refresh, which completed, and its site is still there. */
async function isUpToDate(connection: DuckDBConnection, pending: readonly string[], out: string): Promise<boolean> {
  const [last] = await queryRows<{ status: string }>(connection, 'SELECT status FROM raw.refresh_log ORDER BY started_at DESC, refresh_id DESC LIMIT 1');
  return pending.length === 0 && last?.status === 'ok' && existsSync(out);
}

/** Step 2: the models; a failure is logged with what the import changed. */
async function buildModels(connection: DuckDBConnection, run: RefreshRun, report: ImportReport, pending: readonly string[]): Promise<ModelRunReport> {
  try {
    return await runModels(connection, { full: run.options.fullModels ?? false });
  } catch (error) {
    const summary = { ...emptySummary(run), filesImported: report.files.length, filesSkipped: report.skipped.length, changes: await changesOf(connection, pending) };
    await logFinished(connection, run, 'failed: models', pending, summary);
    throw new RefreshStepError('models', (error as Error).message, summary);
  }
}

/** Per school: the watchlist's latest week and how many pupils are new on it. */
function watchlistBySchool(listed: readonly Listed[], newcomers: readonly Listed[]): RefreshSummary['watchlist'] {
  const weeks = new Map<string, { week: string; n: number }>();
  for (const w of listed) weeks.set(w.school_id, { week: w.week, n: 0 });
  for (const w of newcomers) weeks.set(w.school_id, { week: w.week, n: (weeks.get(w.school_id)?.n ?? 0) + 1 });
  return [...weeks].map(([schoolId, v]) => ({ schoolId, week: v.week, newPupils: v.n }));
}

/** Steps 1–2 in one session on the warehouse (closed before the site build reads it). */
async function importAndBuildModels(connection: DuckDBConnection, run: RefreshRun): Promise<Prepared> {
  await ensureRawSchema(connection);
  const report = await importNewExports(connection, run);
  run.options.onImported?.(report);
  const pending = await pendingImports(connection);
  if (await isUpToDate(connection, pending, run.out)) return { upToDate: true, report };

  run.log('== Building the models');
  const models = await buildModels(connection, run, report, pending);
  run.log(runDescription(models));
  const listed = await latestWatchlist(connection);
  const watch = await watchlistNewcomers(connection, listed);
  const summary: RefreshSummary = {
    ...emptySummary(run),
    dataUpTo: await dataUpTo(connection),
    filesImported: report.files.length,
    filesSkipped: report.skipped.length,
    changes: await changesOf(connection, pending),
    watchlist: watchlistBySchool(listed, watch),
    tests: { run: models.testsRun, passed: models.testsRun - models.failures.length, failed: models.failures.map((f) => f.test) },
  };
  if (models.failures.length > 0) {
    await logFinished(connection, run, 'failed: data tests', pending, summary);
    throw new RefreshStepError('data tests', `data test${models.failures.length > 1 ? 's' : ''} failed: ${summary.tests.failed.join(', ')}`, summary);
  }
  // Written before the build, so the home page built next shows this refresh.
  summary.site = run.out;
  const watchlist = listed.map(listedKey);
  await writeRefreshLog(connection, { refreshId: run.refreshId, startedAt: run.startedAt, inbox: run.options.inbox, status: 'building', importIds: pending, summary, watchlist });
  return { upToDate: false, report, pending, models, summary, watch, watchlist };
}

/** Step 3: the site, built beside the last good one and swapped in only when complete. */
async function buildSiteInPlace(run: RefreshRun, summary: RefreshSummary, finish: (status: string) => Promise<void>): Promise<void> {
  run.log('== Building the dashboards');
  const fresh = `${run.out}.building-${run.refreshId}`;
  try {
    await (run.options.build ?? defaultBuild)(run.options.db, fresh);
    swapInto(fresh, run.out, run.refreshId);
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    summary.site = null;
    await finish('failed: build');
    throw new RefreshStepError('build', `dashboard build failed: ${(error as Error).message.split('\n').slice(-3).join(' ')}`, summary);
  }
}

/** Step 4: the termly PDF of `term`, one per school, from the site just built (added to the summary). */
async function printTermlyPdfs(run: RefreshRun, term: string, summary: RefreshSummary, finish: (status: string) => Promise<void>): Promise<void> {
  const { options } = run;
  run.log('== Printing the termly report');
  const pdfDir = path.resolve(options.pdfDir ?? path.join(path.dirname(path.resolve(options.db)), 'pdf'));
  const schools = await withWarehouse(options.db, (c) => queryRows<{ school_id: string }>(c, 'SELECT DISTINCT school_id FROM raw.students ORDER BY 1'));
  try {
    for (const { school_id } of schools) {
      const safe = `${term}-${school_id}`.replace(/[^A-Za-z0-9_-]+/g, '-');
      const pdf = path.join(pdfDir, `termly-${safe}.pdf`);
      await (options.printPdf ?? defaultPrintPdf)(run.out, pdf, term, school_id);
      summary.pdfs.push(pdf);
    }
  } catch (error) {
    await finish('failed: pdf');
    throw new RefreshStepError('pdf', `printing the termly report failed: ${(error as Error).message.split('\n')[0]}`, summary);
  }
}

/**
 * Runs the routine. Throws RefreshStepError when a step fails (the import rolls back; a failed
 * build or PDF leaves the last good site in place); the refresh is logged either way.
 */
export async function runRefresh(options: RefreshOptions): Promise<RefreshResult> {
  const now = options.now ?? (() => new Date());
  const run: RefreshRun = { options, now, log: options.log ?? (() => {}), startedAt: localStamp(now()), refreshId: newRefreshId(now()), out: path.resolve(options.out) };

  run.log('== Importing new exports');
  const { first, storageVersion } = await withWarehouse(options.db, async (connection) => ({
    first: await importAndBuildModels(connection, run),
    storageVersion: await storageVersionOf(connection),
  }));
  if (first.upToDate) {
    const summary = { ...emptySummary(run), filesSkipped: first.report.skipped.length, site: run.out };
    return { refreshId: run.refreshId, changed: false, summary, import: first.report, models: null, newcomers: [], storageVersion };
  }
  const { summary } = first;
  const finish = (status: string) => withWarehouse(options.db, (connection) => logFinished(connection, run, status, first.pending, summary, first.watchlist));

  await buildSiteInPlace(run, summary, finish);
  if (options.pdfTerm) await printTermlyPdfs(run, options.pdfTerm, summary, finish);
  await finish('ok');
  return { refreshId: run.refreshId, changed: true, summary, import: first.report, models: first.models, newcomers: first.watch, storageVersion };
}
