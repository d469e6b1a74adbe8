/**
 * How much page data each page of a built site downloads (issue 9's budget: ≤ 300 KB for the
 * school, year and filters on screen), in headless Chromium against the local server:
 *
 *   const pages = await measurePageDownloads(dist, ['weekly-review', 'pupil'], chromiumPath);
 *   pages[0].openBytes    // every `/_file/` response as the page opened (default choices)
 *   pages[0].worstBytes   // the most any choice of school, year, filter or pupil can need
 *
 * The worst case is read from the build, not clicked through: a page's whole files are fetched
 * whatever is chosen, and a part of split data (src/page-data/page-parts.ts) is one of those its
 * index lists (with `bytes`), so the most a view can fetch is the whole files plus, for each part
 * it fetched, the largest part its index lists; the parts no fetched index lists (a pupil's
 * timeline, named by its row in the school's directory) count as the largest such file of their
 * folder, or, for a folder of parts one a term, the largest of each term together. Used by scripts/page-bytes.ts, the bench's site stage and test/pages/data-budget-trust.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from '../commonjs/apache-arrow.ts';
import { timelinePartTerm } from '../page-data/timeline-parts.ts';
import { launchChromium } from '../pdf/chromium.ts';
import { serveStatic } from './serve-static.ts';

/** Issue 9: no page downloads more than this for what is on screen. */
export const PAGE_BUDGET_BYTES = 300 * 1024;

export interface PageDownload {
  page: string;
  /** Each `/_file/…` path fetched as the page opened, and its bytes. */
  files: Array<{ file: string; bytes: number }>;
  openBytes: number;
  worstBytes: number;
}

/** A part's name: `<key>.<12 hex digits of its content's SHA-256>.arrow` (PartsWriter; Framework's own names carry 8). */
const PART = /\.[0-9a-f]{12}\.arrow$/;

/** Opens each page cold (a fresh browser context) and records every data file it fetched until no more arrive. */
export async function measurePageDownloads(dist: string, pages: readonly string[], chromiumPath: string): Promise<PageDownload[]> {
  const server = await serveStatic(path.resolve(dist), { port: 0 });
  const browser = await launchChromium(chromiumPath);
  const out: PageDownload[] = [];
  try {
    for (const name of pages) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
      try {
        const page = await context.newPage();
        const fetched = new Map<string, Promise<number>>();
        page.on('response', (r) => {
          const url = new URL(r.url());
          if (url.pathname.startsWith('/_file/')) fetched.set(url.pathname, r.body().then((b) => b.length, () => 0));
        });
        await page.goto(`${server.url}${name}`, { waitUntil: 'networkidle' });
        // A part is fetched once the cells choosing it have run, which can be after the first
        // quiet moment: wait until no more data file has arrived for a while.
        for (let seen = -1; seen !== fetched.size; ) {
          seen = fetched.size;
          await page.waitForTimeout(1500);
          await page.waitForLoadState('networkidle');
        }
        const files: PageDownload['files'] = [];
        for (const [file, bytes] of fetched) files.push({ file, bytes: await bytes });
        out.push({ page: name, files, openBytes: files.reduce((n, f) => n + f.bytes, 0), worstBytes: worstCase(dist, files) });
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

/** The most any choice on the page can fetch, given what it fetched as it opened (see the file's comment). */
export function worstCase(dist: string, files: readonly { file: string; bytes: number }[]): number {
  const local = (file: string) => path.join(dist, ...file.split('/').filter((s) => s !== ''));
  // Each fetched index: the parts it lists (by their path) and the largest of them.
  const listedBy = new Map<string, number>();
  const listed = new Set<string>();
  for (const { file } of files) {
    if (PART.test(file) || !file.endsWith('.arrow')) continue;
    const table = tableFromIPC(readFileSync(local(file)));
    const names = table.getChild('file');
    const sizes = table.getChild('bytes');
    if (!names || !sizes) continue;
    const folder = file.slice(0, file.lastIndexOf('/') + 1);
    const largest = Math.max(0, ...Array.from(sizes.toArray() as ArrayLike<number | bigint>, Number));
    for (const name of names.toArray() as string[]) {
      listed.add(folder + name);
      listedBy.set(folder + name, largest);
    }
  }
  let total = 0;
  // Parts named by a row of another part, by folder: the bytes fetched.
  const unlisted = new Map<string, number>();
  for (const { file, bytes } of files) {
    if (!PART.test(file)) total += bytes;
    else if (listedBy.has(file)) total += listedBy.get(file)!;
    else {
      const folder = file.slice(0, file.lastIndexOf('/') + 1);
      unlisted.set(folder, (unlisted.get(folder) ?? 0) + bytes);
    }
  }
  for (const [folder, fetched] of unlisted) {
    // The most one choice can fetch of the folder's files no fetched index lists: its largest
    // file, or, where files are one a term (a pupil's timeline in the school's latest year:
    // `t2_b07-1.<hash>.arrow`, at most one a term for a pupil), the largest of each term together.
    const dir = local(folder);
    const largest = new Map<string, number>();
    for (const f of readdirSync(dir).filter((f) => PART.test(f) && !listed.has(folder + f))) {
      const term = String(timelinePartTerm(f) || '');
      largest.set(term, Math.max(largest.get(term) ?? 0, statSync(path.join(dir, f)).size));
    }
    const terms = [...largest].filter(([term]) => term !== '').reduce((n, [, bytes]) => n + bytes, 0);
    total += Math.max(fetched, largest.get('') ?? 0, terms);
  }
  return total;
}

/** Every page of a built site (its `.html` files), by name. */
export function sitePages(dist: string): string[] {
  return readdirSync(dist)
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.slice(0, -'.html'.length))
    .sort();
}
