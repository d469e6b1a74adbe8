/**
 * How fast the built dashboards show something, and how much each page downloads, measured in
 * the machine's headless Chromium against the local server (the way a Head of Year opens them).
 *
 * For each page of the site, several cold loads (a fresh browser context: empty cache), and the
 * median of each figure:
 * - first chart: milliseconds from navigation start until the first Plot mark (an SVG element
 *   with an aria-label) is in the page; pages with no chart (definitions) have none;
 * - last response: milliseconds until the last file the page fetched on opening had arrived;
 * - downloaded: bytes of every response the page asked for on opening (HTML, scripts, styles,
 *   data files), as the resource timing API reports them.
 * The bar for issue 5 is a first chart within a second.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../src/pdf/chromium.ts';
import { serveStatic } from '../src/site/serve-static.ts';

export interface PageFigures {
  page: string;
  firstChartMs: number | null;
  lastResponseMs: number;
  bytes: number;
  requests: number;
}

export interface PageBenchOptions {
  dist: string;
  chromiumPath: string;
  rounds: number;
  log?: (line: string) => void;
}

/** Records, in the page, when the first Plot mark appears (before any page script runs). */
const FIRST_CHART_PROBE = `
  (() => {
    const seen = () => document.querySelector('svg [aria-label]');
    const record = () => { if (window.__firstChart === undefined && seen()) window.__firstChart = performance.now(); };
    new MutationObserver(record).observe(document, { childList: true, subtree: true });
  })();
`;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The site's pages: every top-level .html file Framework wrote, by route. */
export function sitePages(dist: string): string[] {
  return readdirSync(dist)
    .filter((f) => f.endsWith('.html') && f !== '404.html')
    .map((f) => f.replace(/\.html$/, ''))
    .sort();
}

export async function runPageBench(options: PageBenchOptions): Promise<PageFigures[]> {
  const server = await serveStatic(path.resolve(options.dist), { port: 0 });
  const browser = await launchChromium(options.chromiumPath);
  const results: PageFigures[] = [];
  try {
    for (const page of sitePages(options.dist)) {
      const rounds: Omit<PageFigures, 'page'>[] = [];
      for (let r = 0; r < options.rounds; r++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/London' });
        try {
          await context.addInitScript(FIRST_CHART_PROBE);
          const tab = await context.newPage();
          await tab.goto(`${server.url}${page === 'index' ? '' : page}`, { waitUntil: 'networkidle' });
          const figures = await tab.evaluate(() => {
            const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')] as PerformanceResourceTiming[];
            return {
              firstChartMs: (window as unknown as { __firstChart?: number }).__firstChart ?? null,
              // networkidle waits 500 ms after the last response; take the last response's end instead.
              lastResponseMs: Math.max(...entries.map((e) => e.responseEnd)),
              bytes: entries.reduce((n, e) => n + e.encodedBodySize, 0),
              requests: entries.length,
            };
          });
          rounds.push(figures);
        } finally {
          await context.close();
        }
      }
      const charts = rounds.map((r) => r.firstChartMs).filter((v): v is number => v !== null);
      const result: PageFigures = {
        page,
        firstChartMs: charts.length === rounds.length ? median(charts) : null,
        lastResponseMs: median(rounds.map((r) => r.lastResponseMs)),
        bytes: median(rounds.map((r) => r.bytes)),
        requests: median(rounds.map((r) => r.requests)),
      };
      options.log?.(formatPageLine(result));
      results.push(result);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return results;
}

export function formatPageLine(r: PageFigures): string {
  const chart = r.firstChartMs === null ? '      –' : `${Math.round(r.firstChartMs).toString().padStart(5)} ms`;
  const kb = `${(r.bytes / 1024).toFixed(0)} KB`;
  return `  ${r.page.padEnd(16)} first chart ${chart}   last response ${Math.round(r.lastResponseMs).toString().padStart(5)} ms   ${kb.padStart(8)} in ${r.requests} requests`;
}
