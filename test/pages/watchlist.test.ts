import { describe, expect, it } from 'vitest';
import { browserAvailable, expectCleanLoad, openPage, skipReason } from '../helpers/browser.ts';
import { useDemoSitePages } from '../helpers/page-suite.ts';

describe.skipIf(!browserAvailable)('watchlist page (demo school, headless Chromium)', () => {
  const demo = useDemoSitePages();

  it('lists ranked pupils with reason chips, draws the backtest offline, and the filters narrow the list', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(demo.browser, `${demo.server.url}watchlist`);
    try {
      await page.waitForSelector('.kpi .big');
      await page.waitForSelector('form table tbody tr .chip');
      // Backtest: hit rate and base rate lines.
      await page.waitForSelector('svg [aria-label="line"] path');

      const heading = page.locator('h2', { hasText: /pupils? listed — / });
      const countOf = async () => Number((await heading.textContent())?.match(/^(\d+)/)?.[1]);
      const all = await countOf();
      expect(all).toBeGreaterThan(0);

      await page.getByLabel('No active intervention only').check();
      await expect.poll(() => heading.textContent()).toMatch(/no active intervention, ranked/);
      const withoutSupport = await countOf();
      expect(withoutSupport).toBeLessThan(all);
      // Every row shown now carries the "No intervention" chip.
      const rows = page.locator('form table tbody tr');
      const visible = Math.min(await rows.count(), 10);
      for (let i = 0; i < visible; i++) expect(await rows.nth(i).locator('.chip', { hasText: 'No intervention' }).count()).toBe(1);

      await page.getByLabel('Year group').selectOption({ label: 'Year 9' });
      await expect.poll(() => heading.textContent()).toMatch(/Year 9/);
      expect(await countOf()).toBeLessThan(withoutSupport);

      const schools = await page.getByLabel('School').locator('option').allTextContents();
      expect(schools).toHaveLength(2);

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
