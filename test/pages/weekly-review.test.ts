import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/build/serve-static.ts';
import { browserAvailable, launch, openPage, skipReason } from '../helpers/browser.ts';
import { serveDemoSite } from '../helpers/demo-site.ts';

describe.skipIf(!browserAvailable)('weekly behaviour review page (demo school, headless Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    ({ server } = await serveDemoSite());
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders its KPIs and charts offline, with no console errors, and a filter changes what is shown', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}weekly-review`);
    try {
      await page.waitForSelector('.kpi .big');
      // Trend line, heatmap cells and category bars are real SVG marks.
      await page.waitForSelector('svg [aria-label="line"] path');
      await page.waitForSelector('svg [aria-label="cell"] rect');
      await page.waitForSelector('svg [aria-label="bar"] rect');
      const heading = page.locator('h2', { hasText: 'week commencing' }).first();
      const before = await heading.textContent();
      expect(before).toMatch(/^Year 9, week commencing \d{2}\/\d{2}\/\d{4}/);
      const kpisBefore = await page.locator('.kpi .big').allTextContents();

      await page.getByLabel('Year group').selectOption({ label: 'Year 7' });
      await expect.poll(() => heading.textContent()).toMatch(/^Year 7, week commencing/);
      const kpisAfter = await page.locator('.kpi .big').allTextContents();
      expect(kpisAfter).not.toEqual(kpisBefore);

      // The school filter lists both schools of the demo trust.
      const schools = await page.getByLabel('School').locator('option').allTextContents();
      expect(schools).toHaveLength(2);

      expect(consoleErrors).toEqual([]);
      expect(offHostRequests).toEqual([]);
      expect(failedRequests).toEqual([]);
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
