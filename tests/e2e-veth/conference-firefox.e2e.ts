import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../native-host/src/install';
import { botRecordingsDir, BOT_PROFILES } from '../../native-host/src/sandbox/users';
import { baresipCommand } from '../support/baresip-ctrl';
import { launchFirefox, openExtensionPage } from '../support/firefox';
import { backgroundMedia } from '../support/firefox-media';
import { repoRoot } from '../support/host-process';
import { startRig, type Rig } from '../support/sandbox-fixture';
import { firefoxTestExtensionDir } from '../support/test-builds';
import { analyseWav, toneAmplitude } from '../support/wav';

// Audio needs time to be heard: a recording's length, not a wait for a state.
const listen = (ms: number) => new Promise((r) => setTimeout(r, ms));
const B_HZ = BOT_PROFILES['3001'].toneHz;

function newest(dir: string, since: number): string {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('-dec.wav'))
    .map((f) => ({ f: join(dir, f), t: statSync(join(dir, f)).mtimeMs }))
    .filter((x) => x.t >= since)
    .sort((a, b) => b.t - a.t)[0]?.f;
  if (!file) throw new Error(`no recording in ${dir}`);
  return file;
}

/**
 * 3-way conference in Firefox ESR (issue 17): the mix runs in the background page. Firefox's
 * fake microphone (440 Hz) calls A = 2001 and B = 3001.
 */
describe('3-way conference in Firefox ESR', { timeout: 90_000 }, () => {
  let rig: Rig;
  let browser: Browser | undefined;
  let popup: Page;

  beforeAll(async () => {
    rig = await startRig('ffconf');
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
      extensionDir: firefoxTestExtensionDir,
      prefs: {
        'media.navigator.streams.fake': true,
        'media.navigator.permission.disabled': true,
        'media.autoplay.default': 0,
        'media.autoplay.blocking_policy': 0,
        // rtpengine cannot resolve mDNS (.local) host candidates: offer the real address.
        'media.peerconnection.ice.obfuscate_host_addresses': false,
        'media.navigator.audio.fake_frequency': 440,
        // rtpengine's candidate is 127.0.0.1: Firefox drops loopback remote candidates unless told.
        'media.peerconnection.ice.loopback': true,
        'media.autoplay.block-webaudio': false,
      },
    });
    browser = launched.browser;
    popup = await openExtensionPage(browser, `${launched.base}extension/popup/index.html`);
    await popup.waitForFunction(
      () => /^Registered as 1001 \(sandbox\)$/.test(document.querySelector('[data-testid=registration]')?.textContent ?? ''),
      { timeout: 20_000, polling: 200 },
    );
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });


  const card = (id: string) => `[data-testid=call][data-call-id="${id}"]`;
  // Polled, as calls-firefox.e2e.ts waits: a mutation-based wait once stalled for 90 s in Firefox (BiDi).
  const shown = async (selector: string, timeout = 15_000) => {
    await popup.waitForFunction((sel) => !!document.querySelector(sel), { timeout, polling: 200 }, selector);
    return popup.$(selector);
  };
  const absent = (selector: string) => popup.waitForFunction((sel) => !document.querySelector(sel), { timeout: 15_000, polling: 200 }, selector);
  async function dial(number: string, known: string[]): Promise<string> {
    await popup.type('[data-testid=dial-input]', number);
    await popup.click('[data-testid=dial-call]');
    const not = known.map((id) => `:not([data-call-id="${id}"])`).join('');
    const el = await shown(`[data-testid=call][data-state=active]${not}`, 20_000);
    return (await el!.evaluate((e) => e.getAttribute('data-call-id'))) ?? '';
  }

  /**
   * Headless Firefox on a machine with no sound output never runs an AudioContext (measured: it
   * stays "suspended", with or without the autoplay and null-audio prefs), and a suspended context
   * would mix silence. So here Merge must be refused with the translated reason, and nothing lost:
   * both calls go on as they were, each far end still hearing the microphone.
   */
  it('where WebAudio does not run, Merge is refused with the reason and both calls go on unchanged', async () => {
    const since = Date.now();
    const a = await dial('2001', []);
    const aAt = Date.now();
    const b = await dial('3001', [a]);
    await popup.click(`${card(a)} [data-testid=call-merge]`);
    const alert = await shown('p.error[role=alert]');
    expect(await alert!.evaluate((e) => e.textContent)).toBe('This browser cannot mix a conference: its audio engine is not running. The calls stay as they were');
    const state = (await backgroundMedia(popup).engine('test.state')).ok as { mixed: string[]; mixContext: string };
    console.log(`Firefox conference: mix AudioContext ${state.mixContext}`);
    expect(state.mixContext).toBe('suspended');
    expect(state.mixed).toEqual([]);
    await absent('[data-testid=conference]');
    await shown(`${card(a)}[data-state=active]`);
    await shown(`${card(b)}[data-state=active]`);
    const refusedAt = Date.now();
    await listen(2000);
    await baresipCommand(rig.sandbox.users['3001'].ctrl!, 'hangup');
    await shown(`${card(b)}[data-state=ended]`);
    const endAt = Date.now();
    await popup.click(`${card(a)} [data-testid=call-hangup]`);
    await shown(`${card(a)}[data-state=ended]`);
    const aEndAt = Date.now();
    await listen(300);
    const recA = newest(rig.sandbox.recordingsDir, since);
    // The bot's recording holds only the audio it received: the time A spent on hold while B was
    // dialled is missing from it, so wall-clock offsets from A's start drift by that hold. After the
    // refusal both calls are up without a hold, so the window is measured back from the recording's end.
    const seconds = analyseWav(recA).seconds;
    const from = seconds - (aEndAt - refusedAt) / 1000 + 0.3;
    const to = seconds - (aEndAt - endAt) / 1000 - 0.3;
    const mic = toneAmplitude(recA, 440, from, to);
    const heardB = toneAmplitude(recA, B_HZ, from, to);
    console.log(`Firefox conference refused: A still hears the microphone at ${mic.toFixed(3)}, B at ${heardB.toFixed(3)}`);
    expect(mic).toBeGreaterThan(0.03);
    expect(heardB).toBeLessThan(0.01);
  });
});
