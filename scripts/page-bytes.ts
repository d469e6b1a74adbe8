// How much data each page of a built site downloads as it opens, in the same Chromium as the
// tests (src/pdf/chromium.ts): the bytes of every `/_file/` response, counted until no more
// arrive (parts are fetched after the inputs that choose them have run).
//   npx tsx scripts/page-bytes.ts DIST page1 [page2 …]        (V=1 lists the files)
import path from 'node:path';
import { serveStatic } from '../src/site/serve-static.ts';
import { chromiumMissingMessage, findChromium, launchChromium } from '../src/pdf/chromium.ts';

const [dist, ...pages] = process.argv.slice(2);
const executablePath = findChromium();
if (!executablePath) throw new Error(chromiumMissingMessage());
const server = await serveStatic(path.resolve(dist), { port: 0 });
const browser = await launchChromium(executablePath);
try {
  for (const name of pages) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    const fetched = new Map<string, Promise<number>>();
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/_file/')) fetched.set(url.pathname, r.body().then((b) => b.length, () => 0));
    });
    await page.goto(`${server.url}${name}`, { waitUntil: 'networkidle' });
    for (let seen = -1; seen !== fetched.size; ) {
      seen = fetched.size;
      await page.waitForTimeout(1500);
      await page.waitForLoadState('networkidle');
    }
    let total = 0;
    const files: string[] = [];
    for (const [file, bytes] of fetched) {
      const n = await bytes;
      total += n;
      files.push(`${file} ${n}`);
    }
    process.stdout.write(`${name.padEnd(16)} ${(total / 1024).toFixed(1).padStart(8)} KB in ${fetched.size} files\n`);
    if (process.env.V) process.stdout.write(files.map((f) => `    ${f}\n`).join(''));
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
