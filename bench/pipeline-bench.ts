/**
 * The pipeline at a named scale: generate (or reuse cached exports) → a plain DuckDB read_csv
 * of the same files → ingest → models → the staff site built from the warehouse (`site`) → the
 * weekly refresh. Each stage runs in its own process, one after another,
 * so each peak RSS is that stage's own; the plain read is the yardstick every stage is divided
 * by, measured in the same run (on a shared machine, ratios hold better than seconds).
 */
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvFiles, type SiteDetail, type StageRequest, type StageResult } from './stage.ts';
import { DEFAULT_DEMO_CACHE } from '../src/demo/cache.ts';

export const SCALES = {
  demo: { pupils: 1200, years: 1, schools: 1 },
  large: { pupils: 2000, years: 5, schools: 1 },
  trust: { pupils: 1200, years: 3, schools: 30 },
} as const;

export type ScaleName = keyof typeof SCALES;

/** The stages after `generate`, in the order they run (each reads what the one before wrote). */
export const PIPELINE_STAGES = ['plain', 'ingest', 'models', 'site', 'weekly', 'weekly-pupils'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** Checks a `--stages` list: known names, and every stage's inputs asked for too. */
export function parseStages(list: string): PipelineStage[] | string {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(PIPELINE_STAGES as readonly string[]).includes(n));
  if (unknown.length > 0) return `--stages: unknown stage(s) ${unknown.join(', ')} (known: ${PIPELINE_STAGES.join(', ')})`;
  const stages = names as PipelineStage[];
  const needs: Partial<Record<PipelineStage, PipelineStage>> = { models: 'ingest', site: 'models', weekly: 'models', 'weekly-pupils': 'models' };
  for (const s of stages) {
    const need = needs[s];
    if (need && !stages.includes(need)) return `--stages: ${s} needs ${need} in the same run`;
  }
  return stages;
}

export interface PipelineBenchOptions {
  scale: ScaleName;
  /** Another size than the scale's (tests use a tiny one). */
  size?: { pupils: number; years: number; schools: number };
  seed?: number;
  memoryLimit?: string;
  /**
   * The stages to run, in the usual order (default all). `models` needs `ingest` before it in the
   * same run, and `site` and `weekly` need `models`: a quick ingest + models figure is
   * `plain,ingest,models`.
   */
  stages?: readonly PipelineStage[];
  /** Where the warehouses go (default data/bench). */
  workspace?: string;
  cacheDir?: string;
  log?: (line: string) => void;
}

export interface PipelineBenchResult {
  scale: ScaleName;
  exportsDir: string;
  files: number;
  bytes: number;
  stages: StageResult[];
  /**
   * The demo scale's exports generated again into a throwaway folder when the cache had them,
   * so the end to end figure (generate + ingest + models + site, what `npm run demo:build`
   * does) includes a real generation.
   */
  generateTimed?: StageResult;
}

const STAGE_SCRIPT = fileURLToPath(new URL('./stage.mjs', import.meta.url));

