import type { Browser, Page } from 'playwright-core';
import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import { arrowFile } from '../../src/page-data/arrow-file.ts';
import type { Row } from '../../src/page-data/mart-export.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/site/serve-static.ts';
import { openWarehouse, queryRows } from '../../src/warehouse/warehouse.ts';
import { browserAvailable, expectCleanLoad, launch, openPage, skipReason } from '../helpers/browser.ts';
import { serveDemoSite } from '../helpers/demo-site.ts';

interface SchoolYear {
  school_id: string;
  attendance_pct: string;
  negative_per_100: string;
}

describe.skipIf(!browserAvailable)('schools comparison page (demo trust, headless Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let expected: SchoolYear[];
  let latestYear: string;
  beforeAll(async () => {
    const { site, server: s } = await serveDemoSite();
    server = s;
    browser = await launch();
    const warehouse = await openWarehouse(site.db, { readOnly: true });
    try {
      [{ latestYear }] = await queryRows<{ latestYear: string }>(warehouse.connection, 'SELECT max(academic_year) AS "latestYear" FROM mart_yeargroup_week');
      // The page's whole-year figures, computed independently from the mart.
      expected = await queryRows<SchoolYear>(
        warehouse.connection,
        `SELECT school_id,
           printf('%.1f', 100.0 * sum(attending_sessions) / sum(possible_sessions)) AS attendance_pct,
           printf('%.1f', 100.0 * sum(negative_events) / sum(pupils_on_roll)) AS negative_per_100
         FROM mart_yeargroup_week WHERE academic_year = '${latestYear}' GROUP BY school_id ORDER BY school_id`,
      );
    } finally {
      warehouse.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const row = (page: Page, measure: string) => page.locator('table.pupil-list tbody tr', { hasText: measure }).locator('td.num strong');

  it('compares the schools side by side and week by week; filters change the figures', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}index`);
    // The weeks' parts (src/page-data/page-parts.ts), not the index that lists them: one per academic year and year group.
    const weekParts: string[] = [];
    page.on('request', (r) => /\/_file\/data\/schools-week\/y\d+\./.test(r.url()) && weekParts.push(r.url().match(/\/(y\d+)\.[0-9a-f]+\.arrow$/)?.[1] ?? r.url()));
    try {
      await page.goto(`${server.url}schools`, { waitUntil: 'networkidle' });
      await page.waitForSelector('table.pupil-list');
      const headers = await page.locator('table.pupil-list thead th').allTextContents();
      expect(headers.map((h) => h.replace('■', '').trim())).toEqual(['Measure', ...expected.map((e) => e.school_id), 'England (state secondary)']);
      expect(await page.locator('h2', { hasText: 'Side by side' }).textContent()).toContain(latestYear);
      expect(await row(page, 'Attendance').allTextContents()).toEqual(expected.map((e) => e.attendance_pct));
      expect(await row(page, 'Negative events per 100').allTextContents()).toEqual(expected.map((e) => e.negative_per_100));
      // Five trend charts, each a line per school.
      await page.waitForSelector('svg [aria-label="line"] path');
      expect(await page.locator('svg [aria-label="line"]').count()).toBe(5);
      expect(await page.locator('svg [aria-label="line"]').first().locator('path').count()).toBe(expected.length);

      const before = await row(page, 'Attendance').allTextContents();
      await page.getByLabel('Term').selectOption('Autumn');
      await expect.poll(() => row(page, 'Attendance').allTextContents()).not.toEqual(before);
      const autumn = await row(page, 'Suspensions').allTextContents();
      await page.getByLabel('Year group').selectOption({ label: 'Year 9' });
      await expect.poll(() => row(page, 'Suspensions').allTextContents()).not.toEqual(autumn);
      expect(await page.locator('h2', { hasText: 'Side by side' }).textContent()).toContain('Autumn term, Year 9');
      // All year groups (y0) on opening, then Year 9's weeks only when Year 9 is chosen; a term changes no part.
      await expect.poll(() => weekParts).toEqual(['y0', 'y9']);

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('says there is nothing to compare when the warehouse holds one school', async () => {
    const { page, context, consoleErrors, close } = await openPage(browser, `${server.url}index`);
    try {
      // Serve the page's data with the first school only, as a one-school warehouse would.
      await context.route(/\/_file\/data\/schools-week\/schools\.[0-9a-f]+\.arrow$/, async (route) => {
        const response = await route.fetch();
        const rows = tableFromIPC(await response.body()).toArray().map((r) => r.toJSON()) as Row[];
        const kept = rows.filter((w) => w.school_id === expected[0].school_id);
        await route.fulfill({ response, body: Buffer.from(arrowFile(kept, Object.keys(rows[0]))) });
      });
      await page.goto(`${server.url}schools`, { waitUntil: 'networkidle' });
      await expect.poll(() => page.locator('p.empty').textContent()).toContain(`one school (${expected[0].school_id})`);
      expect(await page.locator('svg [aria-label="line"]').count()).toBe(0);
      expect(consoleErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
