/**
 * The set-up every page test shares: the demo site served on a free port and a Chromium
 * launched once per describe block, both closed after it. Call inside `describe`:
 *
 *   const demo = useDemoSitePages();
 *   it('…', async () => { const opened = await openPage(demo.browser, `${demo.server.url}bsc`); … });
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { StaticServer } from '../../src/site/serve-static.ts';
import { launch } from './browser.ts';
import { serveDemoSite, type DemoSite } from './demo-site.ts';

export interface DemoSitePages {
  readonly browser: Browser;
  readonly server: StaticServer;
  readonly site: DemoSite;
}

export function useDemoSitePages(): DemoSitePages {
  const session = {} as { browser: Browser; server: StaticServer; site: DemoSite };
  beforeAll(async () => {
    ({ site: session.site, server: session.server } = await serveDemoSite());
    session.browser = await launch();
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.close();
  });
  return session;
}
