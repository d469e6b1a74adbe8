// Each page's JavaScript lines against its limit (src/site/page-js-lines.ts says what counts):
//   npx tsx scripts/page-js-lines.ts [PAGES_DIR]      (default: reports/)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageJsLineLimit, pageJsLines } from '../src/site/page-js-lines.ts';

const dir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'reports'));
for (const { page, lines } of pageJsLines(dir)) {
  const limit = pageJsLineLimit(page);
  console.log(`${page.padEnd(20)} ${String(lines).padStart(4)}  (limit ${limit})${lines > limit ? '  OVER THE LIMIT' : ''}`);
}
