import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baresipCommand } from '../support/baresip-ctrl';
import { BOT_HZ, MIC_HZ, callCard, clickInCall, heard, latestBotRecording, startCallRig, type CallRig } from '../support/call-rig';
import { analyseWav } from '../support/wav';

const within = (value: number, target: number, share = 0.05) => Math.abs(value - target) <= target * share;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('calls with real two-way audio in Chromium', { timeout: 60_000 }, () => {
  let rig: CallRig;

  beforeAll(async () => {
    rig = await startCallRig('calls');
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('outgoing: the popup dials 2001; the bot hears 440 Hz and the extension hears 1 kHz', async () => {
    const since = Date.now();
    await rig.popup.type('[data-testid=dial-input]', '2001');
    await rig.popup.click('[data-testid=dial-call]');
    const id = await callCard(rig.popup, 'active');
    await sleep(2500);
    const ear = await heard(rig.worker);
    console.log(`extension heard ${ear.dominantHz.toFixed(1)} Hz at RMS ${ear.rms.toFixed(4)}`);
    expect(within(ear.dominantHz, BOT_HZ), `${ear.dominantHz} Hz`).toBe(true);
    expect(ear.rms).toBeGreaterThan(0.01);

    await clickInCall(rig.popup, id, 'call-hangup');
    await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
    await sleep(500);
    const file = latestBotRecording(rig, since);
    expect(file, 'the bot recorded the call').toBeDefined();
    const bot = analyseWav(file!);
    console.log(`bot heard ${bot.hz.toFixed(1)} Hz at RMS ${bot.rms.toFixed(4)} over ${bot.seconds.toFixed(1)} s`);
    expect(within(bot.hz, MIC_HZ), `${bot.hz} Hz`).toBe(true);
    expect(bot.rms).toBeGreaterThan(0.02);
  });

  it('incoming: the bot dials 1001, the popup rings, Answer gives audio both ways, the bot hangs up', async () => {
    const ctrl = rig.sandbox.users['2001'].ctrl!;
    await baresipCommand(ctrl, 'dial', `sip:1001@${rig.sandbox.domain}`);
    const id = await callCard(rig.popup, 'ringing-in');
    await clickInCall(rig.popup, id, 'call-answer');
    await callCard(rig.popup, 'active');
    await sleep(2500);
    const ear = await heard(rig.worker);
    expect(within(ear.dominantHz, BOT_HZ), `${ear.dominantHz} Hz`).toBe(true);
    await baresipCommand(ctrl, 'hangup');
    await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
  });
});
