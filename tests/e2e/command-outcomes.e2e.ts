import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baresipCommand } from '../support/baresip-ctrl';
import { callCard, startCallRig, type CallRig } from '../support/call-rig';
import { runCli } from '../support/cli';
import { repoRoot } from '../support/host-process';
import { hangUpAll, KamailioLog, sleep } from '../fixtures/numbers-e2e-helpers';

type Call = { id: string; state: string };

/**
 * Issue 12.4: a command exits 0 only when what it asked for really started; otherwise it prints one
 * line `voispeed: <reason>` and exits non-zero. Real host, sandbox PBX and Chromium test build.
 */
describe('voispeed commands report what really happened', { timeout: 120_000 }, () => {
  let rig: CallRig;
  let klog: KamailioLog;

  const cli = (...args: string[]) => runCli(rig.home, args);
  const waitFor = async (what: string, test: () => Promise<boolean> | boolean, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  };
  const calls = async () => (JSON.parse((await cli('calls', '--json')).out) as Call[]).filter((c) => c.state !== 'ended');

  beforeAll(async () => {
    rig = await startCallRig('outcomes');
    klog = new KamailioLog(rig.home);
    for (const p of await rig.browser.pages()) if (p.url().includes('/setup/')) await p.close();
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('voispeed --version and -V print the version of the package', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await cli(flag)).toEqual({ code: 0, out: `voispeed ${version}`, err: '' });
  });

  it('voispeed call exits 0 once the INVITE is on its way', async () => {
    await klog.mark();
    const placed = await cli('call', '2001', '--json');
    expect(placed.code, placed.err).toBe(0);
    // It really went out (that the answer waits for JsSIP's 'sending' is unit-tested in
    // call-outcomes.test.ts; Kamailio writes its log line a moment after it received the INVITE).
    await waitFor('the INVITE at Kamailio', async () => /REQ INVITE sip:2001@/.test(await klog.since()), 5000);
    expect(JSON.parse(placed.out)).toMatchObject({ remote: { number: '2001' } });
    await callCard(rig.popup, 'active');
    await hangUpAll(rig.home);
    await waitFor('no call left', async () => (await calls()).length === 0);
  });

  it('voispeed:F to a target that answers busy exits 1 with the SIP status, and the call stays up', async () => {
    const placed = JSON.parse((await cli('voispeed:2001', '--json')).out) as Call;
    await waitFor('call active', async () => (await rig.popup.$(`[data-testid=call][data-call-id="${placed.id}"][data-state=active]`)) !== null);
    await klog.mark();
    const fwd = await cli('voispeed:F486');
    console.log(`voispeed voispeed:F486 → exit ${fwd.code}: ${fwd.err || fwd.out}`);
    expect(await klog.since()).toMatch(/REQ REFER sip:2001/);
    expect(fwd.code).toBe(1);
    expect(fwd.out).toBe('');
    expect(fwd.err).toMatch(/^voispeed: the transfer to 486 failed: SIP 486$/);
    expect((await calls()).map((c) => c.id)).toEqual([placed.id]);
    await hangUpAll(rig.home);
    await waitFor('no call left', async () => (await calls()).length === 0);
  });

  it('voispeed transfer to a target that answers exits 0 and our leg ends', async () => {
    const placed = JSON.parse((await cli('call', '2001', '--json')).out) as Call;
    await waitFor('call active', async () => (await rig.popup.$(`[data-testid=call][data-call-id="${placed.id}"][data-state=active]`)) !== null);
    const fwd = await cli('transfer', '3001');
    expect(fwd.code, fwd.err).toBe(0);
    await waitFor('our leg ended', async () => (await calls()).length === 0);
    await baresipCommand(rig.sandbox.users['3001'].ctrl!, 'hangup').catch(() => undefined);
  });

  it('with the browser closed, voispeed call exits 1 saying why, and no INVITE is sent', async () => {
    await klog.mark();
    await rig.browser.close();
    // The host stays 3 s after the last browser left: the command runs inside that window.
    const placed = await cli('call', '0612987654');
    console.log(`voispeed call with no browser → exit ${placed.code}: ${placed.err || placed.out}`);
    expect(placed.out).toBe('');
    expect(placed.err).toMatch(/^voispeed: no browser with the VOIspeed extension is connected to carry the audio$/);
    expect(placed.code).toBe(1);
    await sleep(500);
    expect(await klog.since()).not.toMatch(/INVITE sip:0612987654/);
  });
});
