// A school that sends only the required students.csv with attendance and behaviour (no
// detentions, BSC, interventions or suspensions exports: docs/data-contract.md, "Only
// students.csv is required") still gets its dashboards. The daily lists' loader threw "no
// detentions or BSC placements in the warehouse: nothing to list", which failed the whole
// staff build (exit 5, no site at all); now the daily lists page says there is nothing to list.
// The BSC and interventions pages, with no school to choose, said "All year groups, null",
// "Started in null", "No intervention is running at null on ."; now they say the data holds none.
// A school this small also shows the termly report's hidden figures: its absence chart called
// every hidden one "suppressed", where the table beside it (and the report's own key) says "<5"
// for a count below 5 and "suppressed" only for one hidden with it; with every year group's
// figure hidden, the term-by-term chart drew empty axes and the week-by-week panels a stray
// "0.000000" tick (cut to "0000" by the margin).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/site/serve-static.ts';
import { browserAvailable, expectCleanLoad, launch, openPage, skipReason } from '../helpers/browser.ts';
import { servedTinySchool } from '../helpers/tiny-school-site.ts';


describe.skipIf(!browserAvailable)('a school with no detentions or BSC export (tiny school, headless Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    ({ server } = await servedTinySchool('no-optional-', ['students.csv', 'attendance.csv', 'behaviour.csv']));
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('builds the site, and the daily lists say there is nothing to list', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}daily-lists`);
    try {
      await expect.poll(() => page.locator('.print-lists p.empty').textContent()).toBe(
        'No detentions or BSC placements are recorded (no detentions or BSC export has rows) in the 12 months the lists cover.',
      );
      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('the BSC and interventions pages say the data holds none, and never print null', async () => {
    for (const [pageName, note] of [
      ['bsc', 'No BSC placements are in the data'],
      ['interventions', 'No interventions are in the data'],
    ]) {
      const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}${pageName}`);
      try {
        await expect.poll(() => page.locator('p.empty', { hasText: note }).count(), { message: pageName }).toBe(1);
        const text = await page.locator('main').innerText();
        expect(text, pageName).not.toMatch(/\bnull\b|\bundefined\b/);
        expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
      } finally {
        await close();
      }
    }
  });

  it("the termly report's absence chart marks each hidden figure as its table does (<5 or suppressed)", async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}termly-report`);
    try {
      const card = page.locator('.termly-figure', { has: page.locator('h3', { hasText: 'Absence against the national figures' }) });
      await expect.poll(() => card.locator('table tbody tr').count()).toBe(5);
      // The table's This term and Year to date columns (2nd and 4th), hidden cells only.
      const tableHidden = await card.locator('table tbody tr').evaluateAll((rows) =>
        rows.flatMap((r) => [r.children[1], r.children[3]].map((c) => c?.textContent?.trim() ?? '')).filter((t) => t === '<5' || t === 'suppressed'));
      expect(tableHidden.length).toBeGreaterThan(0);
      const chartHidden = (await card.locator('.termly-chart svg text').allTextContents()).filter((t) => t === '<5' || t === 'suppressed');
      expect(chartHidden.sort()).toEqual(tableHidden.sort());
      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it("the termly report's behaviour charts say when every figure is hidden, with no stray ticks", async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}termly-report`);
    try {
      const card = (title: string) => page.locator('.termly-figure', { has: page.locator('h3', { hasText: title }) });
      await expect.poll(() => card('Term by term').locator('p.empty').textContent()).toContain("Every year group's figure is suppressed");
      const weekly = card('Week by week this term');
      await expect.poll(() => weekly.locator('svg [aria-label="y-axis tick label"] text').count()).toBeGreaterThan(0);
      for (const tick of await weekly.locator('svg [aria-label="y-axis tick label"] text').allTextContents()) expect(tick).toMatch(/^\d+(\.\d)?$/);
      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
