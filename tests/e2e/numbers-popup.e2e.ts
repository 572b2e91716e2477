import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRig } from '../support/call-rig';
import { extensionUrl } from '../support/chromium';
import { repoRoot } from '../support/host-process';
import type { ContentWorld } from '../fixtures/numbers-harness';
import { ExtensionPage, expectDialed, hangUpAll, KamailioLog, sleep, startPageRig } from '../fixtures/numbers-e2e-helpers';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';

const fixtures = join(repoRoot, 'tests/fixtures/numbers');

interface AxNode {
  name?: string;
  role?: string;
  focused?: boolean;
  children?: AxNode[];
}
function focusedNode(n: AxNode | null): AxNode | undefined {
  if (!n) return undefined;
  if (n.focused && n.role !== 'RootWebArea') return n;
  for (const c of n.children ?? []) {
    const f = focusedNode(c);
    if (f) return f;
  }
  return undefined;
}

/**
 * Issue 4, the parts a keyboard or the popup reach: the popup lists the page's numbers and a click
 * (or Enter) there calls; Alt+Shift+N walks the numbers on the page itself. Proof of a call is the
 * INVITE at the sandbox's Kamailio, as for mouse clicks (numbers-chromium.e2e.ts).
 */
describe('numbers from the popup and the keyboard, in Chromium', { timeout: 90_000 }, () => {
  let rig: CallRig;
  let server: FixtureServer;
  let page: Page;
  let world: ContentWorld;
  let ext: ExtensionPage;
  let klog: KamailioLog;

  beforeAll(async () => {
    server = await serveFixtures({ '/': fixtures });
    ({ rig, klog, ext, page, world } = await startPageRig('numbers-popup'));
  });
  afterAll(async () => {
    await rig?.close();
    await server?.close();
  });

  async function openFixture(): Promise<void> {
    await page.goto(server.url('/page.html'), { waitUntil: 'load' });
    await page.bringToFront();
    await page.waitForSelector('#n-late');
    await world.idle();
  }

  const tabIdOf = (part: string) =>
    ext.page.evaluate(async (p: string) => (await chrome.tabs.query({})).find((t) => t.url?.includes(p))?.id, part);

  /** Waits for a page call to be recorded after `act`, then for its INVITE; hangs up. */
  async function calls(act: () => Promise<unknown>, number: string): Promise<string> {
    await klog.mark();
    const before = (await ext.recent()).length;
    await act();
    const deadline = Date.now() + 5000;
    while ((await ext.recent()).length === before && Date.now() < deadline) await sleep(100);
    expect((await ext.recent()).length, `a page call for ${number}`).toBeGreaterThan(before);
    const how = await expectDialed(klog, ext, number);
    await hangUpAll(rig.home);
    await sleep(800); // the per-tab rate limit (0.7 s)
    return how;
  }

  it('the popup lists the page’s numbers; a click and Enter on one call it (source page); a script’s click() does not', async () => {
    await openFixture();
    const tabId = await tabIdOf('/page.html');
    expect(tabId).toBeTypeOf('number');
    // A popup in a tab would speak for itself: ?tab= names the page it is opened over.
    const popup = await rig.browser.newPage();
    try {
      await popup.goto(extensionUrl(`extension/popup/index.html?tab=${tabId}`));
      await popup.waitForSelector('[data-testid=page-number]:not([disabled])', { timeout: 20_000 });
      const listed = await popup.$$eval('[data-testid=page-number]', (bs) =>
        bs.map((b) => ({ e164: b.getAttribute('data-e164'), name: b.getAttribute('aria-label'), shown: b.textContent })),
      );
      expect(listed.map((n) => n.e164).sort()).toEqual(['+390115551234', '+390261616161', '+390471123456', '+390612345678', '+393331234567', '+442079460958']);
      expect(listed.find((n) => n.e164 === '+390261616161')).toEqual({ e164: '+390261616161', name: 'Call 02 6161 6161', shown: '02 6161 6161' });

      // A script's click in the popup calls nothing.
      const before = (await ext.recent()).length;
      await popup.$eval('[data-e164="+390261616161"]', (b) => (b as HTMLButtonElement).click());
      await sleep(1000);
      expect((await ext.recent()).length).toBe(before);

      const byMouse = await calls(() => popup.click('[data-e164="+390261616161"]'), '0261616161');
      expect((await ext.recent()).at(-1)).toMatchObject({ via: 'popup', ok: true });
      // Keyboard: focus the button and press Enter.
      const byKey = await calls(async () => {
        await popup.focus('[data-e164="+393331234567"]');
        await popup.keyboard.press('Enter');
      }, '3331234567');
      console.log(`popup list: ${listed.length} numbers; mouse → ${byMouse}, Enter → ${byKey}`);
    } finally {
      await popup.close();
    }
  });

  it('Alt+Shift+N focuses the first number with an accessible name; arrows move, Enter calls, Esc gives the focus back', async () => {
    await openFixture();
    await page.click('h1');
    const focused = async () => focusedNode((await page.accessibility.snapshot({ interestingOnly: true })) as AxNode | null);

    // A page's own synthetic key events do nothing.
    await page.evaluate(() => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'N', code: 'KeyN', altKey: true, shiftKey: true, bubbles: true })));
    await sleep(200);
    expect(await page.evaluate(() => document.activeElement?.localName)).not.toBe('voispeed-ui');

    await page.keyboard.down('Alt');
    await page.keyboard.down('Shift');
    await page.keyboard.press('KeyN');
    await page.keyboard.up('Shift');
    await page.keyboard.up('Alt');
    await sleep(200);
    expect(await page.evaluate(() => document.activeElement?.localName)).toBe('voispeed-ui');
    const first = await focused();
    expect(first?.role).toBe('button');
    expect(first?.name).toMatch(/^Call 02 6161 6161 with VOIspeed \(1 of 6\)/);

    await page.keyboard.press('ArrowDown');
    await sleep(100);
    expect((await focused())?.name).toMatch(/^Call 333 123 4567 with VOIspeed \(2 of 6\)/);
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await page.keyboard.press('Tab');
    await sleep(100);
    expect((await focused())?.name).toMatch(/\(2 of 6\)/);

    // (The popup test called 333 123 4567 a moment ago: a repeat within 3 s is refused as a double click.)
    await page.keyboard.press('ArrowDown');
    await sleep(100);
    expect((await focused())?.name).toMatch(/\(3 of 6\)/);
    const how = await calls(() => page.keyboard.press('Enter'), '0115551234');
    // Still on the number after the call; Esc returns the focus to the page.
    await page.keyboard.press('Escape');
    await sleep(100);
    expect(await page.evaluate(() => document.activeElement?.localName)).not.toBe('voispeed-ui');
    console.log(`keyboard: Alt+Shift+N, ↓, Tab, Enter → ${how}`);
  });
});
