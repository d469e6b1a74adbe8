// The pipeline benchmark on a tiny demo: every stage runs in its own process and reports what
// it measured. No timing is asserted (that is `npm run bench`'s job), only that it is reported.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadsLine, parseStages, pipelineTable, runPipelineBench, weeklyLine } from '../../bench/pipeline-bench.ts';
import type { StageResult } from '../../bench/stage.ts';
import { findChromium } from '../../src/pdf/chromium.ts';
import { FILE_NAMES } from '../../src/demo/write-csv.ts';

describe('pipeline benchmark (--scale)', () => {
  it('says why the largest page download was not measured where there is no Chromium, and names the pages where it was', () => {
    expect(downloadsLine({ skipped: 'no Chromium on this machine' })).toBe('largest page download: not measured (no Chromium on this machine; it needs Chromium)');
    expect(downloadsLine({ open: { page: 'weekly-review', bytes: 181453 }, worst: { page: 'pupil', bytes: 269517 } })).toBe(
      'largest page download (budget 300 KB): 177.2 KB as it opens (weekly-review), at most 263.2 KB for any school, year, filter or pupil (pupil)',
    );
  });

  it("gives the weekly refresh's CPU against the full models run and site build, and against the full ingest too", () => {
    const stage = (name: StageResult['stage'], cpuSeconds: number): StageResult => ({ stage: name, seconds: cpuSeconds / 2, cpuSeconds, rows: 0, peakRssBytes: 0 });
    const weekly: StageResult = {
      ...stage('weekly', 30),
      weekly: {
        weekStart: '2026-07-20', weekRows: 100, importSeconds: 1, importCpuSeconds: 2, modelsSeconds: 10, modelsCpuSeconds: 28,
        modes: { partitions: 1, full: 0, unchanged: 0, view: 0 },
        touched: { A: ['2025/26'] }, byWeek: 1, slowest: [], impactCpuSeconds: {}, runnerSteps: {}, differences: 0, compared: 1,
        site: { seconds: 5, cpuSeconds: 10, processes: [], timelineParts: 2, reused: 1, framework: false, loaders: [{ name: 'daily-lists.tar', seconds: 1.25, cpuSeconds: 0.423, files: 3, bytes: 1000 }] },
      },
    };
    // The week: 30 + 10 = 40 CPU s; the full models run and site build 100 + 50 = 150 (26.7%); with the ingest's 50, 200 (20.0%).
    const line = weeklyLine(weekly, stage('models', 100), stage('site', 50), stage('ingest', 50));
    expect(line).toContain('import + models + site CPU 40.0 s = 26.7% of the full models run and site build (CPU) ; 20.0% of the full ingest, models run and site build (CPU)');
    expect(weeklyLine(weekly, stage('models', 100), stage('site', 50))).not.toContain('full ingest');
    expect(line).toContain('no Framework build: the week-ago site with the new data');
    expect(line).toContain('most CPU: daily-lists.tar 0.42');
    // No runner steps recorded: no such clause.
    expect(line).not.toContain('by step of the runner');
    const steps = { commit: 4.04, 'data tests': 3.1, fingerprints: 2.7, build: 9, insert: 5, delete: 1, plan: 0.5, views: 0.4, count: 0.3, compare: 0.2 };
    expect(weeklyLine({ ...weekly, weekly: { ...weekly.weekly!, runnerSteps: steps } }, stage('models', 100))).toContain(
      '; by step of the runner (CPU s, summed over models): build 9.0, insert 5.0, commit 4.0, data tests 3.1, fingerprints 2.7, delete 1.0, plan 0.5, views 0.4, others 0.5',
    );
  });

  it('checks a --stages list: known names, and the stages each one reads from', () => {
    expect(parseStages('plain, ingest,models')).toEqual(['plain', 'ingest', 'models']);
    expect(parseStages('ingest,site')).toBe('--stages: site needs models in the same run');
    expect(parseStages('models')).toBe('--stages: models needs ingest in the same run');
    expect(parseStages('ingest,modles')).toBe('--stages: unknown stage(s) modles (known: plain, ingest, models, site, weekly, weekly-pupils)');
  });

  it('runs generate, plain read, ingest, models, the site build and the weekly refresh (also with pupils changed), and reuses the cached exports the second time', () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'pp-bench-'));
    const options = { scale: 'demo' as const, size: { pupils: 50, years: 1, schools: 1 }, seed: 3, workspace, cacheDir: path.join(workspace, 'cache') };
    const first = runPipelineBench(options);
    expect(first.stages.map((s) => s.stage)).toEqual(['generate', 'plain', 'ingest', 'models', 'site', 'weekly', 'weekly-pupils']);
    expect(first.stages[0].cached).toBe(false);
    expect(first.files).toBe(FILE_NAMES.length); // every canonical file the demo writes
    const [, plain, ingest, models, site, weekly, weeklyPupils] = first.stages;
    // The plain read and ingest read the same rows; models report the rows they built.
    expect(ingest.rows).toBeGreaterThan(10_000);
    expect(plain.rows).toBe(ingest.rows);
    expect(models.rows).toBeGreaterThan(0);
    expect(models.failures).toBe(0);
    // The weekly refresh imported only the last week, updated models by partition (the weekly
    // ones from that week on), and its models are the full build's, row for row.
    // The site: buildSite's phases in order, the loaders it exported, and every process's CPU
    // and peak memory (the two export processes and Framework's reported theirs), summed.
    expect(site.site?.phases.map((p) => p.phase)).toEqual(['prepare', 'page data', 'framework', 'csp', 'swap']);
    expect(site.site?.loaders.map((l) => l.name)).toContain('pupil-detail.tar');
    expect(site.site?.loaders.length).toBeGreaterThan(15);
    // Each loader's CPU seconds are part of its export process's.
    const exportCpu = (site.site?.processes ?? []).filter((p) => p.name.startsWith('page data')).reduce((n, p) => n + p.cpuSeconds, 0);
    const loadersCpu = (site.site?.loaders ?? []).reduce((n, l) => n + l.cpuSeconds, 0);
    expect(loadersCpu).toBeGreaterThan(0);
    expect(loadersCpu).toBeLessThanOrEqual(exportCpu);
    const processes = site.site?.processes ?? [];
    expect(processes.map((p) => p.name)).toEqual(['build (this process)', expect.stringMatching(/^page data \(\d+ loaders\)$/), 'page data (pupil-detail.tar)', 'framework']);
    for (const p of processes) expect(p.cpuSeconds, p.name).toBeGreaterThan(0);
    expect(site.cpuSeconds).toBeCloseTo(processes.reduce((n, p) => n + p.cpuSeconds, 0), 6);
    expect(site.peakRssBytes).toBe(Math.max(...processes.map((p) => p.peakRssBytes)));
    expect(existsSync(path.join(workspace, 'demo-site'))).toBe(false); // thrown away
    // The largest page download, measured in Chromium where there is one, else said so.
    const downloads = site.site!.downloads;
    if ('skipped' in downloads) expect(findChromium()).toBeNull();
    else {
      expect(downloads.open.bytes).toBeGreaterThan(0);
      expect(downloads.worst.bytes).toBeGreaterThanOrEqual(downloads.open.bytes);
      expect(downloads.worst.bytes).toBeLessThanOrEqual(300 * 1024);
    }
    expect(weekly.failures).toBe(0);
    expect(weekly.weekly?.weekRows).toBeGreaterThan(0);
    expect(weekly.weekly?.weekRows).toBeLessThan(ingest.rows / 10);
    expect(weekly.weekly?.modes.partitions).toBeGreaterThan(0);
    expect(weekly.weekly?.byWeek).toBeGreaterThan(0);
    expect(Object.values(weekly.weekly?.touched ?? {})).toEqual([['2025/26']]);
    expect(weekly.weekly?.compared).toBeGreaterThan(50);
    expect(weekly.weekly?.differences).toBe(0);
    // And the site rebuilt over the week-ago one (its figure printed, never asserted): the
    // timelines' parts of the week's year rewritten, the others' reused; no Framework build (the
    // week-ago site was built by the same code: src/site/data-only-build.ts); the folder thrown away.
    const rebuilt = weekly.weekly?.site;
    expect(rebuilt?.framework).toBe(false);
    expect(rebuilt?.processes.map((p) => p.name)).toEqual(processes.map((p) => p.name).filter((n) => n !== 'framework'));
    expect(rebuilt?.loaders.map((l) => l.name).sort()).toEqual(site.site?.loaders.map((l) => l.name).sort());
    expect(rebuilt?.timelineParts).toBeGreaterThan(0);
    expect(rebuilt?.reused).toBeGreaterThanOrEqual(0);
    expect(rebuilt?.reused).toBeLessThan(rebuilt?.timelineParts ?? 0);
    // The same week with a SEN status recorded, a pupil leaving and one joining: still by week (the pupils are
    // read through compared models alone), and not compared with the full build of other exports.
    expect(weeklyPupils.failures).toBe(0);
    expect(weeklyPupils.weekly?.weekRows).toBe(weekly.weekly?.weekRows);
    expect(Object.values(weeklyPupils.weekly?.touched ?? {})).toEqual([['2025/26']]);
    expect(weeklyPupils.weekly?.byWeek).toBeGreaterThan(0);
    expect(weeklyPupils.weekly?.compared).toBe(0);
    for (const s of first.stages) {
      expect(s.seconds, s.stage).toBeGreaterThan(0);
      expect(s.peakRssBytes, s.stage).toBeGreaterThan(10 * 1024 * 1024);
    }
    const table = pipelineTable(first).split('\n');
    for (const label of ['generate exports', 'plain DuckDB read_csv', 'pastoral ingest', 'pastoral models', 'site build (staff)', 'ingest + models', 'end to end', 'weekly refresh', '  with pupils changed', 'With pupils changed']) {
      expect(table.some((l) => l.startsWith(label)), label).toBe(true);
    }
    // End to end = generate + ingest + models + site, the generation this run's own.
    const seconds = (label: string) => Number(table.find((l) => l.startsWith(label))!.slice(24, 33));
    const [generate] = first.stages;
    expect(seconds('end to end')).toBeCloseTo(generate.seconds + ingest.seconds + models.seconds + site.seconds, 0);
    expect(table.find((l) => l.startsWith('end to end: '))).toMatch(/^end to end: generate \+ ingest \+ models \+ site build/);
    expect(table.find((l) => l.startsWith('plain DuckDB read_csv'))).toMatch(/1\.00×\s+1\.00×$/);
    expect(table).toContain(downloadsLine(downloads));

    const second = runPipelineBench(options);
    expect(second.stages[0].cached).toBe(true);
    expect(second.exportsDir).toBe(first.exportsDir);
    expect(pipelineTable(second)).toMatch(/^generate exports\s+cached$/m);
    // The demo's end to end still includes a generation: timed again, into a folder thrown away.
    expect(second.generateTimed?.cached).toBe(false);
    expect(second.generateTimed?.dir).not.toBe(first.exportsDir);
    expect(existsSync(second.generateTimed!.dir!)).toBe(false);
    expect(pipelineTable(second)).toMatch(/^ {2}generated again\s+\d/m);
    expect(pipelineTable(second)).toMatch(/generate timed in this run into a throwaway folder/);

    // The quick figure only (`--stages plain,ingest,models`): no site, so no end to end and no
    // generation timed again.
    const quick = runPipelineBench({ ...options, stages: ['plain', 'ingest', 'models'] });
    expect(quick.stages.map((s) => s.stage)).toEqual(['generate', 'plain', 'ingest', 'models']);
    expect(quick.generateTimed).toBeUndefined();
    expect(pipelineTable(quick)).toMatch(/^ingest \+ models\s+\d/m);
    expect(pipelineTable(quick)).not.toMatch(/^end to end/m);
  }, 600_000);
});
