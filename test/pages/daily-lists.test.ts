import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import { arrowFile } from '../../src/page-data/arrow-file.ts';
import type { Row } from '../../src/page-data/mart-export.ts';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Plain JavaScript shared with the page: the same function the download button uses.
import { excelSafeCell, toExcelSafeCsv } from '../../reports/components/csv-download.js';
import type { StaticServer } from '../../src/site/serve-static.ts';
import { openWarehouse, queryRows } from '../../src/warehouse/warehouse.ts';
import { browserAvailable, expectCleanLoad, launch, openPage, skipReason } from '../helpers/browser.ts';
import { serveDemoSite, type DemoSite } from '../helpers/demo-site.ts';

describe('csv-download.js: CSV that opens safely in Excel', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","Click")', `'=HYPERLINK("http://evil.example","Click")`],
    ['-2+3', "'-2+3"],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['-2', '-2'],
    ['+3.5', '+3.5'],
    [-4, '-4'],
    ['Lateness to lesson', 'Lateness to lesson'],
    ['a=b', 'a=b'],
    [null, ''],
    [undefined, ''],
  ])('excelSafeCell(%j) → %j', (input, expected) => {
    expect(excelSafeCell(input)).toBe(expected);
  });

  it('writes a BOM, CRLF lines, readable headers, quotes and neutralised cells', () => {
    const csv = toExcelSafeCsv(
      [
        { name: 'Ní Bhriain, Aoife', reason: '=HYPERLINK("http://evil.example","x")', minutes: 30 },
        { name: 'Line\nbreak', reason: '-2+3', minutes: -5 },
      ],
      [{ key: 'name', label: 'Pupil' }, 'reason', { key: 'minutes', label: 'Minutes' }],
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'Pupil,reason,Minutes',
      '"Ní Bhriain, Aoife","\'=HYPERLINK(""http://evil.example"",""x"")",30',
      '"Line\nbreak",\'-2+3,-5',
      '',
    ]);
  });
});

interface DetentionRow {
  date: string;
  n: number;
}