function runStageProcess(request: StageRequest): StageResult {
  const child = spawnSync(process.execPath, [STAGE_SCRIPT, JSON.stringify(request)], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  const line = child.stdout.split('\n').find((l) => l.startsWith('STAGE '));
  if (child.status !== 0 || !line) throw new Error(`bench stage ${request.stage} failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return JSON.parse(line.slice('STAGE '.length)) as StageResult;
}

export function runPipelineBench(options: PipelineBenchOptions): PipelineBenchResult {
  const log = options.log ?? (() => {});
  const workspace = path.resolve(options.workspace ?? path.join('data', 'bench'));
  const demo = { ...(options.size ?? SCALES[options.scale]), seed: options.seed ?? 1 };
  const db = path.join(workspace, `${options.scale}.duckdb`);
  const plainDb = path.join(workspace, `${options.scale}-plain-read.duckdb`);
  log(`Scale ${options.scale}: ${demo.pupils} pupils × ${demo.years} year(s) × ${demo.schools} school(s), seed ${demo.seed}`);
  const generate = runStageProcess({ stage: 'generate', demo, cacheDir: options.cacheDir ?? DEFAULT_DEMO_CACHE });
  const exportsDir = generate.dir as string;
  log(`  exports ${generate.cached ? 'from the cache' : 'generated'}: ${exportsDir}`);
  const files = csvFiles(exportsDir);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const stages: StageResult[] = [generate];
  let generateTimed: StageResult | undefined;
  const wanted = options.stages ?? PIPELINE_STAGES;
  if (generate.cached && options.scale === 'demo' && wanted.includes('site')) {
    // `npm run demo:build` always generates: time it once more, into a folder thrown away after.
    const scratch = path.join(workspace, `${options.scale}-generate-timed`);
    rmSync(scratch, { recursive: true, force: true });
    try {
      generateTimed = runStageProcess({ stage: 'generate', demo, cacheDir: scratch });
      log(`  generate (timed for the end to end, into a throwaway folder): ${generateTimed.seconds.toFixed(1)} s, CPU ${generateTimed.cpuSeconds.toFixed(1)} s`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  for (const stage of PIPELINE_STAGES.filter((s) => wanted.includes(s))) {
    log(`  ${stage} …`);
    const request = {
      exportsDir,
      db: stage === 'plain' ? plainDb : db,
      memoryLimit: options.memoryLimit,
      weeklyDb: path.join(workspace, `${options.scale}-weekly.duckdb`),
      weekInbox: path.join(workspace, `${options.scale}-week-inbox`),
      siteDir: path.join(workspace, `${options.scale}-site`),
    };
    // The weekly refresh's set-up (the week-ago warehouse and site) in a process of its own, not
    // timed, so the refresh's peak memory is its own.
    // weekly-pupils: the same week, its pupils files with three changes a school (recordPupilChanges).
    const weekStage = stage === 'weekly' || stage === 'weekly-pupils';
    const week = weekStage ? runStageProcess({ ...request, stage: 'weekly-setup', pupilChanges: stage === 'weekly-pupils' }).week : undefined;
    const result = runStageProcess({ ...request, stage, ...(week && { week }) });
    // Each stage as it ends, so a long run stopped part way still shows what it measured.
    const rows = result.site ? '' : `, ${result.rows.toLocaleString('en-GB')} rows`;
    log(`  ${stage}: ${result.seconds.toFixed(1)} s, CPU ${result.cpuSeconds.toFixed(1)} s${rows}, peak RSS ${(result.peakRssBytes / 1024 ** 3).toFixed(2)} GiB`);
    if (result.weekly) log(`  ${weeklyLine(result, stages.find((s) => s.stage === 'models'), stages.find((s) => s.stage === 'site'), stages.find((s) => s.stage === 'ingest'))}`);
    for (const line of siteLines(result)) log(`    ${line}`);
    stages.push(result);
  }
  return { scale: options.scale, exportsDir, files: files.length, bytes, stages, ...(generateTimed && { generateTimed }) };
}

const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;

/** The site stage's phases, slowest loaders and processes, a line each (empty for other stages). */
export function siteLines(result: StageResult): string[] {
  const site = result.site;
  if (!site) return [];
  return [
    `phases: ${site.phases.map((p) => `${p.phase} ${p.seconds.toFixed(1)} s`).join(', ')}`,
    `page data, slowest loaders (two processes at once): ${site.loaders.slice(0, 5).map((l) => `${l.name} ${l.seconds.toFixed(1)} s, CPU ${l.cpuSeconds.toFixed(1)} s (${l.files} files, ${(l.bytes / 1024 ** 2).toFixed(1)} MB)`).join(', ')}`,
    `processes: ${site.processes.map((p) => `${p.name} CPU ${p.cpuSeconds.toFixed(1)} s, peak ${gib(p.peakRssBytes)}`).join('; ')}`,
    downloadsLine(site.downloads),
  ];
}

/** The largest page-data download of the built site (issue 9: ≤ 300 KB for what is on screen), or why it was not measured. */
export function downloadsLine(downloads: SiteDetail['downloads']): string {
  if ('skipped' in downloads) return `largest page download: not measured (${downloads.skipped}; it needs Chromium)`;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  return `largest page download (budget 300 KB): ${kb(downloads.open.bytes)} as it opens (${downloads.open.page}), at most ${kb(downloads.worst.bytes)} for any school, year, filter or pupil (${downloads.worst.page})`;
}

const LABELS: Record<string, string> = {
  generate: 'generate exports',
  plain: 'plain DuckDB read_csv',
  ingest: 'pastoral ingest',
  models: 'pastoral models',
  site: 'site build (staff)',
  weekly: 'weekly refresh',
  'weekly-pupils': '  with pupils changed',
  'ingest+models': 'ingest + models',
  'end-to-end': 'end to end',
};

const percent = (part: number, whole: number | undefined) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a');

/**
 * The weekly refresh against the full models run of the same bench: the week's import and the
 * incremental models, in seconds and CPU seconds, and what the models did; and, when the stage
 * rebuilt the site too, that rebuild against the site stage's full build, and the whole refresh
 * (import, models, site) against the full models run and site build together (issue 9: ≤ 10%),
 * and, with the ingest stage, against the full ingest, models run and site build (a rebuild from
 * the exports, which is what a refresh spares).
 */
export function weeklyLine(weekly: StageResult, models: StageResult | undefined, site?: StageResult, ingest?: StageResult): string {
  const w = weekly.weekly;
  if (!w) return '';
  const touched = Object.values(w.touched);
  const partitions = touched.reduce((n, years) => n + years.length, 0);
  return [
    `weekly refresh (the week from ${w.weekStart}, ${w.weekRows.toLocaleString('en-GB')} rows): import ${w.importSeconds.toFixed(1)} s + models ${w.modelsSeconds.toFixed(1)} s`,
    `(CPU ${w.importCpuSeconds.toFixed(1)} + ${w.modelsCpuSeconds.toFixed(1)} s) = ${percent(weekly.seconds, models?.seconds)} of the full models run`,
    `(CPU ${percent(weekly.cpuSeconds, models?.cpuSeconds)}; models alone ${percent(w.modelsSeconds, models?.seconds)}, CPU ${percent(w.modelsCpuSeconds, models?.cpuSeconds)});`,
    `${w.modes.partitions} models updated in ${partitions} (school, year) partition(s) of ${touched.length} school(s) (${w.byWeek} of them from the first changed week on), ${w.modes.full} rebuilt whole, ${w.modes.unchanged} unchanged;`,
    w.compared === 0
      ? 'not compared with the full build (of other exports).'
      : `${w.differences === 0 ? `all ${w.compared} models identical to the full build (row counts and row-hash sums; row for row where those differ)` : `${w.differences} of ${w.compared} models DIFFER from the full build`}.`,
    `Most CPU: ${w.slowest.map((m) => `${m.name} ${m.cpuSeconds.toFixed(1)} s (${m.mode})`).join(', ')}`,
    ...(Object.keys(w.runnerSteps).length > 0 ? [`; by step of the runner (CPU s, summed over models): ${runnerStepsText(w.runnerSteps)}`] : []),
    ...(w.site
      ? [
          `; site rebuilt over the week-ago one: ${w.site.seconds.toFixed(1)} s, CPU ${w.site.cpuSeconds.toFixed(1)} s = CPU ${percent(w.site.cpuSeconds, site?.cpuSeconds)} of the full site build`,
          `(${w.site.reused} of ${w.site.timelineParts} pupil-timeline parts reused; ${w.site.framework ? 'built by Framework' : 'no Framework build: the week-ago site with the new data'};`,
          `${w.site.processes.map((p) => `${p.name} ${p.cpuSeconds.toFixed(1)}`).join(', ')}; most CPU: ${w.site.loaders.slice(0, 6).map((l) => `${l.name} ${l.cpuSeconds.toFixed(2)}`).join(', ')});`,
          `import + models + site CPU ${(weekly.cpuSeconds + w.site.cpuSeconds).toFixed(1)} s = ${percent(weekly.cpuSeconds + w.site.cpuSeconds, models && site ? models.cpuSeconds + site.cpuSeconds : undefined)} of the full models run and site build (CPU)`,
          ...(ingest && models && site
            ? [`; ${percent(weekly.cpuSeconds + w.site.cpuSeconds, ingest.cpuSeconds + models.cpuSeconds + site.cpuSeconds)} of the full ingest, models run and site build (CPU)`]
            : []),
        ]
      : []),
  ].join(' ');
}

/** The runner's steps (fingerprints, commit, data tests, each model's build, delete, insert…), most CPU first, the eight largest and the rest together. */
export function runnerStepsText(steps: Readonly<Record<string, number>>): string {
  const sorted = Object.entries(steps).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const rest = sorted.slice(8).reduce((n, [, cpu]) => n + cpu, 0);
  return [...sorted.slice(0, 8).map(([step, cpu]) => `${step} ${cpu.toFixed(1)}`), ...(sorted.length > 8 ? [`others ${rest.toFixed(1)}`] : [])].join(', ');
}

/** The table `npm run bench -- --scale …` prints: one row per stage. */
export function pipelineTable(result: PipelineBenchResult): string {
  const byStage = Object.fromEntries(result.stages.map((s) => [s.stage, s]));
  const inputRows = byStage.ingest?.rows ?? 0;
  const plain = byStage.plain;
  const combined = byStage.ingest && byStage.models
    ? {
        stage: 'ingest+models',
        seconds: byStage.ingest.seconds + byStage.models.seconds,
        cpuSeconds: byStage.ingest.cpuSeconds + byStage.models.cpuSeconds,
        peakRssBytes: Math.max(byStage.ingest.peakRssBytes, byStage.models.peakRssBytes),
        cached: false,
      }
    : undefined;
  // generate + ingest + models + site, what `npm run demo:build` does (issue 9: demo ≤ 30 s).
  const generated = byStage.generate && !byStage.generate.cached ? byStage.generate : result.generateTimed;
  const chain = [generated, byStage.ingest, byStage.models, byStage.site];
  const endToEnd = byStage.ingest && byStage.models && byStage.site
    ? {
        stage: 'end-to-end',
        seconds: chain.reduce((n, s) => n + (s?.seconds ?? 0), 0),
        cpuSeconds: chain.reduce((n, s) => n + (s?.cpuSeconds ?? 0), 0),
        peakRssBytes: Math.max(...chain.map((s) => s?.peakRssBytes ?? 0)),
        cached: false,
      }
    : undefined;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
  const header = `${'stage'.padEnd(24)}${'seconds'.padStart(9)}${'CPU s'.padStart(9)}${'rows/s'.padStart(13)}${'peak RSS'.padStart(11)}${'× plain read'.padStart(14)}${'CPU × plain'.padStart(13)}`;
  const lines = [
    `Exports: ${result.files} files, ${(result.bytes / 1024 / 1024).toFixed(0)} MB, ${fmt(inputRows)} rows (${result.exportsDir})`,
    header,
    '-'.repeat(header.length),
  ];
  for (const s of [...result.stages.filter((x) => !x.weekly), ...(combined ? [combined] : []), ...(endToEnd ? [endToEnd] : [])]) {
    if (s.stage === 'generate' && s.cached) {
      lines.push(`${LABELS.generate.padEnd(24)}${'cached'.padStart(9)}`);
      const timed = result.generateTimed;
      if (timed) lines.push(`${'  generated again'.padEnd(24)}${timed.seconds.toFixed(1).padStart(9)}${timed.cpuSeconds.toFixed(1).padStart(9)}${''.padStart(13)}${gib(timed.peakRssBytes).padStart(11)}`);
      continue;
    }
    const rowsPerSecond = inputRows / s.seconds;
    const ratio = plain ? s.seconds / plain.seconds : NaN;
    const cpuRatio = plain ? s.cpuSeconds / plain.cpuSeconds : NaN;
    lines.push(
      `${(LABELS[s.stage] ?? s.stage).padEnd(24)}${s.seconds.toFixed(1).padStart(9)}${s.cpuSeconds.toFixed(1).padStart(9)}` +
        `${fmt(rowsPerSecond).padStart(13)}${gib(s.peakRssBytes).padStart(11)}${`${ratio.toFixed(2)}×`.padStart(14)}${`${cpuRatio.toFixed(2)}×`.padStart(13)}`,
    );
  }
  const weekly = byStage.weekly;
  const weeklyPupils = byStage['weekly-pupils'];
  for (const w of [weekly, weeklyPupils]) {
    if (!w?.weekly) continue;
    lines.push(
      `${LABELS[w.stage].padEnd(24)}${w.seconds.toFixed(1).padStart(9)}${w.cpuSeconds.toFixed(1).padStart(9)}${''.padStart(13)}${gib(w.peakRssBytes).padStart(11)}` +
        `${`${percent(w.seconds, byStage.models?.seconds)} of models`.padStart(27)}`,
    );
  }
  lines.push(
    "rows/s: rows of the export per second of the stage. × plain read: the stage's seconds (and CPU seconds) over the plain read's, same run;",
    'on a machine shared with other work the CPU ratio is the steadier one.',
  );
  if (byStage.site) {
    lines.push(
      "site build: `pastoral build` of the models stage's warehouse (staff), its CPU seconds and peak RSS those of every process of the build (the page-data export's two, Framework's).",
    );
    if (byStage.site.site) lines.push(downloadsLine(byStage.site.site.downloads));
  }
  if (endToEnd) {
    lines.push(
      `end to end: ${generated ? 'generate + ' : ''}ingest + models + site build, one after another, as \`npm run demo:build\` runs them (issue 9: demo ≤ 30 s)` +
        (generated === result.generateTimed && generated
          ? '; generate timed in this run into a throwaway folder (the other stages read the cached exports)'
          : generated
            ? ''
            : '; the exports came from the cache, so generating them is not in it'),
    );
  }
  if (weekly?.weekly) lines.push(weeklyLine(weekly, byStage.models, byStage.site, byStage.ingest));
  if (weeklyPupils?.weekly) lines.push(`With pupils changed (a SEN status recorded, a pupil leaving and one joining, in each school's pupils file): ${weeklyLine(weeklyPupils, byStage.models, byStage.site, byStage.ingest)}`);
  return lines.join('\n');
}
