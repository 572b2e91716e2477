import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botRecordingsDir, BOT_PROFILES } from '../../native-host/src/sandbox/users';
import { baresipCommand } from '../support/baresip-ctrl';
import { BOT_HZ, MIC_HZ, heard, startCallRig, type CallRig } from '../support/call-rig';
import { toneAmplitude } from '../support/wav';

const B_HZ = BOT_PROFILES['3001'].toneHz;
const within = (value: number, target: number, share = 0.05) => Math.abs(value - target) <= target * share;
// Audio needs time to be heard: a recording's length, not a wait for a state.
const listen = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * A tone at least this loud (0..1) is heard; one below QUIET is not there. The microphone's steady
 * tone settles near 0.05 within ~1.5 s (Chromium's noise suppression takes it for noise, with or
 * without a conference); a far end's tone arrives near 0.5.
 */
const LOUD = 0.03;
const QUIET = 0.01;

function newest(dir: string, since: number): string {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('-dec.wav'))
    .map((f) => ({ f: join(dir, f), t: statSync(join(dir, f)).mtimeMs }))
    .filter((x) => x.t >= since)
    .sort((a, b) => b.t - a.t)[0]?.f;
  if (!file) throw new Error(`no recording in ${dir} since ${new Date(since).toISOString()}`);
  return file;
}

/**
 * 3-way conference (issue 17) through real parts: the user (Chromium, fake 440 Hz microphone)
 * calls A = 2001 (1 kHz) and B = 3001 (700 Hz), both baresip bots that record what they hear,
 * through Kamailio + rtpengine; Merge mixes the calls in the offscreen document with WebAudio.
 */
