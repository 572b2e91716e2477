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
import { hangUpAll, KamailioLog, sleep, textPoint } from '../fixtures/numbers-e2e-helpers';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';
import { openExtensionPage } from '../support/firefox';

/**
 * Issue 4 in Firefox ESR: the same content script, Firefox's Highlight API and hit-testing, a
 * trusted click on a detected number and on a tel: link, each reaching the host for the right
 * number. Proof is an INVITE at Kamailio; Firefox may fail the call's media in a loopback-only
 * namespace (it gathers no UDP candidate on lo), so the host's answer for that number also counts.
 */
describe('numbers on pages, in Firefox ESR', { timeout: 90_000 }, () => {
  let rig: Rig;
  let server: FixtureServer;
  let browser: Browser | undefined;
  let options: Page;
  let page: Page;
  let klog: KamailioLog;

  beforeAll(async () => {
    server = await serveFixtures({ '/': join(repoRoot, 'tests/fixtures/numbers') });
    rig = await startRig('numff');
    klog = new KamailioLog(rig.home);
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
    await page.goto(server.url('/page.html'));
    await page.bringToFront();
    await page.waitForSelector('#n-late');
    await sleep(1000);
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
    await server?.close();
  });

  const recent = () =>
    options.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.runtime.sendMessage({ type: 'page-calls.recent' }) as Promise<RecentPageCall[]>);

  async function reached(number: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if ((await klog.since()).includes(`REQ INVITE sip:${number}@`)) return 'invite';
      const last = (await recent()).at(-1);
      if (last?.request.startsWith(`dial ${number}`) && !last.ok && Date.now() > deadline - 10_000) return `host answered: ${last.text}`;
      if (Date.now() > deadline) throw new Error(`nothing reached the host for ${number}: ${JSON.stringify(last)}`);
      await sleep(100);
    }
  }

  it('the top frame lists the numbers it found (normalised), traps excluded', async () => {
    const listed = await options.evaluate(async () => {
      const b = (globalThis as unknown as { browser: typeof chrome }).browser;
      const [tab] = (await b.tabs.query({})).filter((t) => t.url?.includes('/page.html'));
      return b.tabs.sendMessage(tab!.id!, { type: 'numbers.list' }, { frameId: 0 }) as Promise<{ numbers: { e164: string }[] }>;
    });
    expect(listed.numbers.map((n) => n.e164).sort()).toEqual(['+390115551234', '+390261616161', '+390471123456', '+390612345678', '+393331234567', '+442079460958']);
  });

  it('a trusted click on a detected number and on a tel: link reach the host; a synthetic click does not', async () => {
    const proofs: string[] = [];
    await klog.mark();
    const p = await textPoint(page, `document.getElementById('n-text')`);
    await sleep(100);
    await page.mouse.click(p.x, p.y);
    proofs.push(`number: ${await reached('0261616161')}`);
    await hangUpAll(rig.home);
    await sleep(800);
    await klog.mark();
    await page.click('#l-tel');
    proofs.push(`tel: ${await reached('0261616164')}`);
    await hangUpAll(rig.home);
    console.log(`Firefox: ${proofs.join('; ')}`);

    await sleep(800);
    const before = (await recent()).length;
    await page.evaluate(() => document.getElementById('l-callto')!.click());
    await sleep(1000);
    expect((await recent()).length).toBe(before);
  });
});
