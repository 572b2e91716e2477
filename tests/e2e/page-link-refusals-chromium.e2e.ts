import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecentPageCall } from '../../extension/lib/page-messages';
import type { CallRig } from '../support/call-rig';
import { ExtensionPage, KamailioLog, sleep, startPageRig } from '../fixtures/numbers-e2e-helpers';
import type { ContentWorld } from '../fixtures/numbers-harness';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';

const PAGE = `<!doctype html><meta charset="utf-8"><title>links</title>
<p><a id="tel-zz" href="tel:02%zz61616161">chiama (tel, %zz)</a></p>
<p><a id="tel-cut" href="tel:0261616161%">chiama (tel, % alone)</a></p>
<p><a id="sip-ff" href="sip:2001%FF@sandbox.voispeed.test">chiama (sip, %FF)</a></p>
<p><a id="callto-c3" href="callto:%C3%280261616161">chiama (callto, %C3%28)</a></p>`;

/**
 * A call link whose %-escapes cannot be decoded, clicked on a page (built extension in Chromium,
 * real host, sandbox PBX): nothing is called, and the toast says why in a sentence of the UI
 * language, not the engine's "URI malformed".
 */
describe('page links with broken %-escapes, in Chromium', { timeout: 90_000 }, () => {
  let rig: CallRig;
  let server: FixtureServer;
  let page: Page;
  let world: ContentWorld;
  let ext: ExtensionPage;
  let klog: KamailioLog;

  beforeAll(async () => {
    server = await serveFixtures({}, { '/links.html': { type: 'text/html; charset=utf-8', body: PAGE } });
    ({ rig, klog, ext, page, world } = await startPageRig('badlinks'));
    await page.goto(server.url('/links.html'), { waitUntil: 'load' });
    await page.bringToFront();
    await world.idle();
  });
  afterAll(async () => {
    await rig?.close();
    await server?.close();
  });

  for (const id of ['tel-zz', 'tel-cut', 'sip-ff', 'callto-c3']) {
    it(`#${id}: refused with "Not called: the link contains a broken %-escape", no INVITE`, async () => {
      const before = (await ext.recent()).length;
      await klog.mark();
      await page.click(`#${id}`);
      let last: RecentPageCall | undefined;
      for (const deadline = Date.now() + 15_000; Date.now() < deadline && !last; await sleep(100)) {
        const recent = await ext.recent();
        if (recent.length > before) last = recent.at(-1);
      }
      expect(last, 'the click reached the extension').toBeDefined();
      expect(last).toMatchObject({ ok: false, text: 'Not called: the link contains a broken %-escape' });
      expect(await klog.since()).not.toMatch(/INVITE sip:/);
      // The page did not navigate to the link (the OS handler was never asked).
      expect(page.url()).toMatch(/\/links\.html$/);
    });
  }
});
