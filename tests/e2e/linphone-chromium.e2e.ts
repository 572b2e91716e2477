import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MIC_HZ, clickInCall, heard, startCallRig, type CallRig } from '../support/call-rig';
import { linphonecPath, startLinphone, type Linphone } from '../support/linphone';
import { peakHz, writeToneWav } from '../support/wav';

/**
 * Interop with a real softphone: Linphone 5.1 (linphone-cli) registered to the sandbox over UDP as
 * 1003, the UI in Chromium as 1001. Linphone negotiates opus with the browser (rtpengine passes it
 * through), which is where RFC 4733 timing matters: Linphone reports each DTMF start event
 * ("Receiving tone X"), so a tone whose every packet carries the marker bit is counted again.
 */
const LINPHONE_HZ = 600;
const within = (value: number, target: number, share = 0.05) => Math.abs(value - target) <= target * share;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!linphonecPath)('a real softphone (Linphone) and the UI in Chromium', { timeout: 90_000 }, () => {
  let rig: CallRig;
  let lp: Linphone;

  beforeAll(async () => {
    rig = await startCallRig('linphone');
    const mic = join(rig.root, `linphone-mic-${LINPHONE_HZ}.wav`);
    writeToneWav(mic, LINPHONE_HZ, 30);
    lp = await startLinphone({ dir: rig.root, sandbox: rig.sandbox, user: '1003', micWav: mic });
  });
  // A test that failed half-way must not leave a call up for the next one (on either side).
  afterEach(async () => {
    if (!lp || !rig) return;
    lp.command('terminate all');
    await rig.popup
      .waitForFunction(() => !document.querySelector('[data-testid=call]:not([data-state=ended])'), { timeout: 10_000 })
      .catch(() => undefined);
  });
  afterAll(async () => {
    await lp?.close();
    await rig?.close();
  });

  /** Call cards already seen: each test waits for its own call, not an ended one still listed. */
  const seen = new Set<string>();
  async function newCard(state: string): Promise<string> {
    const handle = await rig.popup.waitForFunction(
      (st: string, old: string[]) =>
        [...document.querySelectorAll(`[data-testid=call][data-state="${st}"]`)].map((e) => e.getAttribute('data-call-id') ?? '').find((id) => id && !old.includes(id)),
      { timeout: 15_000 },
      state,
      [...seen],
    );
    const id = (await handle.jsonValue()) as string;
    seen.add(id);
    return id;
  }
  const cardIn = (id: string, state: string, timeout = 15_000) => rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state="${state}"]`, { timeout });

  /** A fresh recording per call, so no test reads what an earlier call left behind. */
  let recordings = 0;
  function recordNextCall(): string {
    const path = join(rig.root, `linphone-heard-${++recordings}.wav`);
    lp.command(`record ${path}`);
    return path;
  }

  async function dialLinphone(): Promise<{ id: string; mark: number; recording: string }> {
    const recording = recordNextCall();
    const mark = lp.output().length;
    await rig.popup.type('[data-testid=dial-input]', '1003');
    await rig.popup.click('[data-testid=dial-call]');
    await lp.waitFor(/Receiving new incoming call from .*, assigned id (\d+)/, 15_000, mark);
    lp.command('answer');
    const id = await newCard('active');
    await lp.waitFor(/Media streams established with /, 15_000, mark);
    return { id, mark, recording };
  }

  it('the UI calls Linphone: audio both ways, each DTMF key reported once, the UI hangs up and both end', async () => {
    const { id, mark, recording } = await dialLinphone();
    // Audio needs time on the wire to be measured at all.
    await sleep(2500);
    const ear = await heard(rig.worker);
    console.log(`extension heard ${ear.dominantHz.toFixed(1)} Hz at RMS ${ear.rms.toFixed(4)} from Linphone`);
    expect(within(ear.dominantHz, LINPHONE_HZ), `${ear.dominantHz} Hz`).toBe(true);
    expect(ear.rms).toBeGreaterThan(0.01);

    for (const key of ['1', '5', '#']) {
      const before = lp.tones(mark).length;
      await rig.popup.click(`[data-testid=call][data-call-id="${id}"] [data-testid="call-dtmf-${key}"]`);
      // The next key only after Linphone reported this one, so a repeat is attributed to its key.
      await lp.waitForTones(before + 1, 10_000, mark);
    }
    // Then typed as fast as the popup takes clicks: each key while the previous one sounds.
    for (const key of ['2', '4', '*']) await rig.popup.click(`[data-testid=call][data-call-id="${id}"] [data-testid="call-dtmf-${key}"]`);
    await lp.waitForTones(6, 10_000, mark).catch(() => undefined);
    await clickInCall(rig.popup, id, 'call-hangup');
    await cardIn(id, 'ended');
    const tones = lp.tones(mark);
    console.log(`Linphone reported tones ${JSON.stringify(tones)} for keys "15#" then "24*"`);
    expect.soft(tones).toBe('15#24*');
    // Linphone ends only when the UI's BYE reaches it (a GRUU Contact made the BYE unroutable).
    await lp.waitFor(/Call \d+ with [^\n]* ended/, 15_000, mark);

    const linphoneHeard = peakHz(recording);
    console.log(`Linphone heard ${linphoneHeard.hz.toFixed(1)} Hz at RMS ${linphoneHeard.rms.toFixed(4)}`);
    expect(within(linphoneHeard.hz, MIC_HZ), `${linphoneHeard.hz} Hz`).toBe(true);
    expect(linphoneHeard.rms).toBeGreaterThan(0.02);
  });

  it('Linphone calls the UI: the popup rings, Answer gives audio both ways, Linphone hangs up and both end', async () => {
    const recording = recordNextCall();
    const mark = lp.output().length;
    lp.command(`call sip:1001@${rig.sandbox.domain}`);
    const id = await newCard('ringing-in');
    await clickInCall(rig.popup, id, 'call-answer');
    await cardIn(id, 'active');
    await lp.waitFor(/Call \d+ with [^\n]* connected/, 15_000, mark);
    await sleep(2500);
    const ear = await heard(rig.worker);
    console.log(`extension heard ${ear.dominantHz.toFixed(1)} Hz at RMS ${ear.rms.toFixed(4)} from Linphone`);
    expect(within(ear.dominantHz, LINPHONE_HZ), `${ear.dominantHz} Hz`).toBe(true);
    lp.command('terminate');
    await cardIn(id, 'ended');
    await lp.waitFor(/Call \d+ with [^\n]* ended/, 15_000, mark);
    const linphoneHeard = peakHz(recording);
    console.log(`Linphone heard ${linphoneHeard.hz.toFixed(1)} Hz at RMS ${linphoneHeard.rms.toFixed(4)}`);
    expect(within(linphoneHeard.hz, MIC_HZ), `${linphoneHeard.hz} Hz`).toBe(true);
  });

  it('Linphone calls the UI, the UI answers and hangs up: Linphone ends too', async () => {
    const mark = lp.output().length;
    lp.command(`call sip:1001@${rig.sandbox.domain}`);
    const id = await newCard('ringing-in');
    await clickInCall(rig.popup, id, 'call-answer');
    await cardIn(id, 'active');
    await lp.waitFor(/Call \d+ with [^\n]* connected/, 15_000, mark);
    await clickInCall(rig.popup, id, 'call-hangup');
    await cardIn(id, 'ended');
    await lp.waitFor(/Call \d+ with [^\n]* ended/, 15_000, mark);
  });

  it('the UI calls Linphone and Linphone hangs up: the UI ends too', async () => {
    const { id, mark } = await dialLinphone();
    lp.command('terminate');
    await cardIn(id, 'ended');
    await lp.waitFor(/Call \d+ with [^\n]* ended/, 15_000, mark);
  });
});
