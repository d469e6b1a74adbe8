/**
 * A staff site rebuilt after a week's refresh, with nothing but the data changed, is the previous
 * site with new data files (src/site/data-only-build.ts): no Framework build, and the same site as
 * a clean Framework build of the same warehouse, file for file. A page's registerFile lines differ
 * only in `lastModified` (each build writes its loader outputs afresh), and so its CSP's hash of
 * that inline script. When the previous site cannot be patched (another shell recorded, a page
 * naming a file the export did not write), Framework builds it, and the site is the same.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_STATE_DIR } from '../../src/page-data/build-state.ts';
import { buildSite, type BuildPhase } from '../../src/site/build-site.ts';
import { metaPolicy, pagePolicy } from '../../src/site/csp.ts';
import { demoAndWeekAgo, importAndModel } from '../helpers/school-builder.ts';

/** Every file of a site (its build state aside) with its bytes' hash; pages with `lastModified` and their CSP taken out. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const rel = path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    if (rel.startsWith(`${BUILD_STATE_DIR}/`)) continue;
    const bytes = readFileSync(path.join(dir, rel));
    out[rel] = rel.endsWith('.html')
      ? bytes.toString('utf8').replace(/"lastModified":\d+/g, '"lastModified":0').replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, '')
      : createHash('sha256').update(bytes).digest('hex');
  }
  return out;
}

/** Builds, and says which of Framework's build and the data-only build ran. */
async function build(db: string, outDir: string): Promise<BuildPhase[]> {
  const phases: BuildPhase[] = [];
  await buildSite({ dbPath: db, outDir, quiet: true, onPhase: (p) => phases.push(p) });
  return phases.filter((p) => p === 'framework' || p === 'data only');
}

describe('a staff site rebuilt with only its data changed', () => {
  let dir: string;
  let db: string;
  let site: string;
  let clean: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-data-only-'));
    const { exportsDir, weekAgo } = await demoAndWeekAgo(dir, { pupils: 100, schools: 2, years: 1, seed: 5 });
    db = path.join(dir, 'w.duckdb');
    site = path.join(dir, 'site');
    clean = path.join(dir, 'clean');
    await importAndModel(db, weekAgo);
    expect(await build(db, site)).toEqual(['framework']);
    // The Monday routine: the week's exports imported, the models refreshed.
    await importAndModel(db, exportsDir);
  }, 900_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is the previous site with the new data, no Framework build: the same as a clean build', async () => {
    const before = snapshot(site);
    expect(await build(db, site)).toEqual(['data only']);
    expect(await build(db, clean)).toEqual(['framework']);
    const after = snapshot(site);
    expect(after).toEqual(snapshot(clean));
    // The week changed the data: some pages name other files than a week ago, and the old files are gone.
    const changed = Object.keys(after).filter((f) => f.endsWith('.html') && after[f] !== before[f]);
    expect(changed.length).toBeGreaterThan(0);
    expect(Object.keys(before).filter((f) => f.startsWith('_file/') && !(f in after)).length).toBeGreaterThan(0);
    // Each page's registerFile lines as a clean build writes them, lastModified aside, and its
    // policy allows its scripts as they now are.
    for (const page of readdirSync(site).filter((f) => f.endsWith('.html'))) {
      const html = readFileSync(path.join(site, page), 'utf8');
      expect(metaPolicy(html), page).toBe(pagePolicy(html));
      const sizes = (h: string) => [...h.matchAll(/registerFile\(("[^"]*"), \{[^{}]*"path":("[^"]*"),"lastModified":\d+,"size":(\d+)\}\);/g)].map((m) => m.slice(1).join(' '));
      expect(sizes(html).length, page).toBe((html.match(/registerFile\("/g) ?? []).length);
      expect(sizes(html), page).toEqual(sizes(readFileSync(path.join(clean, page), 'utf8')));
    }
  }, 900_000);

  it('a previous site recorded with another shell, or one naming a file the export does not write, is built by Framework: the same site', async () => {
    const record = path.join(site, BUILD_STATE_DIR, 'site.json');
    expect(existsSync(record)).toBe(true);
    writeFileSync(record, JSON.stringify({ ...JSON.parse(readFileSync(record, 'utf8')), shell: 'another' }));
    expect(await build(db, site)).toEqual(['framework']);
    expect(snapshot(site)).toEqual(snapshot(clean));
    // A page of the previous site naming a data file no loader writes: the patch cannot be made.
    const page = path.join(site, 'weekly-review.html');
    const html = readFileSync(page, 'utf8');
    const first = /registerFile\("\.\/data\/[^\n]*\);/.exec(html);
    expect(first).not.toBeNull();
    writeFileSync(page, html.replace(first![0], first![0].replaceAll('./data/', './data/no-such-').replaceAll('_file/data/', '_file/data/no-such-')));
    expect(await build(db, site)).toEqual(['framework']);
    expect(snapshot(site)).toEqual(snapshot(clean));
  }, 900_000);
});
