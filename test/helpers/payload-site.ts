/**
 * A staff site built from a demo export whose every free-text field holds markup and script
 * payloads, for the page test that checks none of it runs or becomes an element
 * (test/pages/free-text-payloads.test.ts). Built once per test run, like the demo site.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { ingest } from '../../data-loaders/ingest.ts';
import { buildSite } from '../../src/site/build-site.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { runModels } from '../../src/models/run-models.ts';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';
import { demoSite, type DemoSite } from './demo-site.ts';

/**
 * The free-text columns of each export (contract type `text`, not ids, codes or dates): names,
 * forms, houses, staff, categories, reasons, outcomes, comments. Categories and reasons keep
 * their value in front of the payload, so groupings still differ.
 */
export const FREE_TEXT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'students.csv': ['first_name', 'last_name', 'form', 'house', 'ethnicity'],
  'behaviour.csv': ['period', 'category', 'subject', 'location', 'staff', 'action', 'comment'],
  'bsc.csv': ['referred_by', 'reason'],
  'detentions.csv': ['type', 'reason', 'issued_by'],
  'interventions.csv': ['type', 'staff', 'outcome'],
  'suspensions.csv': ['reason'],
  'contacts.csv': ['method', 'reason', 'staff', 'outcome'],
};

/** Every payload carries `data-xss` (an injected element is found by it) or sets `window.__xss`. */
export const PAYLOADS: readonly string[] = [
  '<script data-xss>window.__xss = "script"; alert("xss-script")</script>',
  '<img src=x onerror="window.__xss = \'img\'; alert(\'xss-img\')" data-xss>',
  'javascript:alert("xss-javascript-url")',
  '"><svg onload="window.__xss = \'svg\'; alert(\'xss-svg\')" data-xss>',
  '<a href="javascript:window.__xss=\'a\';alert(\'xss-a\')" data-xss>click</a>',
  '<img src="http://evil.example/beacon.png" data-xss>',
  '\'><iframe src="javascript:alert(\'xss-iframe\')" data-xss></iframe>',
  '<style data-xss>body{display:none}</style><b data-xss>bold</b>',
];

/** Rewrites each school folder's CSVs in place: every free-text cell gets a payload (rotating). */
export function poisonFreeText(exportsDir: string): number {
  let cells = 0;
  const schools = readdirSync(exportsDir).map((d) => path.join(exportsDir, d)).filter((d) => statSync(d).isDirectory());
  for (const dir of schools.length > 0 ? schools : [exportsDir]) {
    for (const [fileName, columns] of Object.entries(FREE_TEXT_COLUMNS)) {
      const file = path.join(dir, fileName);
      if (!existsSync(file)) continue;
      const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
      const fields = parsed.meta.fields ?? [];
      const rows = parsed.data.map((row, i) => {
        const out = { ...row };
        for (const [c, column] of columns.entries()) {
          if (!fields.includes(column)) continue;
          const payload = PAYLOADS[(i + c) % PAYLOADS.length];
          out[column] = `${row[column] ?? ''}${payload}`;
          cells += 1;
        }
        return out;
      });
      writeFileSync(file, Papa.unparse({ fields, data: rows.map((r) => fields.map((f) => r[f] ?? '')) }));
    }
  }
  return cells;
}

export const PAYLOAD_SITE_OPTIONS = Object.freeze({ pupils: 150, schools: 2, years: 1, seed: 11 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function buildPayloadSite(site: DemoSite): Promise<void> {
  await generateDemo({ outDir: site.exportsDir, ...PAYLOAD_SITE_OPTIONS });
  if (poisonFreeText(site.exportsDir) === 0) throw new Error('no free-text cell was rewritten');
  await withWarehouse(site.db, async (c) => {
    const report = await ingest(c, [site.exportsDir]);
    const rejected = report.files.reduce((n, f) => n + f.rowsRejected, 0);
    if (rejected > 0 || report.stopped.length > 0) throw new Error(`payload import rejected ${rejected} rows: ${JSON.stringify(report.files.flatMap((f) => f.rejects).slice(0, 3))}`);
    const models = await runModels(c);
    if (models.failures.length > 0) throw new Error(`data tests failed: ${models.failures.map((f) => f.test).join(', ')}`);
  });
  await buildSite({ dbPath: site.db, outDir: site.dist, quiet: true });
}

/**
 * Builds (once per run) and returns the payload site's paths. The demo site comes first: the
 * two builds take turns on Framework's build lock, and every other page test waits (within its
 * hook timeout) for the demo site, so this build must never hold the lock before it.
 */
export async function payloadSite(): Promise<DemoSite> {
  await demoSite();
  const run = process.env.PASTORAL_TEST_RUN ?? `solo-${process.pid}`;
  const root = path.join(os.tmpdir(), `pastoral-payload-site-${run}`);
  const site: DemoSite = { root, exportsDir: path.join(root, 'exports'), db: path.join(root, 'payload.duckdb'), dist: path.join(root, 'dist') };
  const done = path.join(root, 'done');
  const failed = path.join(root, 'failed');
  mkdirSync(root, { recursive: true });
  for (;;) {
    if (existsSync(done)) return site;
    if (existsSync(failed)) throw new Error(`payload site build failed in another test file: ${readFileSync(failed, 'utf-8')}`);
    try {
      mkdirSync(path.join(root, 'lock'));
    } catch {
      await sleep(500);
      continue;
    }
    try {
      rmSync(site.exportsDir, { recursive: true, force: true });
      await buildPayloadSite(site);
      writeFileSync(done, new Date().toISOString());
      return site;
    } catch (error) {
      writeFileSync(failed, (error as Error).message);
      throw error;
    }
  }
}
