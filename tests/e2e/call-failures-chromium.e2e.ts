import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureDevices } from '../../scripts/capture-devices.mjs';
import { baresipCommand } from '../support/baresip-ctrl';
import { startCallRig, type CallRig } from '../support/call-rig';
import { extensionUrl } from '../support/chromium';
import { runCli } from '../support/cli';
import { ExtensionPage, KamailioLog, sleep, textPoint } from '../fixtures/numbers-e2e-helpers';
import { ContentWorld } from '../fixtures/numbers-harness';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';

const machine = captureDevices();

/**
 * Issue 12.7: on a machine without a microphone (Chromium without its fake devices), a call that
 * cannot start says why — in the popup, the page toast, the CLI — and Recent records it as failed
 * with that reason, never as "No answer". Needs a machine with no capture device.
 */
describe.skipIf(machine.present)('a call that cannot start says why (no microphone)', { timeout: 120_000 }, () => {
  let rig: CallRig;
  let klog: KamailioLog;
  let server: FixtureServer;

  const cli = (...args: string[]) => runCli(rig.home, args);
  const newestRecent = async (popup: Page) => {
    await popup.click('[data-testid=tab-recent]');
    const row = await popup.waitForSelector('[data-testid=recent]');
    const got = await row!.evaluate((e) => ({ result: e.getAttribute('data-result'), number: e.getAttribute('data-number'), text: e.querySelector('[data-testid=recent-result]')?.textContent ?? '' }));
    await popup.click('[data-testid=tab-calls]');
    return got;
  };

  beforeAll(async () => {
    console.log(`capture devices: ${machine.why}`);
    server = await serveFixtures({}, { '/demo.html': { type: 'text/html; charset=utf-8', body: '<!doctype html><title>demo</title><p>Rossi S.r.l. <span id="n">02 6161 6161</span></p>' } });
    rig = await startCallRig('nomic', undefined, { microphone: 'none' });
    klog = new KamailioLog(rig.home);
    for (const p of await rig.browser.pages()) if (p.url().includes('/setup/')) await p.close();
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
    await server?.close();
  });

  it('the popup dials 2001: it says no microphone was found, no INVITE is sent, Recent says Failed: no microphone found', async () => {
    await klog.mark();
    await rig.popup.type('[data-testid=dial-input]', '2001');
    await rig.popup.click('[data-testid=dial-call]');
    const alert = await rig.popup.waitForSelector('p.error[role=alert]', { timeout: 15_000 });
    expect(await alert!.evaluate((e) => e.textContent)).toBe('The call could not start: no microphone found');
    expect(await klog.since()).not.toMatch(/INVITE sip:2001@/);
    expect(await newestRecent(rig.popup)).toEqual({ result: 'failed', number: '2001', text: 'Failed: no microphone found' });
  });

  it('a number clicked on a page: the toast says why the call could not be made', async () => {
    const ext = await ExtensionPage.open(rig.browser, extensionUrl('extension/options/index.html'));
    const page = await rig.browser.newPage();
    const world = await ContentWorld.attach(page);
    await page.goto(server.url('/demo.html'), { waitUntil: 'load' });
    await page.bringToFront();
    await world.idle();
    const point = await textPoint(page, `document.getElementById('n')`);
    await page.mouse.click(point.x, point.y);
    let last: { ok: boolean; text: string } | undefined;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(100)) {
      last = (await ext.recent()).at(-1);
      if (last) break;
    }
    expect(last).toMatchObject({ ok: false, text: 'Could not call 02 6161 6161: no microphone found' });
    await page.close();
    await ext.page.close();
  });

  it('voispeed call exits 1 with the reason', async () => {
    const r = await cli('call', '2001');
    expect(r.out).toBe('');
    expect(r.err).toBe('voispeed: the call to 2001 did not start: no microphone was found');
    expect(r.code).toBe(1);
  });

  it('answering an incoming call without a microphone ends it as failed, with the reason', async () => {
    await baresipCommand(rig.sandbox.users['2001'].ctrl!, 'dial', `sip:1001@${rig.sandbox.domain}`);
    const card = await rig.popup.waitForSelector('[data-testid=call][data-state="ringing-in"]', { timeout: 15_000 });
    const id = await card!.evaluate((e) => e.getAttribute('data-call-id'));
    await rig.popup.click(`[data-testid=call][data-call-id="${id}"] [data-testid=call-answer]`);
    const ended = await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`, { timeout: 15_000 });
    expect(await ended!.evaluate((e) => e.textContent)).toContain('no microphone found');
    expect(await newestRecent(rig.popup)).toEqual({ result: 'failed', number: '2001', text: 'Failed: no microphone found' });
  });
});

/** Issue 12.7: the microphone permission refused (the user clicked Block) is said as such. */
describe('a call that cannot start says why (microphone refused)', { timeout: 120_000 }, () => {
  let rig: CallRig;
  let klog: KamailioLog;

  beforeAll(async () => {
    rig = await startCallRig('micdenied', undefined, { microphone: 'denied' });
    klog = new KamailioLog(rig.home);
    for (const p of await rig.browser.pages()) if (p.url().includes('/setup/')) await p.close();
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('the popup dials 2001: no access to the microphone, no INVITE, Recent says so', async () => {
    await klog.mark();
    await rig.popup.type('[data-testid=dial-input]', '2001');
    await rig.popup.click('[data-testid=dial-call]');
    const alert = await rig.popup.waitForSelector('p.error[role=alert]', { timeout: 15_000 });
    expect(await alert!.evaluate((e) => e.textContent)).toBe('The call could not start: no access to the microphone');
    expect(await klog.since()).not.toMatch(/INVITE sip:2001@/);
    await rig.popup.click('[data-testid=tab-recent]');
    const row = await rig.popup.waitForSelector('[data-testid=recent]');
    expect(await row!.evaluate((e) => [e.getAttribute('data-result'), e.querySelector('[data-testid=recent-result]')?.textContent])).toEqual(['failed', 'Failed: no access to the microphone']);
  });
});
