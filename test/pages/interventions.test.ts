import { describe, expect, it } from 'vitest';
import { browserAvailable, expectCleanLoad, openPage, skipReason } from '../helpers/browser.ts';
import { useDemoSitePages } from '../helpers/page-suite.ts';

describe.skipIf(!browserAvailable)('interventions page (demo school, headless Chromium)', () => {
  const demo = useDemoSitePages();

  it('lists running interventions, draws impact dots with intervals, withholds small groups, and filters change the chart', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(demo.browser, `${demo.server.url}interventions`);
    try {
      await page.waitForSelector('.kpi .big');
      // Interventions by type (bars); impact: dots, interval rules and the zero line.
      await page.waitForSelector('svg [aria-label="bar"] rect');
      await page.waitForSelector('svg [aria-label="dot"] circle');
      // Interval lines and the zero line (a vertical line has no area, so count rather than wait for visibility).
      await expect.poll(() => page.locator('svg [aria-label="rule"] line').count()).toBeGreaterThan(5);
      // Small groups say so in words, never as a dot.
      await expect.poll(() => page.locator('svg text', { hasText: 'too few pupils to say' }).count()).toBeGreaterThan(0);
      await expect.poll(() => page.locator('svg', { hasText: 'fewer incidents' }).count()).toBeGreaterThan(0);
      // The running list names pupils (staff page).
      await page.waitForSelector('form table tbody tr td');

      const heading = page.locator('h2', { hasText: /^Started in \d{4}\/\d{2}$/ });
      const before = await heading.textContent();
      const dotsBefore = await page.locator('svg [aria-label="dot"] circle').evaluateAll((cs) => cs.map((c) => c.getAttribute('cx')));

      const years = await page.getByLabel('Academic year').locator('option').allTextContents();
      expect(years.length).toBeGreaterThan(1);
      await page.getByLabel('Academic year').selectOption({ label: years[1] });
      await expect.poll(() => heading.textContent()).toBe(`Started in ${years[1]}`);
      expect(before).toBe(`Started in ${years[0]}`);
      await expect
        .poll(() => page.locator('svg [aria-label="dot"] circle').evaluateAll((cs) => cs.map((c) => c.getAttribute('cx'))))
        .not.toEqual(dotsBefore);

      // The comparison groups are shown beside the estimates, in the units of the measure chosen.
      const comparisonCard = page.locator('.card', { has: page.locator('h2', { hasText: 'Who they were compared with' }) });
      await expect.poll(() => comparisonCard.locator('tbody tr').count()).toBeGreaterThan(0);
      expect(await comparisonCard.locator('tbody').textContent()).not.toContain('%');

      // Per type, for how many of the interventions with a baseline the estimate speaks, and the
      // baseline of those it does not speak for; the robust estimate beside the mean.
      const reachCard = page.locator('.card', { has: page.locator('h2', { hasText: 'Who each estimate speaks for' }) });
      await expect.poll(() => reachCard.locator('tbody tr').count()).toBeGreaterThan(0);
      expect(await reachCard.locator('tbody').textContent()).toMatch(/\d+ of \d+/);
      await expect.poll(() => page.locator('th', { hasText: 'Relative, robust' }).count()).toBeGreaterThan(0);
      // The estimates table counts pupils (each once), the reach table interventions: each says which,
      // so "198" beside "213 of 230" for the same type is not read as a contradiction.
      const estimatesCard = page.locator('.card', { has: page.locator('h2', { hasText: 'The same estimates as a table' }) });
      expect(await estimatesCard.locator('th').allTextContents()).toContain('Pupils estimated');
      expect(await estimatesCard.locator('p.muted').textContent()).toContain('each counted once');
      expect(await reachCard.locator('th').allTextContents()).toContain('Interventions estimated, of those with a baseline');

      // The measure switch redraws the axis in attendance words, and the comparison in %.
      await page.getByLabel('Attendance: % of possible sessions').check();
      await expect.poll(() => page.locator('svg', { hasText: 'higher attendance' }).count()).toBeGreaterThan(0);
      await expect.poll(() => comparisonCard.locator('tbody').textContent()).toContain('%');

      const schools = await page.getByLabel('School').locator('option').allTextContents();
      expect(schools).toHaveLength(2);

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
