// How much data each page of a built site downloads as it opens, in the same Chromium as the
// tests (src/pdf/chromium.ts): the bytes of every `/_file/` response, counted until no more
// arrive (parts are fetched after the inputs that choose them have run), and the most any
// choice of school, year, filter or pupil can need (src/site/page-downloads.ts, worstCase).
//   npx tsx scripts/page-bytes.ts DIST [page1 page2 …]        (every page without; V=1 lists the files)
import { chromiumMissingMessage, findChromium } from '../src/pdf/chromium.ts';
import { measurePageDownloads, PAGE_BUDGET_BYTES, sitePages } from '../src/site/page-downloads.ts';

const [dist, ...named] = process.argv.slice(2);
if (!dist) throw new Error('usage: npx tsx scripts/page-bytes.ts DIST [page …]');
const executablePath = findChromium();
if (!executablePath) throw new Error(chromiumMissingMessage());
const kb = (n: number) => `${(n / 1024).toFixed(1).padStart(8)} KB`;
for (const p of await measurePageDownloads(dist, named.length > 0 ? named : sitePages(dist), executablePath)) {
  const over = p.worstBytes > PAGE_BUDGET_BYTES ? '  OVER THE 300 KB BUDGET' : '';
  process.stdout.write(`${p.page.padEnd(16)} ${kb(p.openBytes)} in ${p.files.length} files, at most ${kb(p.worstBytes)} for any choice${over}\n`);
  if (process.env.V) process.stdout.write(p.files.map((f) => `    ${f.file} ${f.bytes}\n`).join(''));
}
