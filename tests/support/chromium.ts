import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { CHROMIUM_EXTENSION_ID } from '../../shared/extension-ids';

/** Debian's wrapper script prints noise and prepends flags; the real binary is beside it. */
export const chromiumPath = existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  // Without it WebRTC offers no 127.0.0.1 candidate, so a relay on loopback is unreachable.
  '--allow-loopback-in-peer-connection',
];

export interface LaunchOptions {
  userDataDir: string;
  extensionDir: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Another program that runs Chromium (tests/support/etc-overlay.ts: Chromium with a private /etc). */
  executablePath?: string;
}

export async function launchChromium(o: LaunchOptions): Promise<Browser> {
  return puppeteer.launch({
    executablePath: o.executablePath ?? chromiumPath,
    headless: true,
    userDataDir: o.userDataDir,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [...CHROMIUM_FLAGS, `--disable-extensions-except=${o.extensionDir}`, `--load-extension=${o.extensionDir}`, ...(o.args ?? [])],
    env: { ...process.env, ...o.env },
  });
}

export const extensionUrl = (path: string) => `chrome-extension://${CHROMIUM_EXTENSION_ID}/${path}`;

export async function waitForServiceWorker(browser: Browser, timeoutMs = 15_000) {
  return browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`),
    { timeout: timeoutMs },
  );
}

/** Opens the popup's page in a tab: the same document the toolbar button shows. */
export async function openPopup(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(extensionUrl('extension/popup/index.html'));
  await page.waitForSelector('[data-testid=registration]');
  await recordStatusTexts(page);
  return page;
}

/**
 * Remembers every text the status line shows, so a test can assert a state that lasted only a
 * moment (e.g. "host stopped" before the reconnect).
 */
export async function recordStatusTexts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __seen: string[] };
    w.__seen = [];
    const el = () => document.querySelector('[data-testid=registration]');
    const note = () => {
      const t = el()?.textContent ?? '';
      if (w.__seen[w.__seen.length - 1] !== t) w.__seen.push(t);
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

export async function seenStatusTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
}

export async function statusText(page: Page): Promise<string> {
  return page.$eval('[data-testid=registration]', (e) => e.textContent ?? '');
}

export async function waitForStatus(page: Page, pattern: RegExp, timeoutMs = 15_000): Promise<number> {
  const t0 = Date.now();
  await page.waitForFunction(
    (source: string, flags: string) =>
      new RegExp(source, flags).test(document.querySelector('[data-testid=registration]')?.textContent ?? ''),
    { timeout: timeoutMs, polling: 'mutation' },
    pattern.source,
    pattern.flags,
  );
  return Date.now() - t0;
}

/** The extension's service worker, once its extension APIs are bound (they are not at first). */
export async function extensionWorker(browser: Browser) {
  const worker = await (await waitForServiceWorker(browser)).worker();
  if (!worker) throw new Error('the extension service worker has no execution context');
  const deadline = Date.now() + 10_000;
  while ((await worker.evaluate('typeof chrome === "object" && !!chrome.runtime')) !== true) {
    if (Date.now() > deadline) throw new Error('chrome.* never appeared in the service worker');
    await new Promise((r) => setTimeout(r, 50));
  }
  return worker;
}
