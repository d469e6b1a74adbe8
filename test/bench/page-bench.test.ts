import { describe, expect, it } from 'vitest';
import { runPageBench, sitePages } from '../../bench/page-bench.ts';
import { browserAvailable, chromiumPath, skipReason } from '../helpers/browser.ts';
import { demoSite } from '../helpers/demo-site.ts';

// The page benchmark runs end to end on the demo trust's site and reports every page. It
// asserts what was measured, never how fast: timings belong to `npm run bench`, not to tests.
describe.skipIf(!browserAvailable)('page benchmark (demo trust, headless Chromium)', () => {
  it('measures every page: the first chart where a page has one, and what it downloaded', async () => {
    const site = await demoSite();
    if (!chromiumPath) throw new Error(skipReason());
    const lines: string[] = [];
    const results = await runPageBench({ dist: site.dist, chromiumPath, rounds: 1, log: (l) => lines.push(l) });
    expect(results.map((r) => r.page)).toEqual(sitePages(site.dist));
    expect(results.map((r) => r.page)).toEqual(expect.arrayContaining(['index', 'weekly-review', 'termly-report', 'definitions']));
    const byPage = Object.fromEntries(results.map((r) => [r.page, r]));
    // Chart pages have a first-chart time; the definitions page has no chart.
    for (const page of ['weekly-review', 'bsc', 'attendance', 'interventions', 'watchlist', 'termly-report', 'schools']) {
      expect(byPage[page]!.firstChartMs, page).toBeGreaterThan(0);
    }
    expect(byPage['definitions']!.firstChartMs).toBeNull();
    for (const r of results) {
      expect(r.bytes, r.page).toBeGreaterThan(0);
      expect(r.requests, r.page).toBeGreaterThan(1);
      expect(r.lastResponseMs, r.page).toBeGreaterThan(0);
    }
    expect(lines).toHaveLength(results.length);
  }, 180_000);
});
