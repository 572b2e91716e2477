import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../native-host/src/install';
import { runCli } from '../support/cli';
import { launchFirefox, openExtensionPage } from '../support/firefox';
import { repoRoot } from '../support/host-process';
import { firefoxExtensionDir, startRig, type Rig } from '../support/sandbox-fixture';
import { startXvfb, type Xvfb } from '../support/xvfb';

type Win = { id: number; type: string; focused: boolean };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The show hotkey in Firefox ESR: the phone window through webextension-polyfill's windows API. */
describe('hotkeys with Firefox ESR (Xvfb + sandbox)', { timeout: 90_000 }, () => {
  let x: Xvfb;
  let rig: Rig;
  let browser: Browser | undefined;
  let page: Page;

  const windows = (): Promise<Win[]> => page.evaluate(() => (globalThis as any).browser.windows.getAll()) as Promise<Win[]>;

  beforeAll(async () => {
    x = await startXvfb(120);
    rig = await startRig('hkf');
    const ffHome = join(rig.root, 'ff-home');
    mkdirSync(ffHome, { recursive: true });
    await install({
      bundleDir: join(repoRoot, 'dist/host'),
      browsers: ['firefox'],
      homedir: ffHome,
      env: { ...process.env, HOME: ffHome, VOISPEED_HOME: rig.home },
      log: () => undefined,
    });
    const launched = await launchFirefox({ home: ffHome, extensionDir: firefoxExtensionDir, env: { DISPLAY: x.display } });
    browser = launched.browser;
    page = await openExtensionPage(browser, `${launched.base}extension/popup/index.html`);
    await page
      .waitForFunction(() => /^Registered as 1001/.test(document.querySelector('[data-testid=registration]')?.textContent ?? ''), { timeout: 20_000, polling: 200 })
      .catch(async (err: Error) => {
        const text = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '(no page)');
        throw new Error(`${err.message}; popup says: ${text.slice(0, 300)}`);
      });
    const deadline = Date.now() + 15_000;
    // Asynchronous (tests/support/cli.ts): a blocked test process would stop serving puppeteer's
    // connection to Firefox while the CLI waits on the host.
    for (;;) {
      const r = await runCli(rig.home, ['hotkeys', '--json'], 15_000);
      if (r.code === 0 && (JSON.parse(r.out) as { available: boolean }).available) break;
      if (Date.now() > deadline) throw new Error(`no hotkeys: ${r.out} ${r.err}`);
      await sleep(200);
    }
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await rig?.stop();
    await x?.stop();
  });

  it('the show combination opens the phone window, and brings the same one back to the front', async () => {
    const before = await windows();
    x.run('xdotool', ['key', 'ctrl+alt+shift+p']);
    await expect.poll(async () => (await windows()).filter((w) => w.type === 'popup').length, { timeout: 10_000 }).toBe(1);
    const phone = (await windows()).find((w) => w.type === 'popup')!;
    const other = before.find((w) => w.type === 'normal')!;
    await page.evaluate((id) => (globalThis as any).browser.windows.update(id, { focused: true }), other.id);
    await sleep(1100);
    x.run('xdotool', ['key', 'ctrl+alt+shift+p']);
    await expect.poll(async () => (await windows()).find((w) => w.id === phone.id)?.focused, { timeout: 10_000 }).toBe(true);
    expect((await windows()).filter((w) => w.type === 'popup')).toHaveLength(1);
  });
});
