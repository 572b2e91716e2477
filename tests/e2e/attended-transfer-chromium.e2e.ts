import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botRecordingsDir, BOT_PROFILES } from '../../native-host/src/sandbox/users';
import { baresipCommand } from '../support/baresip-ctrl';
import { BOT_HZ, callCard, clickInCall, heard, startCallRig, type CallRig } from '../support/call-rig';
import { analyseWav } from '../support/wav';
import { runCli } from '../support/cli';
import { callerOptions, referRefusingCaller } from '../fixtures/refer-refusing-caller';
import { KamailioLog } from '../fixtures/numbers-e2e-helpers';

const within = (value: number, target: number, share = 0.05) => Math.abs(value - target) <= target * share;
// Audio needs time to be heard: a recording's length, not a wait for a state.
const listen = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TARGET_HZ = BOT_PROFILES['3001'].toneHz;

/**
 * What a bot heard at the end of its newest call: the last 2 s of its most recently written
 * recording. sndfile names a file by the second the call began, so the caller's first call and its
 * call to the target (both within one second on a fast run) may share a file: only the tail is sure.
 */
function lastHeard(dir: string, since: number): { hz: number; rms: number; seconds: number } | undefined {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('-dec.wav'))
    .map((f) => ({ f: join(dir, f), t: statSync(join(dir, f)).mtimeMs }))
    .filter((x) => x.t >= since)
    .sort((a, b) => b.t - a.t)[0]?.f;
  if (!file) return undefined;
  const { seconds } = analyseWav(file);
  return { ...analyseWav(file, Math.max(0, seconds - 2)), seconds };
}

/**
 * Attended transfer (issue 17) through real parts: the caller is the sandbox's bot 2001 (baresip,
 * 1 kHz), the target 3001 (baresip, 700 Hz), the user 1001 in Chromium (fake 440 Hz microphone),
 * all through Kamailio + rtpengine.
 */
