import { describe, expect, it } from 'vitest';
import { openWarehouse, queryRows } from '../../src/warehouse/warehouse.ts';
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

  it('shows the three-way backtest (the list and two naive rules) on the test weeks: hit rate, recall and lift, as the warehouse has them', async () => {
    const warehouse = await openWarehouse(demo.site.db, { readOnly: true });
    let expected: { rule: string; hit: number; recall: number; lift: number }[];
    try {
      expected = await queryRows(warehouse.connection, `
        SELECT rule, 100.0 * sum(picked_with_outcome) / sum(picked) AS hit, 100.0 * sum(picked_with_outcome) / sum(pupils_with_outcome) AS recall,
          (sum(picked_with_outcome) / sum(picked)) / (sum(pupils_with_outcome) / sum(pupils_on_roll)) AS lift
        FROM mart_watchlist_backtest WHERE school_id = 'DEMO1' AND period = 'test' GROUP BY rule ORDER BY min(rule_order)`);
    } finally {
      warehouse.close();
    }
    const { page, consoleErrors, close } = await openPage(demo.browser, `${demo.server.url}watchlist`);
    try {
      const rows = page.locator('table.backtest-summary tbody tr');
      await rows.first().waitFor();
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-rule')))).toEqual(['watchlist', 'recent_negatives', 'bsc_this_year']);
      const fmt = (v: number) => v.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
      for (let i = 0; i < 3; i++) {
        const cells = (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
        expect(cells.slice(1, 4)).toEqual([`${fmt(expected[i].hit)}%`, `${fmt(expected[i].recall)}%`, `${fmt(expected[i].lift)}×`]);
      }
      // The verdict says plainly whether the list beat both naive rules on the test weeks.
      const beats = expected.slice(1).every((n) => expected[0].hit > n.hit && expected[0].recall > n.recall);
      await expect.poll(() => page.locator('p.verdict').textContent()).toMatch(beats ? /the watchlist's top 20 went on/ : /does not beat the naive rules/);
      // It names the better naive rule in words.
      expect(await page.locator('p.verdict').textContent()).toMatch(/most negative events in 6 weeks|most BSC placements this year/);
      expect(consoleErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
