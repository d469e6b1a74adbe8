import { describe, expect, it } from 'vitest';
import { browserAvailable, expectCleanLoad, openPage, skipReason } from '../helpers/browser.ts';
import { useDemoSitePages } from '../helpers/page-suite.ts';

describe.skipIf(!browserAvailable)('weekly behaviour review page (demo school, headless Chromium)', () => {
  const demo = useDemoSitePages();

  it('renders its KPIs and charts offline, with no console errors, and a filter changes what is shown', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(demo.browser, `${demo.server.url}weekly-review`);
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

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('opens on the last complete school week; a partial final week says so and is compared per school day', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(demo.browser, `${demo.server.url}weekly-review`);
    try {
      await page.waitForSelector('.kpi .big');
      const weekSelect = page.getByLabel('Week commencing');
      const options = await weekSelect.locator('option').allTextContents();
      // The demo's latest year ends two days into a week (the end of the summer term): that week
      // is listed last, marked partial.
      expect(options.at(-1)).toMatch(/^\d{2}\/\d{2}\/\d{4} \(week \d+, \w+, partial: [1-4] school days?\)$/);
      // It opens on the last complete week (five school days), compared with whole weeks.
      const lastComplete = options.findLast((o) => !o.includes('partial'));
      expect(lastComplete).toMatch(/^\d{2}\/\d{2}\/\d{4} \(week \d+, \w+\)$/);
      const selected = await weekSelect.evaluate((s: HTMLSelectElement) => s.selectedOptions[0].textContent);
      expect(selected).toBe(lastComplete);
      const heading = page.locator('h2', { hasText: 'week commencing' }).first();
      expect(await heading.textContent()).not.toContain('partial');
      expect(await page.locator('.partial-week').count()).toBe(0);
      expect(await page.locator('.kpi-compare').allTextContents()).toContainEqual(expect.stringContaining('vs last week (per 100)'));

      // Choosing the partial week: the page says so, and compares per school day.
      await weekSelect.selectOption({ label: options.at(-1)! });
      await expect.poll(() => heading.textContent()).toMatch(/— partial week$/);
      const days = Number(options.at(-1)!.match(/partial: (\d) school day/)![1]);
      const note = page.locator('.partial-week');
      // The term ended (calendar.csv): the school closed, the data did not stop short.
      await expect.poll(() => note.textContent()).toContain(`this week had ${days} school day`);
      expect(await note.textContent()).toMatch(/the last on (Monday|Tuesday|Wednesday|Thursday) \d{2}\/\d{2}\/\d{4}\); the school was closed on the other weekdays/);
      expect(await note.textContent()).toContain(`The last complete week is w/c ${lastComplete!.slice(0, 10)}`);
      const compare = await page.locator('.kpi-compare').allTextContents();
      expect(compare.some((t) => t.includes('vs last week (per 100 per school day)'))).toBe(true);
      expect(compare.some((t) => t.includes('vs term so far (per 100 per school day)'))).toBe(true);
      expect(compare.some((t) => t.includes('vs last week (per 100)'))).toBe(false);
      expect(await page.locator('.kpi-detail').first().textContent()).toMatch(/per 100 pupils per school day \(\d school days?\)$/);
      // The trend chart labels the partial week.
      expect(await page.locator('svg text', { hasText: /^partial week \(\d days?\)$/ }).count()).toBe(1);

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('lists the pupils of concern with sparklines and profile links, and who is new on the watchlist', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(demo.browser, `${demo.server.url}index`);
    const pupilListFiles: string[] = [];
    const hotspotFiles: string[] = [];
    // The parts (src/page-data/page-parts.ts), not the index that lists them.
    page.on('request', (r) => /\/_file\/data\/weekly-review-pupils\/(?!index\.)/.test(r.url()) && pupilListFiles.push(r.url()));
    page.on('request', (r) => /\/_file\/data\/hotspots\/(?!index\.)/.test(r.url()) && hotspotFiles.push(r.url()));
    try {
      await page.goto(`${demo.server.url}weekly-review`, { waitUntil: 'networkidle' });
      const concernCard = page.locator('.card', { has: page.locator('h2', { hasText: 'Pupils of concern this week' }) });
      const watchlistCard = page.locator('.card', { has: page.locator('h2', { hasText: 'New on the watchlist this week' }) });
      await concernCard.waitFor();
      // A full school week in the spring term: the demo school always has pupils of concern then.
      const weekSelect = page.getByLabel('Week commencing');
      const chooseSpringWeek = async () => {
        const spring = (await weekSelect.locator('option').allTextContents()).find((t) => /week 2\d, Spring/.test(t));
        expect(spring).toBeDefined();
        await weekSelect.selectOption({ label: spring! });
      };
      await chooseSpringWeek();
      const rows = concernCard.locator('tbody tr');
      await expect.poll(() => rows.count()).toBeGreaterThan(0);
      expect(await rows.count()).toBeLessThanOrEqual(10);
      // Each row: a sparkline of real SVG marks and a link to the pupil's profile.
      expect(await rows.first().locator('svg.sparkline polyline').count()).toBe(1);
      const href = await rows.first().locator('a.pupil-link').getAttribute('href');
      expect(href).toMatch(/^\.\/pupil\?school=DEMO1&id=[^&]+$/);
      const counts = (await rows.locator('td:nth-child(3) strong').allTextContents()).map(Number);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      // The watchlist section shows its table or says why it is empty.
      expect(await watchlistCard.locator('tbody tr, p.empty').count()).toBeGreaterThan(0);

      // Another year group: its own list, from its own file.
      const namesBefore = await rows.locator('a.pupil-link').allTextContents();
      await page.getByLabel('Year group').selectOption({ label: 'Year 10' });
      await expect.poll(() => concernCard.locator('h2').textContent()).toContain('Year 10');
      await chooseSpringWeek();
      await expect.poll(() => rows.count()).toBeGreaterThan(0);
      await expect.poll(async () => (await rows.locator('a.pupil-link').allTextContents()).join()).not.toBe(namesBefore.join());
      // Only the two year groups shown were fetched (pupil lists and hotspots).
      // Each once: changing the week (twice above) must not fetch the year group's files again.
      const yearGroupsFetched = (urls: string[]) => urls.map((u) => u.match(/\/(y\d+)\.[0-9a-f]+\.arrow$/)?.[1]);
      expect(yearGroupsFetched(pupilListFiles)).toEqual(['y9', 'y10']);
      expect(yearGroupsFetched(hotspotFiles)).toEqual(['y9', 'y10']);

      // The link opens the pupil's profile.
      // Read the name and click in one step in the page: the list may re-render in between
      // (the week change above redraws it), and the test must open the pupil it read.
      const name = await rows.first().locator('a.pupil-link').evaluate((a: HTMLAnchorElement) => {
        a.click();
        return a.textContent;
      });
      await page.waitForURL(/\/pupil\?school=/);
      await expect.poll(() => page.locator('.pupil-header .big').textContent()).toBe(name);

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('the category, location and subject bars add up to the week\'s negative events (beyond 10, an "Other" bar); watchlist scores to 1 dp', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(demo.browser, `${demo.server.url}weekly-review`);
    try {
      await page.waitForSelector('.kpi .big');
      const weekSelect = page.getByLabel('Week commencing');
      const heading = page.locator('h2', { hasText: 'week commencing' }).first();
      const watchlistCard = page.locator('.card', { has: page.locator('h2', { hasText: 'New on the watchlist this week' }) });
      const wholeWeeks = (await weekSelect.locator('option').allTextContents()).filter((o) => !o.includes('partial'));
      const barTotal = async (label: string) =>
        (await page.locator(`svg[aria-label="${label}"] [aria-label="text"] text`).allTextContents()).reduce((n, t) => n + Number(t), 0);
      let others = 0;
      let scores = 0;
      // The year's last whole weeks, newest first, until a week has more than 10 labels in a breakdown.
      for (const week of wholeWeeks.slice(-12).reverse()) {
        await weekSelect.selectOption({ label: week });
        await expect.poll(() => heading.textContent()).toContain(week.slice(0, 10));
        const events = Number((await page.locator('.kpi .big').first().textContent())!.replace(/,/g, ''));
        if (events === 0) continue;
        await page.waitForSelector('svg[aria-label="Subjects"] [aria-label="text"] text');
        for (const label of ['Categories', 'Locations', 'Subjects']) expect(await barTotal(label), `${label}, w/c ${week}`).toBe(events);
        others += await page.locator('svg [aria-label="y-axis tick label"] text', { hasText: /^Other (categories|locations|subjects) \(\d+\)$/ }).count();
        const weekScores = await watchlistCard.locator('tbody td:nth-child(4)').allTextContents();
        for (const score of weekScores) expect(score).toMatch(/^\d+\.\d$/);
        scores += weekScores.length;
        if (others > 0 && scores > 0) break;
      }
      // The weeks looked at had a breakdown of more than 10 labels, and pupils new on the watchlist.
      expect(others).toBeGreaterThan(0);
      expect(scores).toBeGreaterThan(0);
      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
