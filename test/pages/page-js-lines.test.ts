import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countPageJsLines, LONGER_PAGES, PAGE_JS_LINE_LIMIT, pageJsLineLimit, pageJsLines } from '../../src/site/page-js-lines.ts';

const REPORTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../reports');

describe('counting a page\'s JavaScript lines', () => {
  it('counts the non-blank lines of js blocks, not their fences, nor other blocks', () => {
    const page = ['# Title', '', '```js', 'const a = 1;', '', 'const b = 2;', '```', '', '```sql', 'select 1', '```', 'Text.'].join('\n');
    expect(countPageJsLines(page)).toBe(2);
  });

  it('counts each line an inline ${…} expression touches, however it nests', () => {
    const page = ['Plain line.', 'Week ${ukDate(week)}.', '<div>${kpiCard({', '  title: "A",', '  detail: `${n} of ${m}`', '})}</div>', 'After.'].join('\n');
    expect(countPageJsLines(page)).toBe(5);
  });

  it('does not count a line that only names a file, which Framework needs written out', () => {
    const page = ['```js', 'const files = {', '  7: FileAttachment("data/hotspots/y7.arrow"),', '  "01": FileAttachment("data/daily-lists/m01.json")', '};', 'const rows = await FileAttachment("data/x.json").json();', '```'].join('\n');
    expect(countPageJsLines(page)).toBe(3);
  });

  it('reads Windows line ends the same', () => {
    expect(countPageJsLines('```js\r\nconst a = 1;\r\n```\r\n${a}\r\n')).toBe(2);
  });
});

describe('pages are short stories: layout in the page, numbers in the marts, drawing in components', () => {
  const pages = pageJsLines(REPORTS);

  it('finds the pages', () => {
    expect(pages.map((p) => p.page)).toEqual(expect.arrayContaining(['attendance.md', 'pupil.md', 'termly-report.md', 'weekly-review.md']));
  });

  it.each(pages)('$page holds no more JavaScript than its limit', ({ page, lines }) => {
    expect(lines, `${page}: ${lines} JS lines (limit ${pageJsLineLimit(page)}); move computing into a mart and drawing into reports/components/`).toBeLessThanOrEqual(pageJsLineLimit(page));
  });

  it('allows more only to pages that exist, and says why', () => {
    for (const [page, { limit, why }] of Object.entries(LONGER_PAGES)) {
      expect(pages.map((p) => p.page)).toContain(page);
      expect(limit).toBeGreaterThan(PAGE_JS_LINE_LIMIT);
      expect(why.length).toBeGreaterThan(20);
    }
  });
});
