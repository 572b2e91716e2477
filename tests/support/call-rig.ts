import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, WebWorker } from 'puppeteer';
import type { Settings } from '../../shared/settings';
import { extensionWorker, launchChromium, openPopup, waitForStatus } from './chromium';
import { startClassicRig, startRig, type ClassicRig, type Rig } from './sandbox-fixture';
import { chromeTestExtensionDir } from './test-builds';
import { writeToneWav } from './wav';

export const MIC_HZ = 440;
export const BOT_HZ = 1000;

/** Chromium (test build, fake 440 Hz microphone) + host + sandbox PBX, registered as 1001. */
export interface CallRig extends Rig {
  browser: Browser;
  popup: Page;
  worker: WebWorker;
  close(): Promise<void>;
}

/**
 * `microphone: 'none'` leaves out Chromium's fake capture device: getUserMedia then sees what the
 * machine has (nothing, on a server), while the fake UI still grants the permission. `'denied'`
 * has the fake device but refuses the permission, as a user who clicked Block.
 */
export async function startCallRig(tag: string, env?: NodeJS.ProcessEnv, opts: { microphone?: 'fake' | 'none' | 'denied' } = {}): Promise<CallRig> {
  return withRegisteredBrowser(await startRig(tag), env, opts.microphone);
}

/**
 * Chromium with the test build (fake 440 Hz microphone unless told) on the rig's profile, its popup
 * once registered as the sandbox's 1001; `close` closes both. A launch that fails stops the rig.
 */
async function withRegisteredBrowser<R extends { root: string; profile: string; stop(): Promise<void> }>(rig: R, env?: NodeJS.ProcessEnv, microphone: 'fake' | 'none' | 'denied' = 'fake') {
  const wav = join(rig.root, 'mic-440.wav');
  writeToneWav(wav, MIC_HZ, 10);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium({
      userDataDir: rig.profile,
      extensionDir: chromeTestExtensionDir,
      ...(env ? { env } : {}),
      args:
        microphone === 'none'
          ? ['--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required']
          : microphone === 'denied'
            ? ['--use-fake-device-for-media-stream', '--deny-permission-prompts', '--autoplay-policy=no-user-gesture-required']
            : ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'],
    });
    const worker = await extensionWorker(browser);
    const popup = await openPopup(browser);
    await waitForStatus(popup, /^Registered as 1001 \(sandbox\)$/, 15_000);
    const opened = browser;
    return {
      ...rig,
      browser: opened,
      popup,
      worker,
      async close() {
        await opened.close().catch(() => undefined);
        await rig.stop();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await rig.stop();
    throw err;
  }
}

/** Chromium + host + the classic sandbox (no rtpengine, plain-RTP bots), registered as 1001 over one transport. */
export interface ClassicCallRig extends ClassicRig {
  browser: Browser;
  popup: Page;
  worker: WebWorker;
  close(): Promise<void>;
}

export async function startClassicCallRig(tag: string, transport: 'udp' | 'tcp' | 'tls', settings?: (s: Settings) => Settings): Promise<ClassicCallRig> {
  return withRegisteredBrowser(await startClassicRig(tag, transport, settings));
}

/** What the extension hears on the current call (the test build's analyser in the media engine). */
export async function heard(worker: WebWorker, pcId?: string): Promise<{ rms: number; dominantHz: number }> {
  return worker.evaluate(
    (id) => (globalThis as unknown as { __voispeedMedia: { engine(m: string, p: unknown): Promise<{ rms: number; dominantHz: number }> } }).__voispeedMedia.engine('test.analyse', id ? { pcId: id } : {}),
    pcId ?? null,
  );
}

export async function callCard(popup: Page, state: string, timeoutMs = 15_000): Promise<string> {
  const el = await popup.waitForSelector(`[data-testid=call][data-state="${state}"]`, { timeout: timeoutMs }).catch(async (err: Error) => {
    const cards = await popup.$$eval('[data-testid=call]', (es) => es.map((e) => `${e.getAttribute('data-state')}: ${e.textContent}`));
    throw new Error(`${err.message}; calls shown: ${cards.join(' | ') || 'none'}`);
  });
  return (await el!.evaluate((e) => e.getAttribute('data-call-id'))) ?? '';
}

export async function clickInCall(popup: Page, callId: string, testid: string): Promise<void> {
  await popup.click(`[data-testid=call][data-call-id="${callId}"] [data-testid=${testid}]`);
}

/** The newest recording of the answering bot: what it heard (baresip's `-dec.wav`). */
export function latestBotRecording(rig: { sandbox: { recordingsDir: string } }, since: number): string | undefined {
  const dir = rig.sandbox.recordingsDir;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('-dec.wav'))
    .map((f) => ({ f: join(dir, f), t: statSync(join(dir, f)).mtimeMs }))
    .filter((x) => x.t >= since - 1000)
    .sort((a, b) => b.t - a.t);
  return files[0]?.f;
}
