/**
 * The tiny-school fixture (test/fixtures/tiny-school: one small school's first fortnight),
 * imported, modelled and built as a staff site in a temporary folder, and served: for the pages
 * over a school this small, or one that sends only some of its exports.
 *
 *   const site = await servedTinySchool('short-span-');                    // every fixture file
 *   const site = await servedTinySchool('no-optional-', ['students.csv', 'attendance.csv']);
 *   … `${site.server.url}weekly-review` …; await site.server.close();
 */
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../../data-loaders/ingest.ts';
import { runModels } from '../../src/models/run-models.ts';
import { buildSite } from '../../src/site/build-site.ts';
import { serveStatic, type StaticServer } from '../../src/site/serve-static.ts';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tiny-school');

export async function servedTinySchool(prefix: string, files?: readonly string[]): Promise<{ root: string; server: StaticServer }> {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const exportsDir = path.join(root, 'tiny');
  if (files) {
    mkdirSync(exportsDir);
    for (const file of files) cpSync(path.join(FIXTURE, file), path.join(exportsDir, file));
  } else {
    cpSync(FIXTURE, exportsDir, { recursive: true });
  }
  const db = path.join(root, 'tiny.duckdb');
  await withWarehouse(db, async (c) => {
    await ingest(c, [exportsDir]);
    const models = await runModels(c);
    if (models.failures.length > 0) throw new Error(`data tests failed: ${models.failures.map((f) => f.test).join(', ')}`);
  });
  const dist = path.join(root, 'dist');
  await buildSite({ dbPath: db, outDir: dist, quiet: true });
  return { root, server: await serveStatic(dist, { port: 0 }) };
}
