import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/site/serve-static.ts';
import type { Row } from '../../src/page-data/mart-export.ts';
import { arrowFile } from '../../src/page-data/arrow-file.ts';
import { openWarehouse, queryRows } from '../../src/warehouse/warehouse.ts';
import { browserAvailable, expectCleanLoad, launch, openPage, skipReason } from '../helpers/browser.ts';
import { serveDemoSite } from '../helpers/demo-site.ts';

interface Pupil {
  school_id: string;
  student_id: string;
  first_name: string;
  last_name: string;
  form: string;
  academic_year: string;
  negative_events: number;
  bsc_placements: number;
  detentions_set: number;
  /** mart_pupil_timeline's negative_points_year for the year (the page sums it itself). */
  negative_points: number;
  detail_file: string;
}

// A timeline part: one school, academic year and detail part (b07, or a piece of it: b07-1; in
// the school's latest year, cut by term, t2_b07 or t2_b07-1).
const DETAIL_FILE = /\/_file\/data\/pupil-detail\/(t[1-3]_)?b\d\d(-\d+)?\.[0-9a-f]{12}\.arrow$/;
/** A fetched part's term (0: a year cut whole) and detail file, from its address. */
const partOf = (url: string) => {
  const m = /\/(?:t([1-3])_)?(b\d\d)(?:-\d+)?\.[0-9a-f]{12}\.arrow$/.exec(url);
  return { term: Number(m?.[1] ?? 0), detailFile: m?.[2] ?? '' };
};
const MARKUP_COMMENT = '<img src=x onerror="window.__commentRan = true"><b>bold?</b> & "quoted"';

