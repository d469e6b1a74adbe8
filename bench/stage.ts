/**
 * One stage of the pipeline benchmark, run in its own process so its peak memory is its own
 * (process.resourceUsage().maxRSS, which Node reports on Windows too). Prints one line,
 * `STAGE {json}`, with elapsed and CPU seconds, rows and peak RSS. Started by stage.mjs.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { ingest } from '../data-loaders/ingest.ts';
import { cachedDemo } from '../src/demo/cache.ts';
import { copyExportsSince, lastWeekStart, schoolFolders } from '../src/demo/week-split.ts';
import { compareWarehouses } from '../src/models/compare-warehouses.ts';
import { readModels } from '../src/models/model-files.ts';
import { runModels, type BuildMode } from '../src/models/run-models.ts';
import { buildSite } from '../src/site/build-site.ts';
import type { PageDataSummary } from '../src/site/page-data-export.ts';
import { BUILD_STATE_DIR } from '../src/page-data/build-state.ts';
import { findChromium } from '../src/pdf/chromium.ts';
import { measurePageDownloads, sitePages } from '../src/site/page-downloads.ts';
import { rawRowsTable } from '../src/warehouse/raw-rows.ts';
import { ident, literal, openWarehouse, queryRows } from '../src/warehouse/warehouse.ts';
import { openPlainWarehouse } from './plain-warehouse.ts';

export type StageName = 'generate' | 'plain' | 'ingest' | 'models' | 'site' | 'weekly-setup' | 'weekly' | 'weekly-pupils';

export interface StageRequest {
  stage: StageName;
  /** generate: demo options; others: the export folder and the warehouse file. */
  demo?: { pupils: number; years: number; schools: number; seed: number };
  cacheDir?: string;
  exportsDir?: string;
  db?: string;
  memoryLimit?: string;
  /** weekly: the copy of `db` it works on, and the folder for the week's exports. */
  weeklyDb?: string;
  weekInbox?: string;
  /**
   * site: the throwaway folder the staff site of `db` is built into (removed after). weekly: with
   * it, the week-ago warehouse's site is built there first (not timed), and after the week's
   * models the site is rebuilt over it (timed apart: WeeklyDetail.site), then removed.
   */
  siteDir?: string;
  /** weekly: what its set-up (the `weekly-setup` stage, run first in a process of its own) left. */
  week?: WeekSetUp;
  /**
   * weekly-setup, for the `weekly-pupils` stage: the week's pupils files record three changes in
   * each school (recordPupilChanges), as most weeks' exports of a real school do.
   */
  pupilChanges?: boolean;
}

/**
 * Three changes to each school's pupils in the week's exports (the `weekly-pupils` stage): the
 * first pupil on roll with no leaving date has their SEN status recorded (N to K, or K to N), the
 * second leaves on the Friday of the week, and a pupil joins on its Monday (a copy of the second's
 * row under a new id, with no record yet). The week-ago warehouse had none of them. Returns how
 * many schools' files were changed.
 */
export function recordPupilChanges(inbox: string, weekStart: string): number {
  const friday = new Date(`${weekStart}T00:00:00Z`);
  friday.setUTCDate(friday.getUTCDate() + 4);
  const leaving = friday.toISOString().slice(0, 10);
  let schools = 0;
  for (const school of schoolFolders(inbox)) {
    const file = path.join(school, 'students.csv');
    if (!existsSync(file)) continue;
    const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf-8'), { header: true, skipEmptyLines: true });
    const onRoll = parsed.data.filter((r) => !r.leaving_date);
    if (onRoll.length < 2) continue;
    const [sen, leaver] = onRoll;
    const joiner = { ...leaver, student_id: `${leaver.student_id}J`, upn: '', first_name: 'New', admission_date: weekStart };
    sen.sen = sen.sen === 'K' ? 'N' : 'K';
    leaver.leaving_date = leaving;
    writeFileSync(file, `${Papa.unparse([...parsed.data, joiner], { columns: parsed.meta.fields, newline: '\n' })}\n`);
    schools += 1;
  }
  return schools;
}

