// How much JavaScript each page holds, so pages stay short stories (layout in the page,
// numbers in the marts, drawing in reports/components). `npx tsx scripts/page-js-lines.ts`
// prints the table.
// A JS line is a non-blank line inside a ```js block (the fences not counted), or a line of
// the page's Markdown/HTML that an inline ${…} expression touches. Not counted: a line that
// only names a file (`7: FileAttachment("data/hotspots/y7.arrow"),`): Framework publishes only
// the files a page names literally, so a page with one file per year group or month must list
// them; that list is a manifest, not logic. test/pages/page-js-lines.test.ts
// fails when a page goes over PAGE_JS_LINE_LIMIT.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const PAGE_JS_LINE_LIMIT = 40;

/**
 * Pages allowed more, each with the reason. The termly report is the governors' printed pack:
 * eight sections of prose and tables, where 29 lines only place a figure, table or chart
 * (`${bscTable(v)}`) or name the threshold in a sentence.
 */
export const LONGER_PAGES: Readonly<Record<string, { limit: number; why: string }>> = Object.freeze({
  'termly-report.md': { limit: 65, why: 'the printed eight-section report: its layout places 29 figures, tables and charts inline' },
});

/** The limit for one page (its file name). */
export function pageJsLineLimit(page: string): number {
  return LONGER_PAGES[page]?.limit ?? PAGE_JS_LINE_LIMIT;
}

const FENCE = /^\s*(```|~~~)/;
const JS_FENCE = /^\s*(```|~~~)\s*(js|javascript)\b/;
const FILE_NAME_ONLY = /^\s*("?[\w-]+"?\s*:\s*)?FileAttachment\("[^"]+"\),?\s*$/;

/** Counts the JavaScript lines of one page's source (see the header for what counts). */
export function countPageJsLines(source: string): number {
  const lines = source.split(/\r?\n/);
  let count = 0;
  let fence: 'js' | 'other' | null = null;
  let depth = 0; // brace depth inside an inline ${…}, 0 outside
  for (const line of lines) {
    if (fence !== null) {
      if (FENCE.test(line) && !JS_FENCE.test(line) && line.trim().replace(/^(```|~~~)/, '') === '') fence = null;
      else if (fence === 'js' && line.trim() !== '' && !FILE_NAME_ONLY.test(line)) count += 1;
      continue;
    }
    if (depth === 0 && FENCE.test(line)) {
      fence = JS_FENCE.test(line) ? 'js' : 'other';
      continue;
    }
    let touched = depth > 0;
    for (let i = 0; i < line.length; i += 1) {
      if (depth === 0) {
        if (line[i] === '$' && line[i + 1] === '{') {
          depth = 1;
          touched = true;
          i += 1;
        }
      } else if (line[i] === '{') depth += 1;
      else if (line[i] === '}') depth -= 1;
    }
    if (touched) count += 1;
  }
  return count;
}

/** Every page in a folder of pages with its JS line count, sorted by name. */
export function pageJsLines(pagesDir: string): { page: string; lines: number }[] {
  return readdirSync(pagesDir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ page: f, lines: countPageJsLines(readFileSync(path.join(pagesDir, f), 'utf-8')) }));
}