describe('attended transfer in Chromium', { timeout: 90_000 }, () => {
  let rig: CallRig;
  const card = (id: string) => `[data-testid=call][data-call-id="${id}"]`;
  const kamailioLog = () => readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8');

  beforeAll(async () => {
    rig = await startCallRig('attended');
  });
  afterAll(async () => {
    await rig?.close();
  });

  const mediaState = async () =>
    (await rig.worker.evaluate(() =>
      (globalThis as unknown as { __voispeedMedia: { engine(m: string, p: unknown): Promise<unknown> } }).__voispeedMedia.engine('test.state', {}),
    )) as { pcs: { pcId: string }[] };

  /** 2001 calls the user, who answers: the caller's call id. */
  async function callerOnTheLine(): Promise<string> {
    await baresipCommand(rig.sandbox.users['2001'].ctrl!, 'dial', `sip:1001@${rig.sandbox.domain}`);
    const id = await callCard(rig.popup, 'ringing-in');
    await clickInCall(rig.popup, id, 'call-answer');
    await rig.popup.waitForSelector(`${card(id)}[data-state=active]`);
    return id;
  }

  async function consult(callerId: string, target: string): Promise<void> {
    await rig.popup.type(`${card(callerId)} [data-testid=call-transfer-input]`, target);
    await clickInCall(rig.popup, callerId, 'call-consult');
  }

  /** The consult call's id, once the target answered (the caller on hold). */
  async function targetAnswered(callerId: string): Promise<string> {
    await rig.popup.waitForSelector(`${card(callerId)}[data-state=held] [data-testid=attended-transfer][data-phase=talking]`, { timeout: 15_000 });
    const el = await rig.popup.waitForSelector(`[data-testid=call][data-state=active]:not([data-call-id="${callerId}"])`);
    return (await el!.evaluate((e) => e.getAttribute('data-call-id'))) ?? '';
  }

  it('consult 3001, complete: the caller and 3001 hear each other, our legs are gone', async () => {
    const k0 = (await kamailioLog()).length;
    const callerId = await callerOnTheLine();
    await consult(callerId, '3001');
    const consultId = await targetAnswered(callerId);
    const completedAt = Date.now();
    await clickInCall(rig.popup, callerId, 'call-transfer-complete');
    await rig.popup.waitForSelector(`${card(callerId)}[data-state=ended]`, { timeout: 15_000 });
    await rig.popup.waitForSelector(`${card(consultId)}[data-state=ended]`, { timeout: 15_000 });
    const k1 = (await kamailioLog()).slice(k0);
    expect(k1).toMatch(/REQ REFER sip:2001-/);
    expect(k1).toMatch(/FWD INVITE sip:3001@[^ ]*Replaces=/);

    // No peer connection of ours is left in the browser.
    expect((await mediaState()).pcs).toEqual([]);

    await listen(3000);
    await baresipCommand(rig.sandbox.users['3001'].ctrl!, 'hangup');
    await listen(300);
    const a = lastHeard(rig.sandbox.recordingsDir, completedAt);
    const b = lastHeard(botRecordingsDir(rig.sandbox.recordingsDir, '3001'), completedAt);
    if (!a || !b) throw new Error(`no recording after the transfer: caller ${!!a}, 3001 ${!!b}`);
    console.log(`caller heard ${a.hz.toFixed(1)} Hz RMS ${a.rms.toFixed(4)} over ${a.seconds.toFixed(1)} s; 3001 heard ${b.hz.toFixed(1)} Hz RMS ${b.rms.toFixed(4)} over ${b.seconds.toFixed(1)} s`);
    expect(within(a.hz, TARGET_HZ), `caller heard ${a.hz} Hz`).toBe(true);
    expect(a.rms).toBeGreaterThan(0.02);
    expect(within(b.hz, BOT_HZ), `3001 heard ${b.hz} Hz`).toBe(true);
    expect(b.rms).toBeGreaterThan(0.02);
  });

  it('consult 3001, cancel: 3001 is hung up, the caller is resumed with audio', async () => {
    const callerId = await callerOnTheLine();
    await consult(callerId, '3001');
    const consultId = await targetAnswered(callerId);
    await clickInCall(rig.popup, callerId, 'call-transfer-cancel');
    await rig.popup.waitForSelector(`${card(consultId)}[data-state=ended]`);
    await rig.popup.waitForSelector(`${card(callerId)}[data-state=active]`);
    expect(await rig.popup.$(`${card(callerId)} [data-testid=attended-transfer]`)).toBeNull();
    // The caller's peer connection is the one left (the consult's is closed).
    const { pcs } = await mediaState();
    expect(pcs.length).toBe(1);
    await listen(2000);
    const ear = await heard(rig.worker, pcs[0]!.pcId);
    expect(within(ear.dominantHz, BOT_HZ), `heard ${ear.dominantHz} Hz after cancel`).toBe(true);
    expect(ear.rms).toBeGreaterThan(0.01);
    await clickInCall(rig.popup, callerId, 'call-hangup');
    await rig.popup.waitForSelector(`${card(callerId)}[data-state=ended]`);
  });

  it('target busy: the caller stays on hold, the reason is shown; Cancel returns to the caller', async () => {
    const callerId = await callerOnTheLine();
    await consult(callerId, '486');
    const panel = await rig.popup.waitForSelector(`${card(callerId)}[data-state=held] [data-testid=attended-transfer][data-phase=failed][data-failure=target-busy]`, { timeout: 15_000 });
    expect(await panel!.evaluate((e) => e.textContent)).toMatch(/486 is busy \(SIP 486\): the caller is still on hold/);
    await clickInCall(rig.popup, callerId, 'call-transfer-cancel');
    await rig.popup.waitForSelector(`${card(callerId)}[data-state=active]`);
    await clickInCall(rig.popup, callerId, 'call-hangup');
    await rig.popup.waitForSelector(`${card(callerId)}[data-state=ended]`);
  });

  it('REFER refused by the caller\'s side (403): the reason is shown, the target is still there; Cancel returns to the caller', async () => {
    const caller = referRefusingCaller(await callerOptions(rig, '1002', '1001'));
    const callerId = await callCard(rig.popup, 'ringing-in');
    await clickInCall(rig.popup, callerId, 'call-answer');
    await rig.popup.waitForSelector(`${card(callerId)}[data-state=active]`);
    await consult(callerId, '3001');
    const consultId = await targetAnswered(callerId);
    await clickInCall(rig.popup, callerId, 'call-transfer-complete');
    const panel = await rig.popup.waitForSelector(`${card(callerId)} [data-testid=attended-transfer][data-phase=failed][data-failure=refer-refused]`, { timeout: 15_000 });
    expect(await panel!.evaluate((e) => e.textContent)).toContain('The PBX refused the transfer to 3001 (SIP 403)');
    expect(await rig.popup.$(`${card(consultId)}[data-state=active]`)).not.toBeNull();
    const klog = new KamailioLog(rig.home);
    await klog.mark();
    await clickInCall(rig.popup, callerId, 'call-transfer-cancel');
    await rig.popup.waitForSelector(`${card(consultId)}[data-state=ended]`);
    await rig.popup.waitForSelector(`${card(callerId)}[data-state=active]`);
    // Shown active when the resume is sent: hang up once sipp answered it, or the BYE may overtake
    // the re-INVITE between Kamailio's workers on a busy machine (sipp: "unexpected BYE").
    await klog.waitFor(/RPL 200 INVITE from udp:127\.0\.0\.1:\d+/, 1);
    await clickInCall(rig.popup, callerId, 'call-hangup');
    const done = await caller;
    expect(done.code, done.out.slice(-1500)).toBe(0);
  });

  it('the CLI: transfer --attended 3001, then --complete; the caller reaches 3001', async () => {
    const callerId = await callerOnTheLine();
    const consulted = await runCli(rig.home, ['transfer', '--attended', '3001', '--json']);
    expect(consulted.code, consulted.err).toBe(0);
    expect(JSON.parse(consulted.out)).toMatchObject({ id: callerId, transfer: { target: '3001' } });
    await targetAnswered(callerId);
    const early = await runCli(rig.home, ['transfer', '--attended', '3001', '--complete']);
    expect(early.code).not.toBe(0);
    const done = await runCli(rig.home, ['transfer', '--complete']);
    expect(done.code, done.err).toBe(0);
    expect(done.out).toMatch(new RegExp(`^${callerId.replace(/[.+]/g, '\\$&')} held .* transfer to 3001: completing$`));
    await rig.popup.waitForSelector(`${card(callerId)}[data-state=ended]`, { timeout: 15_000 });
    await rig.popup.waitForFunction(() => document.querySelectorAll('[data-testid=call]:not([data-state=ended])').length === 0, { timeout: 15_000 });
    expect(await baresipCommand(rig.sandbox.users['3001'].ctrl!, 'hangup')).toBeTruthy();
  });

  it('the Recent list says the completed calls were transferred to 3001', async () => {
    await rig.popup.click('[data-testid=tab-recent]');
    await rig.popup.waitForFunction(() => [...document.querySelectorAll('[data-testid=recent-transferred]')].filter((e) => e.textContent === 'transferred to 3001').length === 2, {
      timeout: 10_000,
    });
  });
});
