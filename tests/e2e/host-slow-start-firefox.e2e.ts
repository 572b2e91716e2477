import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { afterAll, describe, expect, it } from 'vitest';
import { install } from '../../native-host/src/install';
import { launchFirefox, openExtensionPage } from '../support/firefox';
import { repoRoot } from '../support/host-process';
import { firefoxExtensionDir, startRig, type Rig } from '../support/sandbox-fixture';

/**
 * A loaded machine: Firefox's launcher takes 4.5 s to boot and the host daemon it starts another
 * second and more. The extension used to give up on the hello after 5 s, abandoning the launcher
 * while its host was still starting; that host then exited idle before the next attempt's
 * (equally slow) launcher reached it, which started yet another host: the popup stayed at
 * "Connecting to the VOIspeed host…" (hotkeys-firefox beforeAll under the full suite).
 */
describe('Firefox ESR with a slow-starting launcher and host', () => {
  let rig: Rig | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await rig?.stop();
  });

  it('the first launcher reaches the host it started: registered, one host started', async () => {
    rig = await startRig('slow');
    const ffHome = join(rig.root, 'ff-home');
    mkdirSync(ffHome, { recursive: true });
    await install({
      bundleDir: join(repoRoot, 'dist/host'),
      browsers: ['firefox'],
      homedir: ffHome,
      env: { ...process.env, HOME: ffHome, VOISPEED_HOME: rig.home },
      log: () => undefined,
    });
    const launched = await launchFirefox({
      home: ffHome,
      extensionDir: firefoxExtensionDir,
      env: {
        NODE_OPTIONS: `--require ${join(repoRoot, 'tests/support/slow-start.cjs')}`,
        VOISPEED_TEST_LAUNCHER_DELAY_MS: '4500',
        VOISPEED_TEST_HOST_DELAY_MS: '1500',
      },
    });
    browser = launched.browser;
    const page = await openExtensionPage(browser, `${launched.base}extension/popup/index.html`);
    await page
      .waitForFunction(() => /^Registered as 1001/.test(document.querySelector('[data-testid=registration]')?.textContent ?? ''), { timeout: 30_000, polling: 200 })
      .catch(async (err: Error) => {
        const text = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '(no page)');
        throw new Error(`${err.message}; popup says: ${text.slice(0, 300)}`);
      });
    // The property: the extension waited for the launcher, which waited for its host; no second
    // launcher, no second host racing for the lock.
    const started = (name: string, msg: string) =>
      readFileSync(join(rig!.home, 'logs', `${name}.log`), 'utf8')
        .split('\n')
        .filter((l) => l.includes(`"msg":"${msg}"`)).length;
    expect({ launchers: started('launcher', 'launcher starting'), hosts: started('host', 'host starting') }).toEqual({ launchers: 1, hosts: 1 });
  });
});
