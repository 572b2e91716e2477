import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import puppeteer, { type Browser, type KeyInput, type Page, type WebWorker } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X11Backend } from '../../native-host/src/hotkeys/x11-backend';
import { CHROMIUM_FLAGS, chromiumPath, extensionUrl, extensionWorker, openPopup, waitForStatus } from '../support/chromium';
import { startRig, type Rig } from '../support/sandbox-fixture';
import { chromeTestExtensionDir } from '../support/test-builds';
import { writeToneWav } from '../support/wav';
import { setSelection, startXvfb, type Xvfb } from '../support/xvfb';

type Win = { id: number; type: string; focused: boolean; tabs?: { url?: string }[] };
const PHONE_URL = extensionUrl('extension/popup/index.html');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The hotkeys with the whole product: a headful Chromium on Xvfb with the test extension, the
 * host it starts (which grabs the keys on that display) and the sandbox PBX.
 */
describe('hotkeys with Chromium (Xvfb + sandbox)', { timeout: 90_000 }, () => {
  let x: Xvfb;
  let rig: Rig;
  let browser: Browser;
  let worker: WebWorker;
  let xterm: ChildProcess | undefined;

  const phoneWindows = async (): Promise<Win[]> =>
    ((await worker.evaluate(() => chrome.windows.getAll({ populate: true }))) as Win[]).filter((w) => w.tabs?.some((t) => t.url === PHONE_URL));
  const state = <T>(pick: string): Promise<T> => worker.evaluate((p) => (globalThis as any).__voispeed.state()[p], pick) as Promise<T>;
  const focusXterm = () => x.run('xdotool', ['search', '--sync', '--onlyvisible', '--name', 'hkc-xterm', 'windowfocus', '--sync']);
  const focusedName = () => {
    try {
      return x.run('xdotool', ['getwindowfocus', 'getwindowname']).trim();
    } catch {
      return '';
    }
  };

  beforeAll(async () => {
    x = await startXvfb(100);
    rig = await startRig('hkc');
    const wav = join(rig.root, 'mic.wav');
    writeToneWav(wav, 440, 5);
    browser = await puppeteer.launch({
      executablePath: chromiumPath,
      headless: false,
      userDataDir: rig.profile,
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [
        ...CHROMIUM_FLAGS,
        `--disable-extensions-except=${chromeTestExtensionDir}`,
        `--load-extension=${chromeTestExtensionDir}`,
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}`,
        '--autoplay-policy=no-user-gesture-required',
        '--window-size=900,700',
      ],
      env: x.env,
    });
    worker = await extensionWorker(browser);
    const popup = await openPopup(browser);
    await waitForStatus(popup, /^Registered as 1001 \(sandbox\)$/, 20_000);
    await popup.close();
    xterm = spawn('xterm', ['-T', 'hkc-xterm', '-geometry', '60x10+600+400'], { env: x.env, stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while ((await state<{ available: boolean } | undefined>('hotkeys'))?.available !== true) {
      if (Date.now() > deadline) throw new Error(`hotkeys never became available: ${JSON.stringify(await state('hotkeys'))}`);
      await sleep(100);
    }
  });
  afterAll(async () => {
    xterm?.kill();
    await browser?.close().catch(() => undefined);
    await rig?.stop();
    await x?.stop();
  });

  it('the show combination brings the phone window to the front from another program', async () => {
    focusXterm();
    expect(focusedName()).toBe('hkc-xterm');
    x.run('xdotool', ['key', 'ctrl+alt+shift+p']);
    await expect.poll(async () => (await phoneWindows()).filter((w) => w.type === 'popup' && w.focused).length, { timeout: 10_000 }).toBe(1);
    // The X server agrees: the keyboard focus left the xterm for the phone window.
    await expect.poll(focusedName, { timeout: 5000 }).toBe('VOIspeed UI');

    await sleep(1100);
    focusXterm();
    expect(focusedName()).toBe('hkc-xterm');
    expect((await phoneWindows())[0]!.focused).toBe(false);
    x.run('xdotool', ['key', 'ctrl+alt+shift+p']);
    await expect.poll(async () => (await phoneWindows())[0]?.focused, { timeout: 10_000 }).toBe(true);
    await expect.poll(focusedName, { timeout: 5000 }).toBe('VOIspeed UI');
    // Brought forward, not opened again.
    expect(await phoneWindows()).toHaveLength(1);
  });

  it('the dial combination calls the highlighted number and the phone window shows the call', async () => {
    await sleep(1100);
    focusXterm();
    setSelection(x, 'tel. 02 6161 6161');
    x.run('xdotool', ['key', 'ctrl+alt+shift+d']);
    const [win] = await phoneWindows();
    const page = (await browser.pages()).find((p) => p.url() === PHONE_URL) as Page;
    expect(win, 'phone window').toBeDefined();
    const card = await page.waitForSelector('[data-testid=call][data-state="active"]', { timeout: 15_000 });
    expect(await card!.evaluate((e) => e.textContent)).toMatch(/02 6161 6161|0261616161/);
    await expect.poll(focusedName, { timeout: 5000 }).toBe('VOIspeed UI');
    await page.click('[data-testid=call] [data-testid=call-hangup]');
    await page.waitForSelector('[data-testid=call][data-state="active"]', { hidden: true, timeout: 10_000 });
  });

  it('a combination another X client grabbed first: the options say "in use"', async () => {
    const other = await X11Backend.open({ display: x.display });
    try {
      expect((await other.bind([{ action: 'dial', combination: 'Ctrl+Alt+Shift+K' }]))[0]!.state).toBe('grabbed');
      const options = await browser.newPage();
      const errors: string[] = [];
      options.on('pageerror', (e) => errors.push(String(e)));
      await options.goto(extensionUrl('extension/options/index.html'));
      await options.waitForSelector('[data-testid=hotkey-dial-state][data-state=grabbed]', { timeout: 10_000 }).catch(async (err: Error) => {
        const html = await options.$eval('[data-testid=hotkeys]', (e) => e.outerHTML).catch(() => '(no hotkeys section)');
        throw new Error(`${err.message}; section: ${html.slice(0, 800)}; errors: ${errors.join(' | ')}`);
      });
      // The key-capture field records the combination pressed while it has the focus.
      await options.focus('[data-testid=hotkey-dial]');
      for (const k of ['Control', 'Alt', 'Shift'] as KeyInput[]) await options.keyboard.down(k);
      await options.keyboard.press('KeyK');
      for (const k of ['Shift', 'Alt', 'Control'] as KeyInput[]) await options.keyboard.up(k);
      const state = await options.waitForSelector('[data-testid=hotkey-dial-state][data-state=in-use]', { timeout: 10_000 });
      expect(await state!.evaluate((e) => e.textContent)).toMatch(/In use by another program/);
      expect(await options.$eval('[data-testid=hotkey-dial]', (e) => e.getAttribute('data-value'))).toBe('Ctrl+Alt+Shift+K');
      expect(await options.$eval('[data-testid=hotkey-show-state]', (e) => e.getAttribute('data-state'))).toBe('grabbed');
      // Back to the defaults: held again.
      await options.click('[data-testid=hotkeys-defaults]');
      await options.waitForSelector('[data-testid=hotkey-dial-state][data-state=grabbed]', { timeout: 10_000 }).catch(async (err: Error) => {
        const html = await options.$eval('[data-testid=hotkeys]', (e) => e.outerHTML).catch(() => '(no hotkeys section)');
        throw new Error(`after the defaults: ${err.message}; section: ${html.slice(0, 1500)}; errors: ${errors.join(' | ')}`);
      });
      expect(await options.$eval('[data-testid=hotkey-dial]', (e) => e.getAttribute('data-value'))).toBe('Ctrl+Alt+Shift+D');
    } finally {
      await other.close();
    }
  });
});
