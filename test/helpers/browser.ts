/**
 * Browser-test harness: Debian's Chromium driven by playwright-core (never
 * `npx playwright install`: it downloads a browser and fails offline).
 *
 * Usage in a page test:
 *
 *   import { afterAll, beforeAll, describe, expect, it } from "vitest";
 *   import type { Browser } from "playwright-core";
 *   import { browserAvailable, launch, openPage, skipReason } from "../helpers/browser.ts";
 *   import { serveStatic, type StaticServer } from "../../src/site/serve-static.ts";
 *
 *   describe.skipIf(!browserAvailable)("overview page", () => {
 *     let browser: Browser;
 *     let server: StaticServer;
 *     beforeAll(async () => {
 *       server = await serveStatic("dist");
 *       browser = await launch();
 *     });
 *     afterAll(async () => {
 *       await browser?.close();
 *       await server?.close();
 *     });
 *     it("renders a chart offline", async () => {
 *       const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser, server.url + "overview");
 *       await page.waitForSelector("svg g[aria-label] *");
 *       expect(consoleErrors).toEqual([]);
 *       expect(offHostRequests).toEqual([]);
 *       expect(failedRequests).toEqual([]);
 *       await close();
 *     });
 *   });
 *   if (!browserAvailable) it.skip(skipReason(), () => {});   // optional: shows why in the report
 *
 * Without Chromium the suite is skipped and one line says how to install it;
 * but with CI=true `browserAvailable` stays true and `launch()` throws, so CI
 * fails instead of silently skipping the browser checks.
 */
import { expect } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
// Finding Chromium lives in src/ (the PDF command needs it too); re-exported here unchanged.
import { CHROMIUM_ARGS, CHROMIUM_INSTALL_HINT, findChromium } from "../../src/pdf/chromium.ts";

export { CHROMIUM_ARGS, findChromium };

export const chromiumPath: string | null = findChromium();
const isCI = process.env["CI"] === "true";

const INSTALL_HINT = CHROMIUM_INSTALL_HINT;
const CI_ERROR = "CI=true but no Chromium found: apt-get install -y chromium";

/**
 * Whether browser tests should run: Chromium was found, or CI=true (so that a
 * missing Chromium makes `launch()` fail the tests rather than skip them).
 */
export const browserAvailable: boolean = chromiumPath !== null || isCI;

if (!browserAvailable) {
  const wanted = process.env["CHROMIUM_PATH"];
  console.warn(
    `[browser tests skipped] ${wanted ? `CHROMIUM_PATH=${wanted} does not exist; ` : "no Chromium found; "}install it: ${INSTALL_HINT}`,
  );
}

/** Why browser tests are skipped ("" when they run). Throws under CI=true without Chromium. */
export function skipReason(): string {
  if (chromiumPath !== null) return "";
  if (isCI) throw new Error(CI_ERROR);
  return `no Chromium: ${INSTALL_HINT}`;
}

/**
 * Launch headless Chromium. playwright-core gives every launch a fresh
 * temporary profile (user-data-dir) and deletes it on close.
 */
export async function launch(): Promise<Browser> {
  if (chromiumPath === null) {
    throw new Error(isCI ? CI_ERROR : `no Chromium found: ${INSTALL_HINT}`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: 60_000,
  });
}

export interface OpenPageOptions {
  /** Default "networkidle": every data file fetched. */
  waitUntil?: "load" | "domcontentloaded" | "networkidle" | "commit";
  /** Navigation timeout, ms (default 60 s). */
  timeout?: number;
  /** Default 1280×800 (a projector). */
  viewport?: { width: number; height: number };
  /** Abort requests to other hosts (still recorded). Default true: tests never touch the network. */
  blockOffHost?: boolean;
  /** Passed to the browser context, e.g. "en-GB". Default "en-GB". */
  locale?: string;
  /** Default "Europe/London". */
  timezoneId?: string;
  /** Called with the new page before it navigates (listen for dialogs, add init scripts). */
  prepare?: (page: Page) => Promise<void> | void;
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors, in order. */
  consoleErrors: string[];
  /** Every request whose host differs from the page's server (data:/blob: excluded). */
  offHostRequests: string[];
  /** Requests that failed at network level, and responses with status ≥ 400 ("404 http://…"). */
  failedRequests: string[];
  /** Closes the page's browser context. */
  close(): Promise<void>;
}

const LOCAL_SCHEMES = new Set(["data:", "blob:", "about:", "chrome:", "chrome-extension:", "devtools:"]);

/** Open `url` in a fresh context and record errors and requests from the very first one. */
export async function openPage(browser: Browser, url: string, opts: OpenPageOptions = {}): Promise<OpenedPage> {
  const serverHost = new URL(url).host;
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    locale: opts.locale ?? "en-GB",
    timezoneId: opts.timezoneId ?? "Europe/London",
    serviceWorkers: "block",
  });
  const consoleErrors: string[] = [];
  const offHostRequests: string[] = [];
  const failedRequests: string[] = [];

  const isOffHost = (requestUrl: string): boolean => {
    try {
      const u = new URL(requestUrl);
      if (LOCAL_SCHEMES.has(u.protocol)) return false;
      return u.host !== serverHost;
    } catch {
      return true;
    }
  };

  if (opts.blockOffHost ?? true) {
    await context.route(
      (u) => isOffHost(u.href),
      (route) => route.abort("blockedbyclient"),
    );
  }

  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error") {
      const loc = msg.location();
      consoleErrors.push(loc.url ? `${msg.text()} (${loc.url}:${loc.lineNumber})` : msg.text());
    }
  });
  page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.stack ?? error.message}`));
  page.on("request", (request) => {
    if (isOffHost(request.url())) offHostRequests.push(`${request.method()} ${request.url()}`);
  });
  page.on("requestfailed", (request) => {
    failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? "failed"}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
  });

  await opts.prepare?.(page);
  await page.goto(url, { waitUntil: opts.waitUntil ?? "networkidle", timeout: opts.timeout ?? 60_000 });
  return { page, context, consoleErrors, offHostRequests, failedRequests, close: () => context.close() };
}

/**
 * Choose `option` in the select labelled `label`, choosing again until `took()` says the page
 * shows it. Why: Framework re-creates an input whose cell depends on another filter, so a choice
 * made on the old element, just before the redraw, is lost (the new one starts from its default).
 */
export async function chooseOption(page: Page, label: string, option: string, took: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await took())) {
    if (Date.now() > deadline) throw new Error(`choosing "${option}" in "${label}" never took effect`);
    await page.getByLabel(label).selectOption(option);
    await page.waitForTimeout(150);
  }
}

/** The page loaded cleanly: no console error, nothing asked of another host, no failed request. */
export function expectCleanLoad(page: Pick<OpenedPage, 'consoleErrors' | 'offHostRequests' | 'failedRequests'>): void {
  expect(page.consoleErrors).toEqual([]);
  expect(page.offHostRequests).toEqual([]);
  expect(page.failedRequests).toEqual([]);
}
