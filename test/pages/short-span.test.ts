// A school whose data spans two school weeks (test/fixtures/tiny-school: a school's first
// fortnight on Pastoral Pulse): the weekly charts' time axes are labelled on the weeks'
// Mondays, each date once. Left to itself Plot ticked every 12 hours over so short a span,
// and "%-d %b" printed each day twice ("8 Sep 8 Sep 9 Sep …") under "week commencing".
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/site/serve-static.ts';
import { browserAvailable, expectCleanLoad, launch, openPage, skipReason } from '../helpers/browser.ts';
import { servedTinySchool } from '../helpers/tiny-school-site.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

describe.skipIf(!browserAvailable)('weekly charts over a school\'s first fortnight (tiny school, headless Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    ({ server } = await servedTinySchool('short-span-'));
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('labels the weekly review\'s and the attendance page\'s week axes on Mondays, each date once', async () => {
    for (const [pageName, chartTitle] of [
      ['weekly-review', 'Negative events per 100 pupils, each school week'],
      ['attendance', 'Attendance each school week'],
    ]) {
      const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}${pageName}`);
      try {
        const chart = page.locator('.card', { has: page.locator('h2', { hasText: chartTitle }) });
        const ticks = chart.locator('svg [aria-label="x-axis tick label"] text');
        await expect.poll(() => ticks.count(), { message: pageName }).toBeGreaterThan(0);
        const labels = await ticks.allTextContents();
        expect(new Set(labels).size, `${pageName}: ${labels.join(', ')}`).toBe(labels.length);
        for (const label of labels) {
          const [day, month] = label.split(' ');
          // The fixture's school year is 2025/26, its data in September 2025.
          const date = new Date(Date.UTC(2025, MONTHS.indexOf(month), Number(day)));
          expect(date.getUTCDay(), `${pageName}: ${label} is a Monday`).toBe(1);
        }
        expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
      } finally {
        await close();
      }
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