/** The week-ago warehouse the `weekly-setup` stage made: the week's first day and its rows in the inbox. */
export interface WeekSetUp {
  weekStart: string;
  weekRows: number;
}

/** What the site stage measured beyond its total: each phase of the build and each process's share. */
export interface SiteDetail {
  /** buildSite's phases in order (prepare, page data, framework, csp, swap), seconds each. */
  phases: Array<{ phase: string; seconds: number }>;
  /** The page-data loaders, slowest first, seconds and CPU seconds each (they run in two processes at once). */
  loaders: Array<{ name: string; seconds: number; cpuSeconds: number; files: number; bytes: number }>;
  /** Each process of the build: this one (buildSite itself), the page-data export's, Framework's. */
  processes: Array<{ name: string; cpuSeconds: number; peakRssBytes: number }>;
  /**
   * The largest page-data download of any page of the built site (src/site/page-downloads.ts),
   * measured after the build's figures are taken: as a page opens, and for any choice of school,
   * year, filter or pupil; or why it was not measured (no Chromium).
   */
  downloads: { open: { page: string; bytes: number }; worst: { page: string; bytes: number } } | { skipped: string };
}

/** What the weekly stage measured beyond its total: the import and the models apart, and its check. */
export interface WeeklyDetail {
  /** The Monday of the last school week: rows from it on are the week added. */
  weekStart: string;
  /** Rows in the week's exports (read by the import). */
  weekRows: number;
  importSeconds: number;
  importCpuSeconds: number;
  modelsSeconds: number;
  modelsCpuSeconds: number;
  /** How many models were updated by partition, built whole, left unchanged, or are views. */
  modes: Record<BuildMode, number>;
  touched: Record<string, string[]>;
  /** How many of the models updated by partition were updated from the first changed week on (`-- incremental weeks:`). */
  byWeek: number;
  /** The models that took the most CPU in the incremental run, with how each was brought up to date. */
  slowest: Array<{ name: string; mode: BuildMode | 'weeks'; cpuSeconds: number }>;
  /** The intervention-impact chain's models in the incremental run, CPU s each. */
  impactCpuSeconds: Record<string, number>;
  /**
   * CPU seconds of the incremental run per step of the runner (runModels' onStep: fingerprints,
   * plan, views, delete, insert, build, compare, count, commit, data tests…), summed over models.
   */
  runnerSteps: Record<string, number>;
  /** Models whose rows differ from the full build's (compared after the timing): should be 0. */
  differences: number;
  compared: number;
  /**
   * With `siteDir`: the staff site rebuilt after the week's models, over the week-ago build (the
   * pupil timelines' unchanged parts reused: src/page-data/timeline-reuse.ts), timed apart from
   * the import and models (not in the stage's seconds). CPU s of every process of the build.
   */
  site?: {
    seconds: number;
    cpuSeconds: number;
    processes: Array<{ name: string; cpuSeconds: number; peakRssBytes: number }>;
    timelineParts: number;
    reused: number;
    /** Whether Framework built the site, or the previous site was taken with the new data (src/site/data-only-build.ts). */
    framework: boolean;
    /** The page-data loaders, slowest first (as SiteDetail's). */
    loaders: SiteDetail['loaders'];
  };
}

export interface StageResult {
  stage: StageName;
  seconds: number;
  cpuSeconds: number;
  rows: number;
  peakRssBytes: number;
  /** generate: whether the cache already had these exports (nothing was generated). */
  cached?: boolean;
  dir?: string;
  failures?: number;
  weekly?: WeeklyDetail;
  site?: SiteDetail;
  /** weekly-setup: what the weekly stage starts from. */
  week?: WeekSetUp;
}

export function csvFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return csvFiles(p);
      return e.name.toLowerCase().endsWith('.csv') ? [p] : [];
    })
    .sort();
}

