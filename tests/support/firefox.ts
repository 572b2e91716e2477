import { randomUUID } from 'node:crypto';
import puppeteer, { type Browser } from 'puppeteer';
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