describe('3-way conference in Chromium', { timeout: 90_000 }, () => {
  let rig: CallRig;
  const card = (id: string) => `[data-testid=call][data-call-id="${id}"]`;
  const mediaState = async () =>
    (await rig.worker.evaluate(() =>
      (globalThis as unknown as { __voispeedMedia: { engine(m: string, p: unknown): Promise<unknown> } }).__voispeedMedia.engine('test.state', {}),
    )) as { pcs: { pcId: string }[]; mixed: string[] };
  const pcs = async () => (await mediaState()).pcs.map((p) => p.pcId);

  beforeAll(async () => {
    rig = await startCallRig('conference');
  });
  afterAll(async () => {
    await rig?.close();
  });

  /** Dials from the popup; resolves with the new call's id once it is answered. */
  async function dial(number: string, known: string[]): Promise<string> {
    await rig.popup.type('[data-testid=dial-input]', number);
    await rig.popup.click('[data-testid=dial-call]');
    const not = known.map((id) => `:not([data-call-id="${id}"])`).join('');
    const el = await rig.popup.waitForSelector(`[data-testid=call][data-state=active]${not}`, { timeout: 15_000 });
    return (await el!.evaluate((e) => e.getAttribute('data-call-id'))) ?? '';
  }

  it('merge: A hears B and the user, B hears A and the user; B hangs up, A goes on with the microphone', async () => {
    const since = Date.now();
    const a = await dial('2001', []);
    const aAt = Date.now();
    const b = await dial('3001', [a]);
    const bAt = Date.now();
    await listen(1500);
    const mergedAt = Date.now();
    await rig.popup.click(`${card(a)} [data-testid=call-merge]`);
    await rig.popup.waitForSelector(`${card(a)}[data-state=active] [data-testid=conference]`);
    await rig.popup.waitForSelector(`${card(b)}[data-state=active] [data-testid=conference]`);
    expect(await rig.popup.$eval(`${card(a)} [data-testid=conference-text]`, (e) => e.textContent)).toBe('In conference with 3001');
    await listen(2500);
    // The user hears both far ends, each on its own call.
    const [pcA, pcB] = await pcs();
    expect((await mediaState()).mixed).toEqual([pcA, pcB]);
    const earA = await heard(rig.worker, pcA);
    const earB = await heard(rig.worker, pcB);
    expect(within(earA.dominantHz, BOT_HZ), `A's call: ${earA.dominantHz} Hz`).toBe(true);
    expect(within(earB.dominantHz, B_HZ), `B's call: ${earB.dominantHz} Hz`).toBe(true);

    const goneAt = Date.now();
    await baresipCommand(rig.sandbox.users['3001'].ctrl!, 'hangup');
    await rig.popup.waitForSelector(`${card(b)}[data-state=ended]`);
    await rig.popup.waitForFunction((sel) => !document.querySelector(sel), {}, `${card(a)} [data-testid=conference]`);
    expect((await mediaState()).mixed, 'one call left is not mixed').toEqual([]);
    await listen(2500);
    expect(within((await heard(rig.worker, pcA)).dominantHz, BOT_HZ)).toBe(true);
    const endAt = Date.now();
    await rig.popup.click(`${card(a)} [data-testid=call-hangup]`);
    await rig.popup.waitForSelector(`${card(a)}[data-state=ended]`);
    await listen(300);

    // What each far end heard, in the stretches before, during and after the conference.
    const recA = newest(rig.sandbox.recordingsDir, since);
    const recB = newest(botRecordingsDir(rig.sandbox.recordingsDir, '3001'), since);
    const relA = (t: number) => (t - aAt) / 1000;
    const relB = (t: number) => (t - bAt) / 1000;
    const level = (file: string, hz: number, from: number, to: number) => toneAmplitude(file, hz, from, to);
    const aBefore = [level(recA, MIC_HZ, relA(bAt), relA(mergedAt) - 0.2), level(recA, B_HZ, relA(bAt), relA(mergedAt) - 0.2)];
    const aDuring = [level(recA, MIC_HZ, relA(mergedAt) + 0.8, relA(goneAt) - 0.3), level(recA, B_HZ, relA(mergedAt) + 0.8, relA(goneAt) - 0.3)];
    const aAfter = [level(recA, MIC_HZ, relA(goneAt) + 1, relA(endAt) - 0.3), level(recA, B_HZ, relA(goneAt) + 1, relA(endAt) - 0.3)];
    const bBefore = [level(recB, MIC_HZ, 0.3, relB(mergedAt) - 0.2), level(recB, BOT_HZ, 0.3, relB(mergedAt) - 0.2)];
    const bDuring = [level(recB, MIC_HZ, relB(mergedAt) + 0.8, relB(goneAt) - 0.3), level(recB, BOT_HZ, relB(mergedAt) + 0.8, relB(goneAt) - 0.3)];
    const f = (x: number[]) => x.map((v) => v.toFixed(3)).join('/');
    console.log(`A heard mic/B: before ${f(aBefore)}, merged ${f(aDuring)}, after B left ${f(aAfter)}; B heard mic/A: before ${f(bBefore)}, merged ${f(bDuring)}`);
    expect(aBefore[0]).toBeGreaterThan(LOUD);
    expect(aBefore[1]).toBeLessThan(QUIET);
    expect(aDuring[0], 'A hears the user while merged').toBeGreaterThan(LOUD);
    expect(aDuring[1], 'A hears B while merged').toBeGreaterThan(LOUD);
    expect(aAfter[0], 'A hears the user after B left').toBeGreaterThan(LOUD);
    expect(aAfter[1], 'B is gone from what A hears').toBeLessThan(QUIET);
    expect(bBefore[1]).toBeLessThan(QUIET);
    expect(bDuring[0], 'B hears the user while merged').toBeGreaterThan(LOUD);
    expect(bDuring[1], 'B hears A while merged').toBeGreaterThan(LOUD);
  });

  it('merge takes the held call off hold; split holds the other again', async () => {
    const a = await dial('2001', []);
    await rig.popup.click(`${card(a)} [data-testid=call-hold]`);
    await rig.popup.waitForSelector(`${card(a)}[data-state=held]`);
    const b = await dial('3001', [a]);
    await rig.popup.click(`${card(b)} [data-testid=call-merge]`);
    await rig.popup.waitForSelector(`${card(a)}[data-state=active] [data-testid=conference]`, { timeout: 15_000 });
    await rig.popup.waitForSelector(`${card(b)}[data-state=active] [data-testid=conference]`);
    await rig.popup.click(`${card(a)} [data-testid=call-split]`);
    await rig.popup.waitForSelector(`${card(b)}[data-state=held]`, { timeout: 15_000 });
    await rig.popup.waitForSelector(`${card(a)}[data-state=active]`);
    expect(await rig.popup.$(`[data-testid=conference]`)).toBeNull();
    for (const id of [b, a]) {
      await rig.popup.click(`${card(id)} [data-testid=call-hangup]`);
      await rig.popup.waitForSelector(`${card(id)}[data-state=ended]`);
    }
  });

  it('the Recent list says who the calls were in conference with', async () => {
    await rig.popup.click('[data-testid=tab-recent]');
    await rig.popup.waitForFunction(
      () => {
        const texts = [...document.querySelectorAll('[data-testid=recent-conference]')].map((e) => e.textContent);
        return texts.filter((t) => t === 'conference with 3001').length >= 2 && texts.filter((t) => t === 'conference with 2001').length >= 2;
      },
      { timeout: 10_000 },
    );
  });
});
