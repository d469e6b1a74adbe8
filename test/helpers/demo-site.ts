/**
 * The demo school, generated, loaded, modelled and built once per test run, for the page
 * tests. Test files run in parallel processes: the first to arrive builds under a lock, the
 * others wait for its "done" marker, then each serves the same dist/ on its own port.
 * The demo is a small trust (2 schools × 2 academic years) so school filters and
 * "same week last year" have something to show.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingest } from '../../data-loaders/ingest.ts';
import { buildSite } from '../../src/site/build-site.ts';
import { serveStatic, type StaticServer } from '../../src/site/serve-static.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { runModels } from '../../src/models/run-models.ts';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';

export const DEMO_SITE_OPTIONS = Object.freeze({ pupils: 400, schools: 2, years: 2, seed: 7 });

export interface DemoSite {
  root: string;
  exportsDir: string;
  db: string;
  dist: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runDir(): string {
  // vitest.config.ts sets PASTORAL_TEST_RUN once per run; a stray call outside vitest builds its own.
  const run = process.env.PASTORAL_TEST_RUN ?? `solo-${process.pid}`;
  return path.join(os.tmpdir(), `pastoral-demo-site-${run}`);
}

async function buildDemoSite(site: DemoSite): Promise<void> {
  await generateDemo({ outDir: site.exportsDir, ...DEMO_SITE_OPTIONS });
  await withWarehouse(site.db, async (c) => {
    const report = await ingest(c, [site.exportsDir]);
    const rejected = report.files.reduce((n, f) => n + f.rowsRejected, 0);
    if (rejected > 0 || report.stopped.length > 0) throw new Error(`demo import rejected ${rejected} rows`);
    const models = await runModels(c);
    if (models.failures.length > 0) throw new Error(`data tests failed: ${models.failures.map((f) => f.test).join(', ')}`);
  });
  await buildSite({ dbPath: site.db, outDir: site.dist, quiet: true });
}

/** Builds (once per run) and returns the demo site's paths. */
export async function demoSite(): Promise<DemoSite> {
  const root = runDir();
  const site: DemoSite = { root, exportsDir: path.join(root, 'exports'), db: path.join(root, 'demo.duckdb'), dist: path.join(root, 'dist') };
  const done = path.join(root, 'done');
  const failed = path.join(root, 'failed');
  const lock = path.join(root, 'lock');
  mkdirSync(root, { recursive: true });
  for (;;) {
    if (existsSync(done)) return site;
    if (existsSync(failed)) throw new Error(`demo site build failed in another test file: ${readFileSync(failed, 'utf-8')}`);
    try {
      mkdirSync(lock);
    } catch {
      await sleep(500);
      continue;
    }
    try {
      rmSync(site.exportsDir, { recursive: true, force: true });
      await buildDemoSite(site);
      writeFileSync(done, new Date().toISOString());
      return site;
    } catch (error) {
      writeFileSync(failed, (error as Error).message);
      throw error;
    }
  }
}

/** Serves the demo site on a free port. */
export async function serveDemoSite(): Promise<{ site: DemoSite; server: StaticServer }> {
  const site = await demoSite();
  return { site, server: await serveStatic(site.dist, { port: 0 }) };
}
