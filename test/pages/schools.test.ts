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
         FROM mart_yeargroup_week WHERE academic_year = '${latestYear}' GROUP BY school_id`,
      );
      // The page lists schools as a reader counts them (DEMO2 before DEMO10).
      expected.sort((a, b) => a.school_id.localeCompare(b.school_id, 'en-GB', { numeric: true }));
    } finally {
      warehouse.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // The side-by-side table has a row per school and a column per measure: one measure's figures, school by school.
  const column = (page: Page, measure: string) =>
    page.evaluate((m) => {
      const table = document.querySelector('table.schools-table') as HTMLTableElement;
      const at = [...table.tHead!.rows[0].cells].findIndex((c) => c.textContent!.includes(m));
      return [...table.tBodies[0].rows].filter((r) => !r.classList.contains('national')).map((r) => r.cells[at].textContent!.trim());
    }, measure);
  const schoolRows = (page: Page) => page.locator('table.schools-table tbody th[scope="row"]').allTextContents().then((t) => t.map((h) => h.replace('■', '').trim()));

  it('compares the schools side by side and week by week; filters change the figures', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}index`);
    // The weeks' parts (src/page-data/page-parts.ts), not the index that lists them: one per academic year and year group.
    const weekParts: string[] = [];
    page.on('request', (r) => /\/_file\/data\/schools-week\/y\d+\./.test(r.url()) && weekParts.push(r.url().match(/\/(y\d+)\.[0-9a-f]+\.arrow$/)?.[1] ?? r.url()));
    try {
      await page.goto(`${server.url}schools`, { waitUntil: 'networkidle' });
      await page.waitForSelector('table.schools-table');
      expect(await schoolRows(page)).toEqual([...expected.map((e) => e.school_id), 'England (state secondary)']);
      expect(await page.locator('h2', { hasText: 'Side by side' }).textContent()).toContain(latestYear);
      expect(await column(page, 'Attendance')).toEqual(expected.map((e) => e.attendance_pct));
      expect(await column(page, 'Negative events per 100')).toEqual(expected.map((e) => e.negative_per_100));
      // Five trend charts, each a line per school, told apart by colour (two schools: no school picked out).
      await page.waitForSelector('svg [aria-label="line"] path');
      expect(await page.locator('svg [aria-label="line"]').count()).toBe(5);
      expect(await page.locator('svg [aria-label="line"]').first().locator('path').count()).toBe(expected.length);
      expect(await page.getByLabel('Pick out in the charts').count()).toBe(0);

      const before = await column(page, 'Attendance');
      await page.getByLabel('Term').selectOption('Autumn');
      await expect.poll(() => column(page, 'Attendance')).not.toEqual(before);
      const autumn = await column(page, 'Suspensions');
      await page.getByLabel('Year group').selectOption({ label: 'Year 9' });
      await expect.poll(() => column(page, 'Suspensions')).not.toEqual(autumn);
      expect(await page.locator('h2', { hasText: 'Side by side' }).textContent()).toContain('Autumn term, Year 9');
      // All year groups (y0) on opening, then Year 9's weeks only when Year 9 is chosen; a term changes no part.
      await expect.poll(() => weekParts).toEqual(['y0', 'y9']);

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('with more schools than colours (a trust), lists them in order, orders them by a measure and picks one out of the grey lines', async () => {
    const { page, context, consoleErrors, close } = await openPage(browser, `${server.url}index`);
    // Twelve schools: the demo's first school served again as ten more (T1 … T10), each a little
    // worse on attendance than the one before, as a trust's warehouse would give them.
    const clones = Array.from({ length: 10 }, (_, i) => `T${i + 1}`);
    try {
      await context.route(/\/_file\/data\/schools-week\/.*\.arrow$/, async (route) => {
        const response = await route.fetch();
        const table = tableFromIPC(await response.body());
        const columns = table.schema.fields.map((f) => f.name);
        if (!columns.includes('school_id')) return route.fulfill({ response });
        const rows = table.toArray().map((r) => r.toJSON()) as Row[];
        const more = rows
          .filter((r) => r.school_id === expected[0].school_id)
          .flatMap((r) => clones.map((id, i) => ({ ...r, school_id: id, ...(typeof r.attendance_pct === 'number' && { attendance_pct: r.attendance_pct - 0.5 * (i + 1) }) })));
        await route.fulfill({ response, body: Buffer.from(arrowFile([...rows, ...more], columns)) });
      });
      await page.goto(`${server.url}schools`, { waitUntil: 'networkidle' });
      await page.waitForSelector('table.schools-table');
      const ids = [...expected.map((e) => e.school_id), ...clones].sort((a, b) => a.localeCompare(b, 'en-GB', { numeric: true }));
      expect(ids.indexOf('T2')).toBeLessThan(ids.indexOf('T10'));
      expect(await schoolRows(page)).toEqual([...ids, 'England (state secondary)']);
      // No colour swatch where colours would repeat.
      expect(await page.locator('table.schools-table tbody th span').count()).toBe(0);

      // Best attendance first: each clone is worse than the one before it.
      await page.getByLabel('Order schools by').selectOption({ label: 'Attendance (% of possible sessions)' });
      await expect.poll(async () => (await schoolRows(page)).filter((id) => id.startsWith('T'))).toEqual(clones);
      const attendance = (await column(page, 'Attendance')).map(Number);
      expect(attendance).toEqual([...attendance].sort((a, b) => b - a));

      // Every school a grey line (twelve paths), the one picked out drawn again in colour and named at its end.
      const firstChart = page.locator('svg').filter({ has: page.locator('[aria-label="line"]') }).first();
      await expect.poll(() => firstChart.locator('[aria-label="line"]').first().locator('path').count()).toBe(ids.length);
      expect(await firstChart.locator('[aria-label="line"]').nth(1).locator('path').count()).toBe(1);
      expect(await firstChart.locator('[aria-label="text"] text').allTextContents()).toContain(ids[0]);
      await page.getByLabel('Pick out in the charts').selectOption('T7');
      await expect.poll(() => firstChart.locator('[aria-label="text"] text').allTextContents()).toContain('T7');
      expect(await firstChart.locator('[aria-label="text"] text').allTextContents()).not.toContain(ids[0]);
      expect(consoleErrors).toEqual([]);
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