describe.skipIf(!browserAvailable)('pupil profile page (demo school, headless Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let pupil: Pupil;
  let other: Pupil;
  // A pupil with records in two academic years, and their negative events in each (oldest first).
  let twoYears: { school_id: string; student_id: string; years: string[]; negative: number[] };
  beforeAll(async () => {
    const { site, server: s } = await serveDemoSite();
    server = s;
    browser = await launch();
    const warehouse = await openWarehouse(site.db, { readOnly: true });
    try {
      // The second school's pupil with the most negative events in their latest year (so the
      // link's school, not the first school in the list, is what the page must follow).
      const pupils = await queryRows<Pupil>(
        warehouse.connection,
        `SELECT d.school_id, d.student_id, d.first_name, d.last_name, d.form, d.academic_year, d.detail_file,
           sum(w.negative_events)::INTEGER AS negative_events, sum(w.bsc_placements)::INTEGER AS bsc_placements,
           sum(w.detentions_set)::INTEGER AS detentions_set,
           (SELECT max(t.negative_points_year) FROM mart_pupil_timeline t WHERE t.school_id = d.school_id AND t.student_id = d.student_id
              AND t.academic_year = d.academic_year AND t.kind = 'behaviour')::INTEGER AS negative_points
         FROM mart_pupil_directory d
         JOIN mart_pupil_week w USING (school_id, student_id, academic_year)
         WHERE d.school_id = 'DEMO2'
         GROUP BY ALL ORDER BY negative_events DESC, d.student_id LIMIT 2`,
      );
      [pupil, other] = pupils;
      const [two] = await queryRows<{ school_id: string; student_id: string; years: string[]; negative: number[] }>(
        warehouse.connection,
        `SELECT school_id, student_id, list(academic_year ORDER BY academic_year) AS years, list(negative ORDER BY academic_year) AS negative
         FROM (SELECT school_id, student_id, academic_year, sum(negative_events)::INTEGER AS negative FROM mart_pupil_week GROUP BY ALL)
         GROUP BY ALL HAVING count(*) = 2 AND min(negative) <> max(negative) ORDER BY max(negative) DESC, student_id LIMIT 1`,
      );
      twoYears = two;
    } finally {
      warehouse.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens from a link (pupil?school=…&id=…), fetches only that pupil\'s detail file and shows their year', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}index`);
    const detailRequests: string[] = [];
    page.on('request', (r) => DETAIL_FILE.test(r.url()) && detailRequests.push(r.url()));
    try {
      await page.goto(`${server.url}pupil?school=${pupil.school_id}&id=${pupil.student_id}`, { waitUntil: 'networkidle' });
      const name = page.locator('.pupil-header .big');
      await expect.poll(() => name.textContent()).toBe(`${pupil.first_name} ${pupil.last_name}`);
      expect(await page.getByLabel('School').locator('option:checked').textContent()).toBe(pupil.school_id);
      expect(await page.locator('.pupil-header').textContent()).toContain(`Form ${pupil.form}`);
      // KPI cards agree with the warehouse.
      const kpis = await page.locator('.kpi').allTextContents();
      expect(kpis.find((k) => k.includes('Negative events'))).toContain(String(pupil.negative_events));
      // The year's negative points, summed on the page, are the mart's negative_points_year.
      expect(pupil.negative_points).toBeGreaterThan(0);
      expect(kpis.find((k) => k.includes('Negative events'))).toContain(`${pupil.negative_points.toLocaleString('en-GB')} negative points`);
      expect(kpis.find((k) => k.includes('BSC placements'))).toContain(String(pupil.bsc_placements));
      // The timeline and the weekly attendance are real SVG marks.
      await page.waitForSelector('svg [aria-label="dot"] path, svg [aria-label="dot"] circle');
      await page.waitForSelector('svg [aria-label="rect"] rect');
      // Behaviour events table: one row per event of the year.
      const behaviourCard = page.locator('.card', { has: page.locator('h2', { hasText: 'Behaviour events' }) });
      expect(await behaviourCard.locator('h2').textContent()).toMatch(/\((\d+)\)/);
      // Only the timeline parts holding this pupil's year were fetched: of their detail file, one
      // for a year cut whole, at most one a term for the school's latest year.
      const fetched = [...new Set(detailRequests)].map(partOf);
      expect(fetched.length).toBeGreaterThan(0);
      expect(fetched.every((f) => f.detailFile === pupil.detail_file)).toBe(true);
      expect(new Set(fetched.map((f) => f.term)).size).toBe(fetched.length);
      expect(fetched.length === 1 || fetched.every((f) => f.term > 0)).toBe(true);
      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('fetches only the year on screen, and the other year\'s part when the year is switched', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}index`);
    const detailRequests: string[] = [];
    page.on('request', (r) => DETAIL_FILE.test(r.url()) && detailRequests.push(r.url()));
    try {
      const { school_id, student_id, years, negative } = twoYears;
      await page.goto(`${server.url}pupil?school=${school_id}&id=${student_id}`, { waitUntil: 'networkidle' });
      const negativeCard = () => page.locator('.kpi', { hasText: 'Negative events' }).locator('.big').textContent();
      // Opens on the latest year, having fetched that year's parts only (one a term: it is the
      // school's latest year, cut by term).
      await expect.poll(negativeCard).toBe(String(negative[1]));
      expect(await page.getByLabel('Academic year').locator('option').allTextContents()).toEqual([years[1], years[0]]);
      const latest = new Set(detailRequests);
      expect(latest.size).toBeGreaterThan(0);
      expect([...latest].every((url) => partOf(url).term > 0)).toBe(true);
      // The other year: its own part (the year cut whole), and its figures.
      await page.getByLabel('Academic year').selectOption(years[0]);
      await expect.poll(negativeCard).toBe(String(negative[0]));
      expect(new Set(detailRequests).size).toBe(latest.size + 1);
      expect(partOf([...new Set(detailRequests)].at(-1) as string).term).toBe(0);
      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('finds another pupil with the search, and the address follows the pupil on screen', async () => {
    const { page, consoleErrors, failedRequests, close } = await openPage(browser, `${server.url}pupil?school=${pupil.school_id}&id=${pupil.student_id}`);
    try {
      const name = page.locator('.pupil-header .big');
      await expect.poll(() => name.textContent()).toBe(`${pupil.first_name} ${pupil.last_name}`);
      const kpisBefore = await page.locator('.kpi .big').allTextContents();
      await page.getByLabel('Find a pupil').fill(other.student_id);
      await expect.poll(() => name.textContent()).toBe(`${other.first_name} ${other.last_name}`);
      await expect.poll(() => page.evaluate(() => location.search)).toBe(`?school=${other.school_id}&id=${other.student_id}`);
      expect(await page.locator('.kpi .big').allTextContents()).not.toEqual(kpisBefore);
      // A search that matches nobody says so.
      await page.getByLabel('Find a pupil').fill('zzzz no such pupil');
      await expect.poll(() => page.locator('.pupil-header').textContent()).toContain('No pupil matches the search');
      // A link to a pupil the data does not hold says so instead of quietly showing someone else.
      await page.goto(`${server.url}pupil?school=${pupil.school_id}&id=NO-SUCH-PUPIL`, { waitUntil: 'networkidle' });
      await expect.poll(() => page.locator('p.empty').first().textContent()).toContain('The link asked for pupil NO-SUCH-PUPIL');
      // A link naming a school the data does not hold opens on the first school: when that school
      // has the same pupil id, the page says whose profile it is, not that the pupil is missing.
      await page.goto(`${server.url}pupil`, { waitUntil: 'networkidle' });
      await expect.poll(() => page.evaluate(() => new URLSearchParams(location.search).get('id'))).not.toBeNull();
      const first = await page.evaluate(() => Object.fromEntries(new URLSearchParams(location.search)));
      await page.goto(`${server.url}pupil?school=NO-SUCH-SCHOOL&id=${first.id}`, { waitUntil: 'networkidle' });
      await expect.poll(() => page.locator('.pupil-header').textContent()).toContain(`pupil id ${first.id} · ${first.school}`);
      await expect.poll(() => page.locator('p.empty').first().textContent()).toBe(
        `The link named the school NO-SUCH-SCHOOL, which is not in the data: this is pupil ${first.id} at ${first.school}. Check it is the pupil you meant.`,
      );
      expect(consoleErrors).toEqual([]);
      expect(failedRequests).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows a behaviour comment holding markup as literal text, never as HTML', async () => {
    const { page, context, consoleErrors, close } = await openPage(browser, `${server.url}index`);
    try {
      // Rewrite the pupil's detail files on their way to the browser: the newest behaviour event of
      // the first to come now carries a comment with markup, as a free-text export column could.
      let planted = false;
      await context.route(DETAIL_FILE, async (route) => {
        const response = await route.fetch();
        const rows = tableFromIPC(new Uint8Array(await response.body())).toArray().map((r) => r.toJSON() as Row);
        const events = rows.filter((r) => r.student_id === pupil.student_id && r.school_id === pupil.school_id && r.kind === 'behaviour' && r.academic_year === pupil.academic_year);
        const newest = events.sort((a, b) => `${b.date}${b.time}`.localeCompare(`${a.date}${a.time}`))[0];
        // Once: the latest year comes in a part a term.
        if (newest && !planted) {
          newest.comment = MARKUP_COMMENT;
          planted = true;
        }
        await route.fulfill({ response, body: Buffer.from(arrowFile(rows, Object.keys(rows[0] ?? {}))) });
      });
      await page.goto(`${server.url}pupil?school=${pupil.school_id}&id=${pupil.student_id}`, { waitUntil: 'networkidle' });
      const comment = page.locator('td.comment', { hasText: 'bold?' });
      await comment.waitFor();
      expect(planted).toBe(true);
      expect(await comment.textContent()).toBe(MARKUP_COMMENT);
      expect(await comment.locator('img, b').count()).toBe(0);
      expect(await page.locator('#observablehq-main img[src="x"]').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __commentRan?: boolean }).__commentRan)).toBeUndefined();
      expect(consoleErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
