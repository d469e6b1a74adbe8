// Screenshots of built pages, for looking at what we ship:
//   npx tsx scripts/screenshot.ts DIST_DIR OUT_DIR page1 [page2 …]
// The same Chromium and flags as the browser tests and the PDF (src/pdf/chromium.ts);
// requests to any other host are blocked and counted. (Not test/helpers: nothing outside
// test/ imports test code.)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '../src/site/serve-static.ts';
import { chromiumMissingMessage, findChromium, launchChromium } from '../src/pdf/chromium.ts';

const [dist, outDir, ...pages] = process.argv.slice(2);
const executablePath = findChromium();
if (!executablePath) throw new Error(chromiumMissingMessage());
mkdirSync(outDir, { recursive: true });
const server = await serveStatic(path.resolve(dist), { port: 0 });
const browser = await launchChromium(executablePath);
try {
  for (const name of pages) {
    const width = Number(process.env.WIDTH ?? 1280);
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London', serviceWorkers: 'block' });
    const host = new URL(server.url).host;
    const offHost = (u: URL) => (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== host;
    const consoleErrors: string[] = [];
    let offHostRequests = 0;
    await context.route(offHost, (route) => {
      offHostRequests += 1;
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
    await page.goto(new URL(name, server.url).href, { waitUntil: 'networkidle', timeout: 60_000 });
    await page.waitForTimeout(1500);
    const file = path.join(outDir, `${name.replace(/[/?=&]/g, '_') || 'index'}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`${file}  console errors: ${consoleErrors.length} ${consoleErrors.slice(0, 3).join(' | ')}  off-host: ${offHostRequests}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
