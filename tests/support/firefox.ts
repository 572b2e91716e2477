import { randomUUID } from 'node:crypto';
import puppeteer, { ProtocolError, type Browser, type Page } from 'puppeteer';
import { FIREFOX_EXTENSION_ID } from '../../shared/extension-ids';

export interface FirefoxLaunch {
  browser: Browser;
  /** moz-extension://<uuid>/ — pinned so the test can open extension pages. */
  base: string;
}

/**
 * Firefox ESR through WebDriver BiDi. HOME decides where Firefox looks for host manifests
 * (~/.mozilla/native-messaging-hosts), so each test gives it its own.
 */
export async function launchFirefox(opts: { home: string; extensionDir: string; env?: NodeJS.ProcessEnv; prefs?: Record<string, unknown>; executablePath?: string }): Promise<FirefoxLaunch> {
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: opts.executablePath ?? '/usr/bin/firefox-esr',
    headless: true,
    args: ['--remote-allow-system-access'],
    env: { ...process.env, HOME: opts.home, ...opts.env },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXTENSION_ID]: uuid }),
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'app.update.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      ...opts.prefs,
    },
  });
  await browser.installExtension(opts.extensionDir);
  return { browser, base: `moz-extension://${uuid}/` };
}

/**
 * A new tab on one of the extension's own pages (moz-extension://…), returned once it is that page.
 * Such a navigation never resolves in puppeteer's BiDi mode, so it is not awaited; and a wait that
 * began in the about:blank the navigation then replaces can fail with a protocol error instead of
 * retrying (its realm goes away mid-evaluate: "right-hand side of 'in' should be an object, got
 * null"). So this waits, retrying such errors, until the tab's document is the page asked for.
 */
export async function openExtensionPage(browser: Browser, url: string, timeoutMs = 20_000): Promise<Page> {
  const page = await browser.newPage();
  page.goto(url).catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await page.waitForFunction((want: string) => location.href.startsWith(want) && document.readyState !== 'loading', { timeout: Math.max(1, deadline - Date.now()), polling: 50 }, url);
      return page;
    } catch (err) {
      if (!fromProtocol(err) || Date.now() >= deadline) throw err;
    }
  }
}

/** puppeteer's wait rethrows a protocol error as "Waiting failed" with the ProtocolError as its cause. */
function fromProtocol(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof ProtocolError) return true;
  }
  return false;
}
