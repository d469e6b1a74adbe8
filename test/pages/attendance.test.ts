import { describe, expect, it } from 'vitest';
import { browserAvailable, expectCleanLoad, openPage, skipReason } from '../helpers/browser.ts';
import { useDemoSitePages } from '../helpers/page-suite.ts';

describe.skipIf(!browserAvailable)('attendance page (demo school, headless Chromium)', () => {
  const demo = useDemoSitePages();

  it('renders trends, the year-group heatmap, bands and codes offline against the national figure, and filters change them', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(demo.browser, `${demo.server.url}attendance`);
    try {
      await page.waitForSelector('.kpi .big');
      await page.waitForSelector('svg [aria-label="line"] path');
      await page.waitForSelector('svg [aria-label="cell"] rect');
      await page.waitForSelector('svg [aria-label="bar"] rect');
      // The national 2023/24 figure (100 − 8.9) is on the trend with its source.
      await expect.poll(() => page.locator('svg text', { hasText: 'National 2023/24: 91.1%' }).count()).toBe(1);

      const heading = page.locator('h2', { hasText: 'year to date at the end of the week commencing' }).first();
      expect(await heading.textContent()).toMatch(/^Whole school, year to date at the end of the week commencing \d{2}\/\d{2}\/\d{4}$/);
      const kpisBefore = await page.locator('.kpi .big').allTextContents();

      await page.getByLabel('Year group').selectOption({ label: 'Year 9' });
      await expect.poll(() => heading.textContent()).toMatch(/^Year 9, year to date/);
      expect(await page.locator('.kpi .big').allTextContents()).not.toEqual(kpisBefore);

      // An earlier week changes the crossings heading.
      const crossings = page.locator('h2', { hasText: /^Crossed a threshold in the week commencing/ });
      const crossingsBefore = await crossings.textContent();
      const weeks = await page.getByLabel('Week commencing').locator('option').allTextContents();
      await page.getByLabel('Week commencing').selectOption({ label: weeks[weeks.length - 6] });
      await expect.poll(() => crossings.textContent()).not.toBe(crossingsBefore);

      const schools = await page.getByLabel('School').locator('option').allTextContents();
      expect(schools).toHaveLength(2);

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
