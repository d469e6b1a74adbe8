/**
 * Pages cannot run what the data says: every page of a staff site built from an export whose
 * every free-text field (names, forms, staff, categories, reasons, outcomes, comments) holds
 * script, event-handler and `javascript:` payloads loads with no dialog, no injected element,
 * no script flag set, no Content-Security-Policy violation and no request to another host;
 * and the payloads are on screen as text (so the check is not vacuous).
 */
import { readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTL_PLACEHOLDER_HASHES, metaPolicy } from '../../src/site/csp.ts';
import { serveStatic, type StaticServer } from '../../src/site/serve-static.ts';
import { BUILD_STATE_DIR } from '../../src/page-data/build-state.ts';
import { openWarehouse, queryRows } from '../../src/warehouse/warehouse.ts';
import { browserAvailable, expectCleanLoad, launch, openPage, skipReason } from '../helpers/browser.ts';
import type { DemoSite } from '../helpers/demo-site.ts';
import { payloadSite } from '../helpers/payload-site.ts';
import { hashPassword } from '../../src/site/serve-auth.ts';
import { readFileSync } from 'node:fs';

interface Findings {
  dialogs: string[];
  violations: string[];
  injected: string[];
  flag: unknown;
  javascriptLinks: number;
  frames: number;
  shownAsText: boolean;
}

/** Records dialogs and CSP violations from the very first script of the page. */
async function watch(page: Page, dialogs: string[]): Promise<void> {
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
}

async function findings(page: Page, dialogs: string[]): Promise<Findings> {
  // Let the cells that render data finish (charts and tables appear after their files load).
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1000);
  const seen = await page.evaluate(() => {
    const w = window as unknown as { __violations: string[]; __xss?: unknown };
    return {
      violations: w.__violations,
      injected: [...document.querySelectorAll('[data-xss]')].map((e) => e.outerHTML.slice(0, 120)),
      flag: w.__xss ?? null,
      javascriptLinks: [...document.querySelectorAll('a[href], area[href], iframe[src], form[action]')].filter((e) =>
        /^\s*javascript:/i.test(e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? ''),
      ).length,
      frames: document.querySelectorAll('iframe, object, embed').length,
      shownAsText: (document.body.innerText ?? '').includes('data-xss'),
    };
  });
  return { dialogs: [...dialogs], ...seen };
}

describe.skipIf(!browserAvailable)('free-text payloads on every staff page (headless Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let site: DemoSite;
  let pages: string[];
  let pupilUrl: string;
  beforeAll(async () => {
    site = await payloadSite();
    server = await serveStatic(site.dist);
    browser = await launch();
    pages = readdirSync(site.dist, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.html') && !f.startsWith('_'))
      .map((f) => f.split(path.sep).join('/').replace(/(^|\/)index\.html$/, '$1').replace(/\.html$/, ''))
      .sort();
    const warehouse = await openWarehouse(site.db, { readOnly: true });
    try {
      // The pupil with the most negative events: their profile lists comments, staff, actions.
      const [p] = await queryRows<{ school_id: string; student_id: string }>(
        warehouse.connection,
        `SELECT school_id, student_id FROM mart_pupil_week GROUP BY ALL ORDER BY sum(negative_events) DESC, student_id LIMIT 1`,
      );
      pupilUrl = `pupil?${new URLSearchParams({ school: p.school_id, id: p.student_id })}`;
    } finally {
      warehouse.close();
    }
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('every page of the build carries the Content-Security-Policy', () => {
    expect(pages.length).toBeGreaterThanOrEqual(10);
    for (const page of pages) {
      const html = readFileSync(path.join(site.dist, page === '' ? 'index.html' : page.endsWith('/') ? `${page}index.html` : `${page}.html`), 'utf8');
      const policy = metaPolicy(html);
      expect(policy, page).toMatch(/^default-src 'self'; script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+ 'unsafe-hashes'/);
      expect(policy, page).not.toContain('unsafe-eval');
      const scripts = policy?.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
      expect(scripts, page).not.toContain('unsafe-inline');
      // Handler attributes: only htl's placeholders (::0 … ::49), which cannot run as JavaScript.
      expect(scripts.split("'unsafe-hashes'")[1].trim().split(' '), page).toEqual([...HTL_PLACEHOLDER_HASHES]);
    }
  });

  it('no page runs, injects or fetches anything a payload asks for', async () => {
    const shown: string[] = [];
    for (const target of [...pages, pupilUrl]) {
      const dialogs: string[] = [];
      const opened = await openPage(browser, `${server.url}${target}`, { prepare: (page) => watch(page, dialogs) });
      try {
        const found = await findings(opened.page, dialogs);
        expect(found.dialogs, target).toEqual([]);
        expect(found.violations, target).toEqual([]);
        expect(found.injected, target).toEqual([]);
        expect(found.flag, target).toBeNull();
        expect(found.javascriptLinks, target).toBe(0);
        expect(found.frames, target).toBe(0);
        expectCleanLoad(opened);
        if (found.shownAsText) shown.push(target);
      } finally {
        await opened.close();
      }
    }
    // The payloads reached the pages, as text: names on the staff lists, comments on the profile.
    for (const page of ['weekly-review', 'watchlist', 'daily-lists', pupilUrl]) expect(shown, page).toContain(page);
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});

/** One request, the path sent as written (node:http); with `form`, a POST of that form. */
function get(url: string, rawPath: string, headers: Record<string, string> = {}, form?: string): Promise<{ status: number; body: string; cookie?: string }> {
  const u = new URL(url);
  const method = form === undefined ? 'GET' : 'POST';
  const allHeaders = form === undefined ? headers : { ...headers, 'content-type': 'application/x-www-form-urlencoded' };
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: u.hostname, port: u.port, path: rawPath, method, headers: allHeaders, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), cookie: res.headers['set-cookie']?.[0]?.split(';')[0] }));
    });
    req.on('error', reject);
    req.end(form);
  });
}

describe('the staff build behind a login', () => {
  let site: DemoSite;
  let server: StaticServer;
  const PASSWORD = 'staff password for the test';
  beforeAll(async () => {
    site = await payloadSite();
    server = await serveStatic(site.dist, { password: await hashPassword(PASSWORD) });
  }, 900_000);
  afterAll(() => server?.close());

  it('answers 401 for every file of the build without a session, and serves each one with a session (its build state to no one)', async () => {
    const files = (readdirSync(site.dist, { recursive: true, encoding: 'utf8' }) as string[])
      .filter((f) => statSync(path.join(site.dist, f)).isFile())
      .map((f) => `/${f.split(path.sep).map(encodeURIComponent).join('/')}`);
    expect(files.filter((f) => f.startsWith('/_file/')).length).toBeGreaterThan(10);
    for (const file of files) {
      const reply = await get(server.url, file);
      expect(reply.status, file).toBe(401);
      expect(reply.body.length, file).toBeLessThan(2000);
    }
    const login = await get(server.url, '/_pastoral/login', {}, new URLSearchParams({ password: PASSWORD, next: '/' }).toString());
    expect(login.status).toBe(303);
    // Every file is served with a session, but the build's own state (the timelines' fingerprints
    // for the next build: src/page-data/timeline-reuse.ts), which is never served to anyone.
    const state = files.filter((f) => f.startsWith(`/${BUILD_STATE_DIR}/`));
    expect(state.length).toBeGreaterThan(0);
    for (const file of files) {
      const status = (await get(server.url, file, { cookie: login.cookie ?? '' })).status;
      expect(status, file).toBe(state.includes(file) ? 403 : 200);
    }
  });
});
