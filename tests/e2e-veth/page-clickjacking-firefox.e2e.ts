import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../native-host/src/install';
import type { RecentPageCall } from '../../extension/lib/page-messages';
import { launchFirefoxForMedia } from '../support/firefox-media';
import { repoRoot } from '../support/host-process';
import { startRig, type Rig } from '../support/sandbox-fixture';
import { firefoxTestExtensionDir } from '../support/test-builds';
import { hangUpAll, sleep } from '../fixtures/numbers-e2e-helpers';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';
import { openExtensionPage } from '../support/firefox';

/**
 * Issue 13 in Firefox ESR: the tricks of tests/fixtures/numbers/clickjack.html (as in
 * tests/e2e/page-clickjacking-chromium.e2e.ts), clicked with real input. Firefox judges with its
 * own engine (hit testing, computed styles, adoptedStyleSheets from a content script): each trick
 * click is followed by a visible control number, whose page call is the event waited for; it must
 * be the only page call.
 */
describe('a click calls only what the user could see, in Firefox ESR', { timeout: 120_000 }, () => {
  let rig: Rig;
  let server: FixtureServer;
  let browser: Browser | undefined;
  let options: Page;
  let page: Page;

  beforeAll(async () => {
    server = await serveFixtures({ '/': join(repoRoot, 'tests/fixtures/numbers') });
    rig = await startRig('cjff');
    const ffHome = join(rig.root, 'ff-home');
    mkdirSync(ffHome, { recursive: true });
    await install({
      bundleDir: join(repoRoot, 'dist/host'),
      browsers: ['firefox'],
      homedir: ffHome,
      env: { ...process.env, HOME: ffHome, VOISPEED_HOME: rig.home },
      log: () => undefined,
    });
    const launched = await launchFirefoxForMedia({ home: ffHome, extensionDir: firefoxTestExtensionDir, toneHz: 440 });
    browser = launched.browser;
    options = await openExtensionPage(browser, `${launched.base}extension/options/index.html`);
    await options.waitForFunction(
      () => /^Registered as 1001/.test(document.querySelector('[data-testid=registration]')?.textContent ?? ''),
      { timeout: 20_000, polling: 200 },
    );
    page = await browser.newPage();
    await page.goto(server.url('/clickjack.html'));
    await page.bringToFront();
    // Detection has run once the highlight holds the page's numbers (hidden ones too).
    await page.waitForFunction(() => (CSS.highlights.get('voispeed-number')?.size ?? 0) >= 14, { timeout: 30_000, polling: 200 });
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
    await server?.close();
  });

  const recent = () =>
    options.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.runtime.sendMessage({ type: 'page-calls.recent' }) as Promise<RecentPageCall[]>);

  async function pointOf(selector: string, text: boolean): Promise<{ x: number; y: number }> {
    return page.$eval(
      selector,
      (el, text) => {
        el.scrollIntoView({ block: 'center' });
        let r = el.getBoundingClientRect();
        if (text) {
          const range = document.createRange();
          range.selectNodeContents(el);
          r = range.getClientRects()[0] ?? r;
        }
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      },
      text,
    );
  }

  const CONTROLS = ['0261616184', '0261616185', '0261616186', '0261616187', '0261616188', '0261616189', '0261616190'];
  let next = 0;

  /** The trick's click, then a control's: the page calls the background handled for both. */
  async function trickThenControl(point: { x: number; y: number }): Promise<string[]> {
    const number = CONTROLS[next++ % CONTROLS.length]!;
    await page.mouse.move(5, 5);
    const before = (await recent()).length;
    await page.mouse.click(point.x, point.y);
    const control = await pointOf(`[data-expect="${number}"]`, true);
    await page.mouse.click(control.x, control.y);
    const deadline = Date.now() + 15_000;
    let calls: RecentPageCall[] = [];
    while (!(calls = (await recent()).slice(before)).some((c) => c.request.startsWith(`dial ${number}`)) && Date.now() < deadline) await sleep(100);
    await hangUpAll(rig.home);
    await sleep(800); // the per-tab rate limit (0.7 s)
    return calls.map((c) => c.request);
  }

  const onlyControl = (calls: string[]) => {
    expect(calls.length, calls.join(' | ')).toBe(1);
    expect(calls[0]).toMatch(/^dial 02616161(8[4-9]|90)\b/);
  };

  it('a visible number calls; numbers under a click-through overlay, faded, transparent or 1 px small over a button do not', async () => {
    onlyControl(await trickThenControl(await pointOf('#n-video', true)));
    for (const id of ['#n-opacity', '#n-transparent', '#n-tiny']) onlyControl(await trickThenControl(await pointOf(id, true)));
  });

  it('an invisible tel: link over a button and a bait and switch call nothing', async () => {
    onlyControl(await trickThenControl(await pointOf('#s-link', false)));
    onlyControl(await trickThenControl(await pointOf('#n-bait', true)));
    onlyControl(await trickThenControl(await pointOf('#n-bait-early', true)));
  });
});
