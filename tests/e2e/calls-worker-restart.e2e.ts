import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectControl } from '../../native-host/src/control/control-client';
import { BOT_HZ, MIC_HZ, callCard, clickInCall, heard, latestBotRecording, startCallRig, type CallRig } from '../support/call-rig';
import { extensionWorker, openPopup, waitForServiceWorker } from '../support/chromium';
import { analyseWav } from '../support/wav';

const within = (value: number, target: number, share = 0.05) => Math.abs(value - target) <= target * share;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function hostStatus(home: string) {
  const client = await connectControl(join(home, 'run', 'control.sock'));
  try {
    return await client.request('status');
  } finally {
    client.close();
  }
}

describe('a service-worker restart during a call (Chromium)', { timeout: 90_000 }, () => {
  let rig: CallRig;

  beforeAll(async () => {
    rig = await startCallRig('worker-restart');
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('keeps the call: same host, same call id, audio both ways after the restart, and it still hangs up', async () => {
    const since = Date.now();
    await rig.popup.type('[data-testid=dial-input]', '2001');
    await rig.popup.click('[data-testid=dial-call]');
    const id = await callCard(rig.popup, 'active');
    const hostBefore = (await hostStatus(rig.home)).host.pid;
    await sleep(1500);

    // Chrome stops the worker: its native port closes and Chrome kills the process it started.
    const oldTarget = await waitForServiceWorker(rig.browser);
    const gone = new Promise<void>((resolve) => rig.browser.on('targetdestroyed', (t) => t === oldTarget && resolve()));
    await rig.worker.close();
    const stoppedAt = Date.now();
    await gone;
    // The offscreen document, still carrying the call, wakes a new worker by connecting back.
    const worker = await extensionWorker(rig.browser);
    const popup = await openPopup(rig.browser);
    await popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=active]`, { timeout: 15_000 });
    console.log(`call back in a new popup ${Date.now() - stoppedAt} ms after the worker stopped`);
    expect((await hostStatus(rig.home)).host.pid).toBe(hostBefore);
    // The new worker reached the host through a new launcher: the old port really closed.
    const launches = (await readFile(join(rig.home, 'logs', 'launcher.log'), 'utf8')).match(/launcher starting/g) ?? [];
    expect(launches.length).toBeGreaterThanOrEqual(2);

    await sleep(2500);
    const ear = await heard(worker);
    console.log(`after the restart the extension heard ${ear.dominantHz.toFixed(1)} Hz at RMS ${ear.rms.toFixed(4)}`);
    expect(within(ear.dominantHz, BOT_HZ), `${ear.dominantHz} Hz`).toBe(true);
    expect(ear.rms).toBeGreaterThan(0.01);
    const restartOffset = (Date.now() - since) / 1000;

    const kamailio = await readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8');
    expect(kamailio.split('\n').filter((l) => /REQ (BYE|CANCEL) /.test(l)), 'nobody hung up during the restart').toEqual([]);

    await clickInCall(popup, id, 'call-hangup');
    await popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
    await sleep(500);
    const file = latestBotRecording(rig, since);
    expect(file, 'the bot recorded the call').toBeDefined();
    // The last seconds of the bot's recording, all after the restart: our microphone still reaches it.
    const tail = analyseWav(file!, Math.max(0, restartOffset - 3), restartOffset);
    console.log(`after the restart the bot heard ${tail.hz.toFixed(1)} Hz at RMS ${tail.rms.toFixed(4)}`);
    expect(within(tail.hz, MIC_HZ), `${tail.hz} Hz`).toBe(true);
    expect(tail.rms).toBeGreaterThan(0.02);
  });
});