describe.skipIf(!browserAvailable)('daily lists page (demo school, headless Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let site: DemoSite;
  let latest: DetentionRow;
  let bscOnLatest: number;
  let statementsOnLatest: { event_id: string; school_days_waiting: number }[];
  beforeAll(async () => {
    ({ site, server } = await serveDemoSite());
    browser = await launch();
    const warehouse = await openWarehouse(site.db, { readOnly: true });
    try {
      [latest] = await queryRows<DetentionRow>(
        warehouse.connection,
        `SELECT date::VARCHAR AS date, count(*)::INTEGER AS n FROM mart_detention_list WHERE school_id = 'DEMO1'
         GROUP BY date ORDER BY date DESC LIMIT 1`,
      );
      [{ n: bscOnLatest }] = await queryRows<{ n: number }>(
        warehouse.connection,
        `SELECT count(*)::INTEGER AS n FROM mart_bsc_register WHERE school_id = 'DEMO1' AND date = '${latest.date}'`,
      );
      statementsOnLatest = await queryRows<{ event_id: string; school_days_waiting: number }>(
        warehouse.connection,
        `SELECT event_id, school_days_waiting FROM mart_statements_waiting WHERE school_id = 'DEMO1' AND list_date = '${latest.date}'
         ORDER BY date, time, last_name, first_name`,
      );
    } finally {
      warehouse.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const detentionRows = (page: Page) => page.locator('section.print-section h3 + .table-scroll table tbody tr');
  const bscTable = (page: Page) => page.locator('section.print-section', { hasText: 'BSC register' }).locator('table tbody tr');

  async function download(page: Page, button: RegExp): Promise<string> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    return readFileSync(await file.path(), 'utf-8');
  }

  it('shows the latest day with detentions, by session, and the BSC register; a date change changes them', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, `${server.url}index`);
    const monthFiles: string[] = [];
    page.on('request', (r) => /\/daily-lists\/m\d\d\.[0-9a-f]+\.arrow$/.test(r.url()) && monthFiles.push(r.url()));
    try {
      await page.goto(`${server.url}daily-lists`);
      const heading = page.locator('h2', { hasText: 'Detentions —' });
      await heading.waitFor();
      const [y, m, d] = latest.date.split('-').map(Number);
      const longDate = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
      expect(await heading.textContent()).toContain(longDate);
      expect(await detentionRows(page).count()).toBe(latest.n);
      expect(await bscTable(page).count()).toBe(bscOnLatest);
      // Sessions in school-day order, each its own table.
      const sessions = (await page.locator('section.print-section h3').allTextContents()).map((t) => t.split(' — ')[0]);
      const order = ['Break', 'Lunch', 'After school', 'SLT detention'];
      expect(sessions.filter((s) => order.includes(s))).toEqual(order.filter((s) => sessions.includes(s)));

      const before = await heading.textContent();
      const dateSelect = page.getByLabel('Date');
      await dateSelect.selectOption({ index: 3 });
      await expect.poll(() => heading.textContent()).not.toBe(before);
      await dateSelect.selectOption({ index: 4 });
      await expect.poll(() => heading.textContent()).not.toBe(before);
      // Each month's file is fetched once, however many of its days are chosen.
      expect(monthFiles.length).toBeGreaterThan(0);
      expect(new Set(monthFiles).size).toBe(monthFiles.length);

      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });

  it('lists the incidents still waiting for a statement, oldest first, and downloads them as CSV', async () => {
    const { page, consoleErrors, close } = await openPage(browser, `${server.url}daily-lists`);
    try {
      const section = page.locator('section.print-section', { has: page.locator('h2', { hasText: 'Statements still waiting —' }) });
      await section.waitFor();
      // The demo's latest day has incidents still waiting (serious ones without a statement).
      expect(statementsOnLatest.length).toBeGreaterThan(0);
      const rows = section.locator('table tbody tr');
      await expect.poll(() => rows.count()).toBe(statementsOnLatest.length);
      const waiting = await rows.locator('td:last-child').allTextContents();
      expect(waiting.map((t) => t.trim())).toEqual(
        statementsOnLatest.map((s) => (s.school_days_waiting === 0 ? 'today' : `${s.school_days_waiting} school day${s.school_days_waiting === 1 ? '' : 's'}`)),
      );
      expect(await section.locator('p.muted').textContent()).toMatch(/In this school week: \d+ of \d+ such incidents? \(\d+%\) had a statement the same school day/);
      const csv = await download(page, /Download statements waiting as CSV/);
      expect(csv.startsWith('\uFEFF')).toBe(true);
      const lines = csv.slice(1).trimEnd().split('\r\n');
      expect(lines[0]).toBe('List date,Incident date,Time,Surname,First name,Form,Year,Category,Severity,Why a statement,Location,Staff,School days waiting,Incident id,Pupil id');
      expect(lines.slice(1).map((l) => l.split(',').at(-2))).toEqual(statementsOnLatest.map((s) => s.event_id));
      expect(consoleErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('downloads the lists as CSV with a BOM, one line per row', async () => {
    const { page, consoleErrors, close } = await openPage(browser, `${server.url}daily-lists`);
    try {
      await page.locator('h2', { hasText: 'Detentions —' }).waitFor();
      const detentions = await download(page, /Download detentions as CSV/);
      expect(detentions.startsWith('\uFEFF')).toBe(true);
      const lines = detentions.slice(1).trimEnd().split('\r\n');
      expect(lines[0]).toBe('Date,Session,Surname,First name,Form,Year,Minutes,Reason,Issued by,Status,Pupil id');
      expect(lines).toHaveLength(latest.n + 1);
      const bsc = await download(page, /Download BSC register as CSV/);
      expect(bsc.slice(1).trimEnd().split('\r\n')).toHaveLength(bscOnLatest + 1);
      expect(consoleErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('neutralises formulas in the downloaded CSV and shows them as plain text on the page', async () => {
    const { page, consoleErrors, close } = await openPage(browser, `${server.url}daily-lists`);
    try {
      // Plant hostile values in the month file the page fetches, as a school's export could carry them.
      await page.route(/\/_file\/data\/daily-lists\/m\d\d\.[0-9a-f]+\.arrow$/, async (route) => {
        const response = await route.fetch();
        const month = tableFromIPC(new Uint8Array(await response.body())).toArray().map((r) => r.toJSON() as Row);
        for (const row of month) {
          if (row.list === 'detentions' && row.school_id === 'DEMO1' && row.date === latest.date) {
            row.reason = '=HYPERLINK("http://evil.example","Click me")';
            row.issued_by = '-2+3';
            row.last_name = '@SUM(1+1)';
            // The starts the shared rule (reports/components/excel-safe.js) closed: full-width, pipe.
            row.first_name = '＝1+1';
            row.form = '|calc';
          }
        }
        await route.fulfill({ response, body: Buffer.from(arrowFile(month, Object.keys(month[0] ?? {}))) });
      });
      await page.reload({ waitUntil: 'networkidle' });
      await page.locator('h2', { hasText: 'Detentions —' }).waitFor();
      const firstRow = detentionRows(page).first();
      await expect.poll(() => firstRow.textContent()).toContain('=HYPERLINK("http://evil.example","Click me")');

      const csv = await download(page, /Download detentions as CSV/);
      const rows = csv.slice(1).trimEnd().split('\r\n').slice(1);
      expect(rows).toHaveLength(latest.n);
      for (const row of rows) {
        expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""Click me"")"`);
        expect(row).toContain(",'-2+3,");
        expect(row).toContain(",'@SUM(1+1),'＝1+1,'|calc,");
        // No cell starts with a formula character.
        expect(row.split(',').some((cell) => /^[=+\-@|＝]/.test(cell))).toBe(false);
      }
      expect(consoleErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('prints one list per page with no sidebar, filters or buttons', async () => {
    const { page, close } = await openPage(browser, `${server.url}daily-lists`);
    try {
      await page.locator('h2', { hasText: 'Detentions —' }).waitFor();
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#observablehq-sidebar').isVisible()).toBe(false);
      expect(await page.getByLabel('Date').isVisible()).toBe(false);
      const buttons = await page.locator('button.csv-download, button.print-button').all();
      expect(buttons.length).toBeGreaterThanOrEqual(3);
      for (const button of buttons) expect(await button.isVisible()).toBe(false);
      // The lists themselves still print.
      expect(await detentionRows(page).first().isVisible()).toBe(true);
      const breaks = await page.locator('section.print-section').evaluateAll((sections) =>
        sections.map((s) => ({ first: s.classList.contains('first'), breakBefore: getComputedStyle(s).breakBefore })),
      );
      expect(breaks.length).toBeGreaterThanOrEqual(3);
      for (const b of breaks.filter((x) => !x.first)) expect(b.breakBefore).toBe('page');
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await close();
    }
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
