import { describe, expect, it } from 'vitest';
import { browserAvailable, expectCleanLoad, openPage, skipReason } from '../helpers/browser.ts';
import { useDemoSitePages } from '../helpers/page-suite.ts';

describe.skipIf(!browserAvailable)('BSC page (demo school, headless Chromium)', () => {
  const demo = useDemoSitePages();

  it('renders placements, reasons, outcomes and the re-referral curve offline, and the year-group filter changes them', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(demo.browser, `${demo.server.url}bsc`);
    try {
      await page.waitForSelector('.kpi .big');
      // Weekly placements (binned rects), reasons and shares (bars), the Kaplan–Meier step line: real SVG marks.
      await page.waitForSelector('svg [aria-label="rect"] rect');
      await page.waitForSelector('svg [aria-label="bar"] rect');
      await page.waitForSelector('svg [aria-label="line"] path');
      await expect.poll(() => page.locator('p', { hasText: 'within 20 school days' }).count()).toBeGreaterThan(0);
      // Staff page: the repeat pupils table lists named pupils.
      await page.waitForSelector('form table tbody tr td');

      const heading = page.locator('h2', { hasText: /^All year groups, \d{4}\/\d{2}$/ }).first();
      const kpisBefore = await page.locator('.kpi .big').allTextContents();
      const weeklyBarsBefore = await page.locator('svg [aria-label="rect"] rect').count();
      await expect.poll(() => heading.count()).toBe(1);

      await page.getByLabel('Year group').selectOption({ label: 'Year 9' });
      await expect.poll(() => page.locator('h2', { hasText: /^Year 9, \d{4}\/\d{2}$/ }).count()).toBe(1);
      const kpisAfter = await page.locator('.kpi .big').allTextContents();
      expect(kpisAfter).not.toEqual(kpisBefore);
      // One year group: one colour per week, so fewer stacked rects.
      expect(await page.locator('svg [aria-label="rect"] rect').count()).toBeLessThan(weeklyBarsBefore);

      const schools = await page.getByLabel('School').locator('option').allTextContents();
      expect(schools).toHaveLength(2);

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('over one term, labels the weekly chart\'s ticks on Mondays (week commencing), not on the Sundays before', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(demo.browser, `${demo.server.url}bsc`);
    try {
      await page.waitForSelector('svg [aria-label="rect"] rect');
      const academicYear = await page.getByLabel('Academic year').evaluate((s: HTMLSelectElement) => s.selectedOptions[0].textContent!);
      const firstYear = Number(academicYear.slice(0, 4));
      const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
      const weeklyChart = page.locator('.card', { has: page.locator('h2', { hasText: 'BSC placements each school week' }) });
      for (const term of ['Autumn term', 'Summer term']) {
        await page.getByLabel('Term').selectOption({ label: term });
        await expect.poll(() => weeklyChart.locator('h2').textContent()).toContain(term);
        const ticks = await weeklyChart.locator('svg [aria-label="x-axis tick label"] text').allTextContents();
        expect(ticks.length).toBeGreaterThan(3);
        for (const tick of ticks) {
          const [day, month] = tick.split(' ');
          const m = months.indexOf(month);
          expect(m, tick).toBeGreaterThanOrEqual(0);
          const date = new Date(Date.UTC(m >= 8 ? firstYear : firstYear + 1, m, Number(day)));
          expect(date.getUTCDay(), `${tick} is a Monday`).toBe(1);
        }
      }
      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
