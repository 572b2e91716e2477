import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectControl } from '../../native-host/src/control/control-client';
import { startSandbox } from '../../native-host/src/sandbox';
import { launchChromium, openPopup, seenStatusTexts, statusText, waitForStatus } from '../support/chromium';
import { chromeExtensionDir, startRig, type Rig } from '../support/sandbox-fixture';

const REGISTERED = /^Registered as 1001 \(sandbox\)$/;

async function hostPid(home: string): Promise<number> {
  const client = await connectControl(join(home, 'run', 'control.sock'));
  try {
    return (await client.request('status')).host.pid;
  } finally {
    client.close();
  }
}

describe('walking skeleton in Chromium: extension ⇄ host ⇄ sandbox PBX', () => {
  let rig: Rig;
  let browser: Browser;
  let popup: Page;

  beforeAll(async () => {
    rig = await startRig('skel');
    browser = await launchChromium({ userDataDir: rig.profile, extensionDir: chromeExtensionDir });
    popup = await openPopup(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('the popup shows "Registered as 1001 (sandbox)"', async () => {
    await waitForStatus(popup, REGISTERED, 15_000);
    expect(await statusText(popup)).toMatch(REGISTERED);
    // The PBX agrees: Kamailio logged the REGISTER of 1001 over WebSocket.
    const { readFile } = await import('node:fs/promises');
    const klog = await readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8');
    expect(klog).toMatch(/REQ REGISTER sip:sandbox\.voispeed\.test from (ws|tcp):127\.0\.0\.1/i);
  });

  it('Kamailio stops: unregistered; it comes back: registered again within 5 s', async () => {
    const kamailio = rig.sandbox.processes.kamailio.pid!;
    // Kamailio's main process and its workers share a process group: end them all, like a crash.
    process.kill(-kamailio, 'SIGKILL');
    await waitForStatus(popup, /^Not registered$/, 10_000);
    expect(await popup.$eval('[data-testid=cause]', (e) => e.textContent)).toMatch(/Connection Error/);

    rig.sandbox = await startSandbox({ dir: join(rig.home, 'sandbox') });
    const ms = await waitForStatus(popup, REGISTERED, 5_000);
    console.log(`re-registered ${ms} ms after Kamailio was back`);
    expect(ms).toBeLessThanOrEqual(5_000);
  });

  it('kill -9 of the host: the popup shows it gone, then a new host registers again', async () => {
    const old = await hostPid(rig.home);
    await popup.evaluate(() => ((window as unknown as { __seen: string[] }).__seen = []));
    process.kill(old, 'SIGKILL');
    await waitForStatus(popup, /host stopped/, 5_000);
    await waitForStatus(popup, REGISTERED, 15_000);
    const seen = await seenStatusTexts(popup);
    expect(seen.some((t) => /host stopped/.test(t)), seen.join(' | ')).toBe(true);
    const fresh = await hostPid(rig.home);
    expect(fresh).not.toBe(old);
  });

  it('the options page shows the same state', async () => {
    const page = await browser.newPage();
    await page.goto(popup.url().replace('popup/index.html', 'options/index.html'));
    await page.waitForSelector('[data-testid=registration]');
    await waitForStatus(page, REGISTERED, 5_000);
    await page.close();
  });
});

describe('Chromium without the host installed', () => {
  let rig: Rig;
  let browser: Browser;

  beforeAll(async () => {
    rig = await startRig('nohost', { account: false });
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('the popup says the host is missing and shows the exact install command', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    browser = await launchChromium({ userDataDir: mkdtempSync(join(tmpdir(), 'vs-bare-')), extensionDir: chromeExtensionDir });
    const popup = await openPopup(browser);
    await waitForStatus(popup, /not installed/, 10_000);
    expect(await popup.$eval('[data-testid=install-command]', (e) => e.textContent)).toBe('voispeed install --browser chromium');
  });
});
