/**
 * Page data budget (issue 9): no page downloads more than 300 KB of data for the school, year
 * and filters on screen. Each staff page of the demo site is opened cold in headless Chromium
 * and the bytes of every data file it fetched (`/_file/…`, whatever the encoding) are added up.
 * A byte count is not a timing: it is the same on any machine, so it is asserted.
 *
 * Split data (src/page-data/page-parts.ts) is what keeps a page under the budget at any size of
 * trust, so the test also checks that a page with parts fetched only some of them: less than
 * the whole of its data in the build.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable, expectCleanLoad, openPage } from '../helpers/browser.ts';
import { useDemoSitePages } from '../helpers/page-suite.ts';

const BUDGET_BYTES = 300 * 1024;

/** Every page of the staff build, and the data folders (under _file/data/) whose parts it reads. */
const PAGES: readonly { page: string; parts: readonly string[] }[] = [
  { page: 'index', parts: [] },
  { page: 'weekly-review', parts: ['yeargroup-week', 'hotspots', 'weekly-review-pupils'] },
  { page: 'pupil', parts: ['pupil-detail'] },
  { page: 'watchlist', parts: ['watchlist', 'watchlist-backtest'] },
  { page: 'bsc', parts: ['bsc-repeat', 'bsc-placements', 'bsc-rereferral-curve', 'bsc-reasons', 'bsc-weekly', 'bsc-repeat-pupils'] },
  { page: 'interventions', parts: ['interventions-list', 'interventions-impact'] },
  { page: 'attendance', parts: ['attendance-week', 'attendance-crossings', 'attendance-codes'] },
  { page: 'daily-lists', parts: ['daily-lists'] },
  { page: 'termly-report', parts: ['termly-report', 'termly-impact'] },
  { page: 'schools', parts: ['schools-week'] },
  { page: 'definitions', parts: [] },
];

/** Bytes of every file under a folder of the build. */
function folderBytes(dir: string): number {
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .map((f) => statSync(path.join(dir, f)))
    .filter((s) => s.isFile())
    .reduce((n, s) => n + s.size, 0);
}

describe.skipIf(!browserAvailable)('page data budget (demo trust, headless Chromium)', () => {
  const demo = useDemoSitePages();

  it.each(PAGES)('$page downloads at most 300 KB of data, and of its split data only the parts on screen', async ({ page: name, parts }) => {
    const opened = await openPage(demo.browser, `${demo.server.url}index`);
    const { page, close } = opened;
    const fetched = new Map<string, Promise<number>>();
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/_file/')) fetched.set(url.pathname, response.body().then((b) => b.length));
    });
    try {
      await page.goto(`${demo.server.url}${name}`, { waitUntil: 'networkidle' });
      await page.locator('#observablehq-main').waitFor();
      // A part is fetched once the cells choosing it (school, year…) have run, which can be after
      // the first quiet moment: wait until no more data file has arrived for a while.
      for (let seen = -1; seen !== fetched.size; ) {
        seen = fetched.size;
        await page.waitForTimeout(1500);
        await page.waitForLoadState('networkidle');
      }
      const sizes = new Map<string, number>();
      for (const [file, bytes] of fetched) sizes.set(file, await bytes);
      const total = [...sizes.values()].reduce((n, b) => n + b, 0);
      expect(total, `${name}: ${[...sizes].map(([f, b]) => `${f} ${b}`).join(', ')}`).toBeLessThanOrEqual(BUDGET_BYTES);
      // The measurement sees the page's data at all (the home page reads one small file).
      if (name !== 'definitions') expect(total, name).toBeGreaterThan(0);
      for (const folder of parts) {
        const dir = path.join(demo.site.dist, '_file', 'data', folder);
        const inFolder = [...sizes].filter(([f]) => f.startsWith(`/_file/data/${folder}/`));
        // The index and at least one part were fetched; together less than the folder holds.
        expect(inFolder.length, `${name}: ${folder}`).toBeGreaterThanOrEqual(2);
        expect(inFolder.reduce((n, [, b]) => n + b, 0), `${name}: ${folder}`).toBeLessThan(folderBytes(dir));
      }
      expectCleanLoad(opened);
    } finally {
      await close();
    }
  });
});
