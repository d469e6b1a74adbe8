// Screenshots of built pages, for looking at what we ship:
//   npx tsx scripts/screenshot.ts DIST_DIR OUT_DIR page1 [page2 …]
// Uses the same Chromium harness as the browser tests.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '../src/build/serve-static.ts';
import { launch, openPage } from '../test/helpers/browser.ts';

const [dist, outDir, ...pages] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const server = await serveStatic(path.resolve(dist), { port: 0 });
const browser = await launch();
try {
  for (const page of pages) {
    const width = Number(process.env.WIDTH ?? 1280);
    const opened = await openPage(browser, `${server.url}/${page}`, { viewport: { width, height: 900 } } as never);
    await opened.page.waitForTimeout(1500);
    const file = path.join(outDir, `${page.replace(/[/?=&]/g, '_') || 'index'}.png`);
    await opened.page.screenshot({ path: file, fullPage: true });
    console.log(`${file}  console errors: ${opened.consoleErrors.length} ${opened.consoleErrors.slice(0, 3).join(' | ')}  off-host: ${opened.offHostRequests.length}`);
    await opened.page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