function freshDb(db: string): void {
  mkdirSync(path.dirname(db), { recursive: true });
  for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  rmSync(`${db}.tmp`, { recursive: true, force: true });
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * The warehouse as it stood a week ago (the `weekly-setup` stage, in a process of its own, so
 * the weekly stage's peak memory is the refresh's alone): a copy of the fully built one (`db`,
 * after the models stage) without the rows dated from the last school week on, its models
 * brought up to date, and with `siteDir` its staff site built. Not timed.
 */
async function weeklySetUp(request: StageRequest): Promise<WeekSetUp> {
  const source = request.db as string;
  const db = request.weeklyDb as string;
  const inbox = request.weekInbox as string;
  const exportsDir = request.exportsDir as string;
  freshDb(db);
  if (existsSync(`${source}.wal`)) throw new Error(`${source} has a write-ahead log: the models stage did not end cleanly`);
  copyFileSync(source, db);
  const weekStart = lastWeekStart(exportsDir);
  rmSync(inbox, { recursive: true, force: true });
  // A school's id is its folder's name: a single school's week goes into a folder of the same name.
  const single = schoolFolders(exportsDir)[0] === exportsDir;
  const { kept: weekRows } = copyExportsSince(exportsDir, single ? path.join(inbox, path.basename(exportsDir)) : inbox, weekStart);
  if (request.pupilChanges && recordPupilChanges(inbox, weekStart) === 0) throw new Error(`no pupils file to change in ${inbox}`);
  const warehouse = await openWarehouse(db, { memoryLimit: request.memoryLimit });
  try {
    const c = warehouse.connection;
    // A week ago: the same rows the week's exports hold leave the raw layer.
    const dated = await queryRows<{ table_name: string; column_name: string }>(
      c,
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'raw' AND column_name IN ('date', 'start_date')
         AND table_name NOT IN (SELECT table_name FROM information_schema.columns WHERE table_schema = 'raw' AND column_name = 'academic_year')
       ORDER BY table_name, column_name = 'start_date'`,
    );
    const seen = new Set<string>();
    await c.run('BEGIN TRANSACTION');
    for (const { table_name, column_name } of dated) {
      if (seen.has(table_name)) continue;
      seen.add(table_name);
      // raw.<type> is a view of the stored rows (src/warehouse/raw-rows.ts).
      await c.run(`DELETE FROM ${rawRowsTable(table_name)} WHERE ${ident(column_name)}::DATE >= DATE ${literal(weekStart)}`);
    }
    await c.run('COMMIT');
    await runModels(c);
    await c.run('CHECKPOINT');
  } finally {
    warehouse.close();
  }
  if (request.siteDir) {
    // The week-ago site, as last Monday's refresh left it.
    rmSync(request.siteDir, { recursive: true, force: true });
    await buildSite({ dbPath: db, audience: 'staff', outDir: request.siteDir, quiet: true });
  }
  return { weekStart, weekRows };
}

/**
 * Timed, on the week-ago warehouse the `weekly-setup` stage left: the week's exports imported
 * (every dated file holding that week's rows, the undated ones whole, as a school exports them)
 * and the models rebuilt incrementally; the peak memory is taken there. Then, timed apart, the
 * site rebuilt over the week-ago one; last, not timed: its models compared with the
 * full build's, by row count and row-hash sums first (row for row, a trust's timeline view alone
 * took minutes and spilled gigabytes), row for row where those differ.
 */
async function weekly(request: StageRequest): Promise<{ rows: number; failures: number; weekly: WeeklyDetail; timedSeconds: number; timedCpu: number; timedPeakRss: number }> {
  const source = request.db as string;
  const db = request.weeklyDb as string;
  const inbox = request.weekInbox as string;
  if (!request.week) throw new Error('the weekly stage runs after the weekly-setup stage (request.week)');
  const { weekStart, weekRows } = request.week;
  let warehouse: Awaited<ReturnType<typeof openWarehouse>> | null = await openWarehouse(db, { memoryLimit: request.memoryLimit });
  // Let go of the warehouse while a site build reads it (its export opens it read-only in other processes).
  const release = () => {
    warehouse?.close();
    warehouse = null;
  };
  try {
    let c = warehouse.connection;
    const started = performance.now();
    const cpu0 = cpuNow();
    const report = await ingest(c, [inbox]);
    if (report.stopped.length > 0) throw new Error(`the week's import stopped: ${report.stopped.map((f) => `${f.filePath}: ${f.reason}`).join(', ')}`);
    const importSeconds = (performance.now() - started) / 1000;
    const importCpuSeconds = cpuNow() - cpu0;
    const runnerSteps: Record<string, number> = {};
    const models = await runModels(c, { onStep: (s) => void (runnerSteps[s.step] = (runnerSteps[s.step] ?? 0) + s.cpuSeconds) });
    await c.run('CHECKPOINT');
    const timedSeconds = (performance.now() - started) / 1000;
    const timedCpu = cpuNow() - cpu0;
    // The refresh's own peak: nothing else has run in this process yet (the set-up ran in its own).
    const timedPeakRss = process.resourceUsage().maxRSS * 1024;

    let site: WeeklyDetail['site'];
    const siteDir = request.siteDir;
    if (siteDir) {
      // The site rebuilt over the week-ago one, timed apart: every process's CPU, as the site stage counts it.
      release();
      try {
        site = await rebuildSite(db, siteDir);
      } finally {
        rmSync(siteDir, { recursive: true, force: true });
      }
      warehouse = await openWarehouse(db, { memoryLimit: request.memoryLimit });
      c = warehouse.connection;
    }

    const names = readModels().map((m) => m.name);
    // With the pupils changed, the full build is of other exports: nothing to compare with (the
    // tests hold such a refresh to a full build: test/models/incremental-pupil-changes.test.ts).
    const comparison = request.stage === 'weekly-pupils' ? { compared: [], differences: [] } : await compareWarehouses(c, source, { names, fingerprintFirst: true });
    const modes: Record<BuildMode, number> = { full: 0, partitions: 0, unchanged: 0, view: 0 };
    for (const mode of Object.values(models.modes)) modes[mode] += 1;
    return {
      rows: report.files.reduce((n, f) => n + f.rowsRead, 0),
      failures: models.failures.length,
      timedSeconds,
      timedCpu,
      timedPeakRss,
      weekly: {
        weekStart,
        weekRows,
        importSeconds,
        importCpuSeconds,
        modelsSeconds: timedSeconds - importSeconds,
        modelsCpuSeconds: timedCpu - importCpuSeconds,
        modes,
        touched: models.touched,
        byWeek: models.updatedByWeek.length,
        slowest: Object.entries(models.cpuSeconds)
          .sort(([, a], [, b]) => b - a)
          .slice(0, 8)
          .map(([name, cpuSeconds]) => ({ name, mode: models.updatedByWeek.includes(name) ? 'weeks' : models.modes[name], cpuSeconds })),
        // The intervention-impact chain's models, CPU s each (the largest cost of a weekly refresh before session 19).
        impactCpuSeconds: Object.fromEntries(
          Object.entries(models.cpuSeconds)
            .filter(([name]) => /impact|intervention/.test(name))
            .map(([name, cpu]) => [name, Number(cpu.toFixed(3))]),
        ),
        runnerSteps: Object.fromEntries(Object.entries(runnerSteps).map(([step, cpu]) => [step, Number(cpu.toFixed(2))])),
        differences: comparison.differences.length,
        compared: comparison.compared.length,
        ...(site && { site }),
      },
    };
  } finally {
    release();
  }
}

/** The loaders a build's page-data phase reports: seconds, CPU seconds, files and bytes each. */
function loaderTimes(detail: PageDataSummary | undefined): SiteDetail['loaders'] {
  return (detail?.loaders ?? []).map((l) => ({ name: l.name, seconds: l.ms / 1000, cpuSeconds: l.cpuSeconds, files: l.files.length, bytes: l.files.reduce((n, f) => n + f.bytes, 0) }));
}

/** The staff site of `db` rebuilt over the one in `outDir` (buildSite reuses what it can), with every process's CPU seconds. */
async function rebuildSite(db: string, outDir: string): Promise<NonNullable<WeeklyDetail['site']>> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const processes: Array<{ name: string; cpuSeconds: number; peakRssBytes: number }> = [];
  const loaders: SiteDetail['loaders'] = [];
  let framework = false;
  await buildSite({
    dbPath: db,
    audience: 'staff',
    outDir,
    quiet: true,
    onUsage: (usage) => processes.push(usage),
    onPhase: (phase, _ms, detail) => {
      if (phase === 'framework') framework = true;
      loaders.push(...loaderTimes(detail));
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  processes.unshift({ name: 'build (this process)', cpuSeconds: (used.user + used.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024 });
  const state = JSON.parse(readFileSync(path.join(outDir, BUILD_STATE_DIR, 'pupil-detail.json'), 'utf8')) as { parts: number; reused: number };
  return {
    seconds,
    cpuSeconds: processes.reduce((n, p) => n + p.cpuSeconds, 0),
    processes,
    timelineParts: state.parts,
    reused: state.reused,
    framework,
    // By CPU: a week's loaders are short, and their seconds depend on what the other process is doing.
    loaders: loaders.sort((a, b) => b.cpuSeconds - a.cpuSeconds),
  };
}

async function work(request: StageRequest): Promise<Omit<StageResult, 'seconds' | 'cpuSeconds' | 'peakRssBytes' | 'stage'>> {
  switch (request.stage) {
    case 'generate': {
      const { dir, generated } = await cachedDemo(request.demo ?? { pupils: 1200, years: 1, schools: 1, seed: 1 }, request.cacheDir);
      return { rows: 0, cached: !generated, dir };
    }
    case 'plain': {
      // The yardstick: DuckDB's own CSV reader into a table per file, types auto-detected, on disk.
      const db = request.db as string;
      freshDb(db);
      const warehouse = await openPlainWarehouse(db, { memoryLimit: request.memoryLimit });
      try {
        let rows = 0;
        for (const [i, file] of csvFiles(request.exportsDir as string).entries()) {
          await warehouse.connection.run(`CREATE TABLE ${ident(`t${i}`)} AS SELECT * FROM read_csv(${literal(file)})`);
          const reader = await warehouse.connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${ident(`t${i}`)}`);
          rows += Number(reader.getRowObjectsJS()[0].n);
        }
        await warehouse.connection.run('CHECKPOINT');
        return { rows };
      } finally {
        warehouse.close();
        freshDb(db);
      }
    }
    case 'ingest': {
      const db = request.db as string;
      freshDb(db);
      const warehouse = await openWarehouse(db, { memoryLimit: request.memoryLimit });
      try {
        const report = await ingest(warehouse.connection, [request.exportsDir as string]);
        const rejected = report.files.reduce((n, f) => n + f.rowsRejected, 0);
        if (rejected > 0 || report.stopped.length > 0) throw new Error(`the demo export should load cleanly, but ${rejected} rows were rejected and ${report.stopped.length} files stopped`);
        await warehouse.connection.run('CHECKPOINT');
        return { rows: report.files.reduce((n, f) => n + f.rowsRead, 0) };
      } finally {
        warehouse.close();
      }
    }
    case 'models': {
      const warehouse = await openWarehouse(request.db as string, { memoryLimit: request.memoryLimit });
      try {
        // Each model's seconds, CPU seconds and the process's peak RSS so far, one line each on
        // stderr and in <db>.models.tsv: the model where the peak jumps is the one to profile.
        const perModel = ['model\tseconds\tcpu_seconds\tpeak_rss_gib'];
        const report = await runModels(warehouse.connection, {
          onModel: (m) => {
            const line = `${m.name}\t${m.seconds.toFixed(2)}\t${m.cpuSeconds.toFixed(2)}\t${((process.resourceUsage().maxRSS * 1024) / 1024 ** 3).toFixed(2)}`;
            perModel.push(line);
            process.stderr.write(`${line}\n`);
          },
        });
        writeFileSync(`${request.db as string}.models.tsv`, `${perModel.join('\n')}\n`);
        await warehouse.connection.run('CHECKPOINT');
        const rows = Object.values(report.rowCounts).reduce((n, r) => n + r, 0);
        return { rows, failures: report.failures.length };
      } finally {
        warehouse.close();
      }
    }
    case 'site':
    case 'weekly-setup':
    case 'weekly':
    case 'weekly-pupils':
      throw new Error(`the ${request.stage} stage is run by runStage`);
  }
}

/**
 * The staff site of the models stage's warehouse, built as `pastoral build` builds it, into a
 * throwaway folder (removed after). Its CPU seconds and peak memory are those of every process
 * of the build (buildSite here, the page-data export's two, Framework's), each as it reported
 * them on exit: the stage's own process does little.
 */
async function site(request: StageRequest): Promise<StageResult> {
  const outDir = request.siteDir as string;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const phases: SiteDetail['phases'] = [];
  const loaders: SiteDetail['loaders'] = [];
  const processes: SiteDetail['processes'] = [];
  let seconds: number;
  let used: NodeJS.CpuUsage;
  let downloads: SiteDetail['downloads'];
  try {
    await buildSite({
      dbPath: request.db as string,
      audience: 'staff',
      outDir,
      quiet: true,
      onPhase: (phase, ms, detail) => {
        phases.push({ phase, seconds: ms / 1000 });
        loaders.push(...loaderTimes(detail));
      },
      onUsage: (usage) => processes.push(usage),
    });
    seconds = (performance.now() - started) / 1000;
    used = process.cpuUsage(cpu);
    // Not timed: every page opened in Chromium, for the largest download (issue 9: ≤ 300 KB).
    downloads = await largestDownloads(outDir);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  processes.unshift({ name: 'build (this process)', cpuSeconds: (used.user + used.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024 });
  return {
    stage: 'site',
    seconds,
    cpuSeconds: processes.reduce((n, p) => n + p.cpuSeconds, 0),
    peakRssBytes: Math.max(...processes.map((p) => p.peakRssBytes)),
    rows: 0,
    site: { phases, loaders: loaders.sort((a, b) => b.seconds - a.seconds), processes, downloads },
  };
}

/** The page that downloads most as it opens, and the one that can download most for any choice. */
async function largestDownloads(dist: string): Promise<SiteDetail['downloads']> {
  const chromium = findChromium();
  if (!chromium) return { skipped: 'no Chromium on this machine' };
  const pages = await measurePageDownloads(dist, sitePages(dist), chromium);
  const largest = (bytes: (p: (typeof pages)[number]) => number) => pages.reduce((a, b) => (bytes(b) > bytes(a) ? b : a));
  const open = largest((p) => p.openBytes);
  const worst = largest((p) => p.worstBytes);
  return { open: { page: open.page, bytes: open.openBytes }, worst: { page: worst.page, bytes: worst.worstBytes } };
}

export async function runStage(request: StageRequest): Promise<StageResult> {
  if (request.stage === 'site') return site(request);
  if (request.stage === 'weekly' || request.stage === 'weekly-pupils') {
    // Only the import of the week and the models after it are timed (the set-up is not).
    const { timedSeconds, timedCpu, timedPeakRss, ...result } = await weekly(request);
    return { stage: request.stage, seconds: timedSeconds, cpuSeconds: timedCpu, peakRssBytes: timedPeakRss, ...result };
  }
  if (request.stage === 'weekly-setup') {
    const started = performance.now();
    const cpu0 = cpuNow();
    const week = await weeklySetUp(request);
    return { stage: 'weekly-setup', seconds: (performance.now() - started) / 1000, cpuSeconds: cpuNow() - cpu0, peakRssBytes: process.resourceUsage().maxRSS * 1024, rows: week.weekRows, week };
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await work(request);
  const used = process.cpuUsage(cpu);
  return {
    stage: request.stage,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...result,
  };
}
