import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/site/serve-static.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { browserAvailable, chooseOption, expectCleanLoad, launch, openPage, skipReason } from '../helpers/browser.ts';
import { serveDemoSite, type DemoSite } from '../helpers/demo-site.ts';
import { TERMLY_SECTION_HEADINGS } from '../helpers/termly-sections.ts';

/** The termly report's data files in the built site (data/termly-impact.HASH.arrow, data/termly-report/*.HASH.arrow). */
function termlyDataFiles(dist: string): string[] {
  const dir = path.join(dist, '_file', 'data');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.startsWith('termly-') && f.endsWith('.arrow'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Every string in an Arrow file: its column names and every text value. */
function arrowStrings(bytes: Uint8Array): Set<string> {
  const table = tableFromIPC(bytes);
  const out = new Set<string>(table.schema.fields.map((f) => f.name));
  for (const row of table.toArray()) for (const v of Object.values(row.toJSON())) if (typeof v === 'string') out.add(v);
  return out;
}

/** A count cell's text is acceptable: hidden, empty, or a whole number of 5 or more. */
const acceptableCount = (text: string) => {
  const t = text.trim();
  if (t === '' || t === '<5' || t === 'suppressed' || t === '–') return true;
  const n = Number(t.replace(/,/g, ''));
  return Number.isFinite(n) && n >= 5;
};

describe.skipIf(!browserAvailable)('termly report page (demo trust, headless Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let site: DemoSite;
  beforeAll(async () => {
    ({ site, server } = await serveDemoSite());
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders every section and its charts offline, with no console errors, and a filter changes what is shown', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}termly-report`);
    try {
      await page.waitForSelector('#termly-ready', { state: 'attached' });
      // Term-by-term lines, weekly lines, bars, risk-ratio dots and the intervention intervals are real SVG marks.
      await page.waitForSelector('#trends svg [aria-label="line"] path');
      await page.waitForSelector('#bsc svg [aria-label="bar"] rect');
      await page.waitForSelector('#attendance svg [aria-label="bar"] rect');
      await page.waitForSelector('#gaps svg [aria-label="dot"] circle');
      // Interval lines are horizontal (zero height: never "visible" to Playwright), so only attached.
      await page.waitForSelector('#interventions svg [aria-label="link"] path', { state: 'attached' });
      const headings = await page.locator('.termly-report .termly-section > h2').allTextContents();
      expect(headings).toEqual(TERMLY_SECTION_HEADINGS);
      await expect.poll(() => page.locator('.termly-report h1').textContent()).toBe('Termly report: DEMO1, Summer 2025/26');
      // The suppression rule is stated on the page.
      expect(await page.locator('.termly-privacy').textContent()).toContain('Aggregate data; counts below 5 suppressed');
      const kpisBefore = await page.locator('.termly-kpis .kpi .big').allTextContents();

      await page.getByLabel('Term').selectOption('Autumn');
      await expect.poll(() => page.locator('.termly-report h1').textContent()).toBe('Termly report: DEMO1, Autumn 2025/26');
      expect(await page.locator('.termly-kpis .kpi .big').allTextContents()).not.toEqual(kpisBefore);
      // The address follows the filters, so the view can be shared or printed.
      expect(new URL(page.url()).searchParams.get('term')).toBe('Autumn');

      const schools = await page.getByLabel('School').locator('option').allTextContents();
      expect(schools).toEqual(['DEMO1', 'DEMO2']);

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('opens the view named in its address (school, year, term)', async () => {
    const { page, consoleErrors, close } = await openPage(browser, `${server.url}termly-report?school=DEMO2&year=2024%2F25&term=spring`);
    try {
      await page.waitForSelector('#termly-ready', { state: 'attached' });
      expect(await page.locator('.termly-report h1').textContent()).toBe('Termly report: DEMO2, Spring 2024/25');
      expect(await page.locator('#termly-ready').getAttribute('data-matched')).toBe('yes');
      expect(consoleErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows no count below 5 in any count cell, in any view', async () => {
    const { page, close } = await openPage(browser, `${server.url}termly-report`);
    try {
      for (const [school, year, term] of [['DEMO1', '2025/26', 'Summer'], ['DEMO2', '2024/25', 'Autumn']]) {
        // Each filter redraws the ones after it; the address says when a choice has taken.
        const inAddress = (key: string, value: string) => async () => new URL(page.url()).searchParams.get(key) === value;
        await chooseOption(page, 'School', school, inAddress('school', school));
        await chooseOption(page, 'Academic year', year, inAddress('year', year));
        await chooseOption(page, 'Term', term, inAddress('term', term));
        await expect.poll(() => page.locator('.termly-report h1').textContent()).toBe(`Termly report: ${school}, ${term} ${year}`);
        const cells = await page.locator('.termly-report td.count').allTextContents();
        expect(cells.length).toBeGreaterThan(50);
        expect(cells.filter((t) => !acceptableCount(t))).toEqual([]);
        // Suppression is visible where it happened (the demo has small groups).
        expect(cells.some((t) => t.trim() === '<5')).toBe(true);
      }
    } finally {
      await close();
    }
  });

  it("writes no pupil id, UPN or name, and no count below 5, into the page's data files", async () => {
    const files = termlyDataFiles(site.dist);
    // The indexes and tables the page names, and one part of figures and of impact per school.
    const names = files.map((f) => path.relative(path.join(site.dist, '_file', 'data'), f).split(path.sep).join('/').replace(/\.[0-9a-f]+\.arrow$/, ''));
    expect(names).toEqual([
      'termly-impact/DEMO1', 'termly-impact/DEMO2', 'termly-impact/index',
      'termly-report/DEMO1', 'termly-report/DEMO2', 'termly-report/figures', 'termly-report/measures', 'termly-report/settings', 'termly-report/term-nationals', 'termly-report/terms',
    ]);
    const pupils = await withWarehouse(
      site.db,
      (c) => queryRows<{ student_id: string; upn: string | null; first_name: string | null; last_name: string | null }>(
        c, 'SELECT DISTINCT student_id, upn, first_name, last_name FROM stg_students'),
      { readOnly: true },
    );
    expect(pupils.length).toBeGreaterThan(500);
    for (const file of files) {
      const text = readFileSync(file, 'latin1');
      const strings = arrowStrings(readFileSync(file));
      // Ids and UPNs are distinctive: not anywhere in the file, even inside another string.
      const ids = pupils.flatMap((p) => [p.student_id, p.upn]).filter((s): s is string => !!s && text.includes(s));
      expect(ids, path.basename(file)).toEqual([]);
      // Names: no pupil whose first and last names both appear as values.
      const named = pupils.filter((p) => p.first_name && p.last_name && strings.has(p.first_name) && strings.has(p.last_name));
      expect(named.map((p) => `${p.first_name} ${p.last_name}`), path.basename(file)).toEqual([]);
      expect([...strings].filter((s) => /^(student_id|upn|first_name|last_name|form|comment|staff)$/.test(s))).toEqual([]);
    }

    // Counts in the figures and in the impact rows: null (suppressed) or 5 and over.
    const rowsOf = (dir: string) => files.filter((f) => f.includes(`${path.sep}${dir}${path.sep}DEMO`)).flatMap((f) => tableFromIPC(readFileSync(f)).toArray().map((r) => r.toJSON() as Record<string, unknown>));
    const figures = rowsOf('termly-report');
    expect(figures.length).toBeGreaterThan(0);
    for (const name of ['count', 'previous_count']) {
      expect(figures.every((r) => name in r), name).toBe(true);
      expect(figures.filter((r) => r[name] !== null && (r[name] as number) < 5)).toEqual([]);
    }
    const impact = rowsOf('termly-impact');
    expect(impact.length).toBeGreaterThan(0);
    expect(impact.filter((r) => ['interventions_started', 'interventions_measured'].some((k) => r[k] !== null && (r[k] as number) < 5))).toEqual([]);
    // Estimates are withheld (not just hidden) below the minimum number of pupils.
    expect(impact.filter((r) => !r.enough_measured && r.negative_did !== null)).toEqual([]);
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
