/**
 * Prints the termly report for SLT and governors (reports/termly-report.md) to an A4 PDF: serves
 * a built site on 127.0.0.1, opens the page in headless Chromium with the chosen school, year and
 * term in its address, waits until every chart has drawn, and prints with page.pdf. Nothing is
 * fetched from anywhere but the local server.
 *
 *   const printed = await printTermlyPdf({ dist: 'dist', pdf: 'autumn.pdf', view: { term: 'Autumn' }, chromiumPath });
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { serveStatic } from '../site/serve-static.ts';
import { launchChromium } from './chromium.ts';
import { pdfPageCount } from './pdf-pages.ts';

/** Which report: the term is required; the page picks the latest year with that term, and the first school, when not given. */
export interface TermlyView {
  term: string;
  year?: string;
  school?: string;
}

/** A view the built site can show (read from the page, for error messages). */
export interface AvailableView {
  school: string;
  year: string;
  term: string;
}

export interface PrintTermlyOptions {
  /** A built site (`pastoral build`) containing termly-report.html. */
  dist: string;
  /** The PDF to write (its folder is created). */
  pdf: string;
  view: TermlyView;
  chromiumPath: string;
  /** For the whole job (default 120 s). */
  timeoutMs?: number;
}

export interface PrintedTermlyReport {
  file: string;
  pages: number;
  school: string;
  year: string;
  term: string;
  termLabel: string;
}

/** The page's file in a built site, and its address with the view as URL parameters. */
export const TERMLY_PAGE = 'termly-report';

export function termlyReportPath(view: TermlyView): string {
  const params = new URLSearchParams();
  if (view.school) params.set('school', view.school);
  if (view.year) params.set('year', view.year);
  params.set('term', view.term);
  return `${TERMLY_PAGE}?${params}`;
}

/**
 * A4 portrait, 12 mm side margins (style.css `@page termly`) → 186 mm of line = 703 CSS px. Printed
 * at 80%, the page is laid out 879 px wide: Framework's two- and three-column grids stay in columns
 * and text prints at about 11 pt. The window is given that width before the page loads, so the
 * charts (drawn to their container's width) are drawn at the printed width, not shrunk afterwards.
 */
export const PRINT_SCALE = 0.8;
export const PRINT_LAYOUT_WIDTH = Math.round(703 / PRINT_SCALE);

/** Why the requested view is not in the data, in one line, with what is. */
export function unavailableViewMessage(view: TermlyView, views: readonly AvailableView[]): string {
  const lower = (s: string | undefined) => s?.toLowerCase();
  const schools = [...new Set(views.map((v) => v.school))];
  if (view.school && !schools.some((s) => lower(s) === lower(view.school))) {
    return `no school "${view.school}" in the data; schools: ${schools.join(', ')}`;
  }
  const forSchool = views.filter((v) => !view.school || lower(v.school) === lower(view.school));
  const what = `${view.term}${view.year ? ` ${view.year}` : ''}${view.school ? ` for ${view.school}` : ''}`;
  const terms = [...new Set(forSchool.map((v) => `${v.term} ${v.year}`))];
  return `no termly report for ${what}; terms in the data: ${terms.join(', ')}`;
}

interface ReadyState {
  school: string;
  year: string;
  term: string;
  termLabel: string;
  matched: boolean;
  views: AvailableView[];
}

async function readReadyState(page: Page, timeout: number): Promise<ReadyState> {
  const ready = await page.waitForSelector('#termly-ready', { state: 'attached', timeout });
  const attr = async (name: string) => (await ready.getAttribute(name)) ?? '';
  return {
    school: await attr('data-school'),
    year: await attr('data-year'),
    term: await attr('data-term'),
    termLabel: await attr('data-term-label'),
    matched: (await attr('data-matched')) === 'yes',
    views: JSON.parse((await attr('data-views')) || '[]') as AvailableView[],
  };
}

/** Every chart container holds its drawing (or its "nothing to show" message), and fonts are loaded. */
async function waitForCharts(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const charts = [...document.querySelectorAll('.termly-report .termly-chart')];
      return charts.length > 0 && charts.every((el) => el.querySelector('svg, .empty') !== null);
    },
    undefined,
    { timeout },
  );
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
}

export async function printTermlyPdf(options: PrintTermlyOptions): Promise<PrintedTermlyReport> {
  const dist = path.resolve(options.dist);
  if (!existsSync(path.join(dist, `${TERMLY_PAGE}.html`))) {
    throw new Error(`${dist} has no ${TERMLY_PAGE}.html: build the dashboards first (pastoral build), or leave out --dist`);
  }
  const timeout = options.timeoutMs ?? 120_000;
  const server = await serveStatic(dist, { port: 0 });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(options.chromiumPath);
    const context = await browser.newContext({
      viewport: { width: PRINT_LAYOUT_WIDTH, height: 1200 },
      locale: 'en-GB',
      timezoneId: 'Europe/London',
      serviceWorkers: 'block',
    });
    const host = new URL(server.url).host;
    // Pupil data stays on this machine: anything not for the local server is refused.
    await context.route((url) => url.host !== host && url.protocol.startsWith('http'), (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Print styles from the start: the layout (and so each chart's width) is the printed one.
    await page.emulateMedia({ media: 'print' });
    await page.goto(server.url + termlyReportPath(options.view), { waitUntil: 'networkidle', timeout });

    const state = await readReadyState(page, timeout);
    if (!state.matched) throw new Error(unavailableViewMessage(options.view, state.views));
    const schools = [...new Set(state.views.map((v) => v.school))];
    // A trust's report is per school: never print one school's report when the school was not said.
    if (!options.view.school && schools.length > 1) {
      throw new Error(`the data holds ${schools.length} schools (${schools.join(', ')}): choose one with --school`);
    }
    await waitForCharts(page, timeout);
    if (pageErrors.length > 0) throw new Error(`the report page failed in the browser: ${pageErrors[0]}`);

    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, scale: PRINT_SCALE });
    const file = path.resolve(options.pdf);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, pdf);
    return { file, pages: await pdfPageCount(pdf), school: state.school, year: state.year, term: state.term, termLabel: state.termLabel };
  } finally {
    await browser?.close();
    await server.close();
  }
}
