import { describe, expect, it } from 'vitest';
import { browserAvailable, expectCleanLoad, openPage } from '../helpers/browser.ts';
import { useDemoSitePages } from '../helpers/page-suite.ts';

describe.skipIf(!browserAvailable)('home page (demo school, headless Chromium)', () => {
  const demo = useDemoSitePages();

  it('says how recent the data is; loaded by pastoral ingest (no refresh yet), it gives the last import and points to pastoral refresh', async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(demo.browser, `${demo.server.url}index`);
    try {
      const line = page.locator('#refresh-line');
      await line.waitFor();
      // The demo's last school day is Tuesday 21 July 2026; the import time is whenever the test run built it.
      expect(await line.textContent()).toMatch(/^Data up to Tuesday 21 July 2026; last imported \w+day \d{1,2} \w+ \d{4} \d\d:\d\d\. Refresh weekly with pastoral refresh\.$/);
      // Text, never markup: the line holds no elements but the page's own strong, span and code,
      // and the data's line is the strong's text.
      expect(new Set(await line.locator('*').evaluateAll((els) => els.map((e) => e.tagName)))).toEqual(new Set(['STRONG', 'SPAN', 'CODE']));
      expect(await line.locator('strong').textContent()).toMatch(/^Data up to Tuesday 21 July 2026; last imported [^<>]+\.$/);
      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });
});
