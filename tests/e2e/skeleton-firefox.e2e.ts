import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../native-host/src/install';
import { launchFirefox, openExtensionPage } from '../support/firefox';
import { repoRoot } from '../support/host-process';
import { firefoxExtensionDir, startRig, type Rig } from '../support/sandbox-fixture';

describe('walking skeleton in Firefox ESR', () => {
  let rig: Rig;
  let browser: Browser | undefined;

  beforeAll(async () => {
    rig = await startRig('ff');
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('the extension loads, reaches the host and shows "Registered"', async () => {
    // Firefox finds host manifests under $HOME/.mozilla/native-messaging-hosts.
    const ffHome = join(rig.root, 'ff-home');
    mkdirSync(ffHome, { recursive: true });
    const result = await install({
      bundleDir: join(repoRoot, 'dist/host'),
      browsers: ['firefox'],
      homedir: ffHome,
      env: { ...process.env, HOME: ffHome, VOISPEED_HOME: rig.home },
      log: () => undefined,
    });
    expect(result.written.some((e) => e.path.startsWith(join(ffHome, '.mozilla', 'native-messaging-hosts')))).toBe(true);

    const launched = await launchFirefox({ home: ffHome, extensionDir: firefoxExtensionDir });
    browser = launched.browser;
    const page = await openExtensionPage(browser, `${launched.base}extension/popup/index.html`);
    await page.waitForSelector('[data-testid=registration]', { timeout: 15_000 });
    await page.waitForFunction(
      () => /^Registered as 1001 \(sandbox\)$/.test(document.querySelector('[data-testid=registration]')?.textContent ?? ''),
      { timeout: 15_000, polling: 200 },
    );
  });
});
