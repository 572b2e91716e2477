import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, WebWorker } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '../../shared/extension-ids';
import { ErrorCode, type PcSnapshot } from '../../shared/protocol';
import { extensionUrl, extensionWorker, launchChromium } from '../support/chromium';
import { repoRoot } from '../support/host-process';
import { tempDir } from '../support/temp';
import { chromeTestExtensionDir } from '../support/test-builds';
import { writeToneWav } from '../support/wav';

/**
 * The browser half of the media bridge in real Chromium, without the host: the test calls the
 * relay's handler (the very function NativePort.serve gets) from the service worker, through the
 * test build's `__voispeedMedia` hook. Two peer connections, A and B, in the offscreen document
 * call each other over loopback; A's microphone is Chromium's fake device playing a 440 Hz WAV,
 * and B's analyser (test builds only) says what B hears.
 */

type Reply = { ok: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } };
interface PcEvent {
  pcId: string;
  type: string;
  candidate?: unknown;
  snapshot: PcSnapshot;
}
interface Reading {
  rms: number;
  dominantHz: number;
  sampleRate: number;
  contextState: string;
}

const TONE_HZ = 440;

describe('media engine in Chromium (offscreen document, real relay path)', () => {
  const dir = tempDir('media');
  let browser: Browser;
  let worker: WebWorker;

  const request = (method: string, params: unknown): Promise<Reply> =>
    worker.evaluate(
      (m: string, p: unknown) =>
        (globalThis as unknown as { __voispeedMedia: { request(m: string, p: unknown): Promise<Record<string, unknown>> } }).__voispeedMedia
          .request(m, p)
          .then(
            (ok) => ({ ok }),
            (e: { code: number; message: string; data?: unknown }) => ({ error: { code: e.code, message: e.message, data: e.data } }),
          ),
      method,
      params,
    );

  async function ok<T = Record<string, unknown>>(method: string, params: unknown): Promise<T> {
    const reply = await request(method, params);
    if ('error' in reply) throw new Error(`${method} failed: ${reply.error.message}`);
    return reply.ok as T;
  }

  const engine = <T>(method: string, params: unknown = {}): Promise<T> =>
    worker.evaluate(
      (m: string, p: unknown) => (globalThis as unknown as { __voispeedMedia: { engine(m: string, p: unknown): Promise<unknown> } }).__voispeedMedia.engine(m, p),
      method,
      params,
    ) as Promise<T>;

  const events = (): Promise<PcEvent[]> =>
    worker.evaluate(() => (globalThis as unknown as { __voispeedMedia: { events(): PcEvent[] } }).__voispeedMedia.events());

  async function waitForEvent(match: (e: PcEvent) => boolean, what: string, timeoutMs = 10_000): Promise<PcEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await events()).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** setLocalDescription, then the SDP with every candidate once gathering is complete. */
  async function localSdpWithCandidates(pcId: string, description: unknown) {
    await ok('media.pc.setLocalDescription', { pcId, description });
    const done = await waitForEvent((e) => e.pcId === pcId && e.snapshot.iceGatheringState === 'complete', `${pcId} gathering`);
    return done.snapshot.localDescription!;
  }

  const analyse = (pcId: string, windowMs = 800) => engine<Reading>('test.analyse', { pcId, windowMs });

  beforeAll(async () => {
    const wav = join(dir.path, 'tone-440.wav');
    writeToneWav(wav, TONE_HZ, 2, 48_000, 0.5);
    browser = await launchChromium({
      userDataDir: join(dir.path, 'profile'),
      extensionDir: chromeTestExtensionDir,
      args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`],
    });
    worker = await extensionWorker(browser);
    await worker.evaluate(async () => {
      while (!(globalThis as { __voispeedMedia?: unknown }).__voispeedMedia) await new Promise((r) => setTimeout(r, 20));
    });
  });

  afterAll(async () => {
    await browser?.close();
    dir.remove();
  });

  it('production builds carry none of the test hooks; only Chrome asks for "offscreen"', () => {
    const files = (root: string): string[] =>
      readdirSync(root).flatMap((name) => {
        const path = join(root, name);
        return statSync(path).isDirectory() ? files(path) : /\.(js|html)$/.test(name) ? [path] : [];
      });
    for (const target of ['chrome', 'firefox']) {
      const built = files(join(repoRoot, 'dist', target)).map((f) => readFileSync(f, 'utf8')).join('\n');
      expect(built, target).toContain('media.pc.createOffer');
      for (const marker of ['__voispeedMedia', 'test.analyse', 'dominantHz', 'createAnalyser', '__voispeed =']) {
        expect(built.includes(marker), `${target} contains ${marker}`).toBe(false);
      }
    }
    const testBuild = files(join(repoRoot, 'dist/chrome-test')).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(testBuild).toContain('createAnalyser');
    const manifest = (t: string) => JSON.parse(readFileSync(join(repoRoot, 'dist', t, 'manifest.json'), 'utf8')) as { permissions: string[] };
    expect(manifest('chrome').permissions).toContain('offscreen');
    expect(manifest('firefox').permissions).not.toContain('offscreen');
  });

  it('two first requests at once create one offscreen document', async () => {
    const t0 = Date.now();
    const [a, b] = await Promise.all([
      ok<{ snapshot: PcSnapshot }>('media.pc.create', { pcId: 'pc-1', iceServers: [] }),
      ok<{ snapshot: PcSnapshot }>('media.pc.create', { pcId: 'pc-2', iceServers: [] }),
    ]);
    console.log(`offscreen document created and both PCs up in ${Date.now() - t0} ms`);
    expect(a.snapshot).toEqual({
      signalingState: 'stable',
      iceGatheringState: 'new',
      iceConnectionState: 'new',
      connectionState: 'new',
      localDescription: null,
      remoteDescription: null,
      toneBuffer: '',
      // The first snapshot of each peer connection: the host orders later ones by it.
      seq: 1,
    });
    expect(b.snapshot.signalingState).toBe('stable');
    expect(b.snapshot.seq).toBe(1);
    const documents = await worker.evaluate(async () => {
      const contexts = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType] });
      return contexts.map((c) => c.documentUrl);
    });
    expect(documents).toEqual([expect.stringMatching(/\/extension\/offscreen\/index\.html$/)]);
    expect(await worker.evaluate(() => (globalThis as unknown as { __voispeedMedia: { creations(): number } }).__voispeedMedia.creations())).toBe(1);
  });

  it('bad requests get clean errors: unknown pcId, bad params, unknown method', async () => {
    const unknown = await request('media.pc.createOffer', { pcId: 'pc-99' });
    expect(unknown).toEqual({ error: { code: ErrorCode.INVALID_PARAMS, message: expect.stringMatching(/no peer connection pc-99/) } });
    const badParams = await request('media.pc.insertDtmf', { pcId: 'pc-1', tones: '1', duration: 1, gap: 70 });
    expect(badParams).toMatchObject({ error: { code: ErrorCode.INVALID_PARAMS, message: expect.stringMatching(/duration/) } });
    const badMethod = await request('media.pc.teleport', { pcId: 'pc-1' });
    expect(badMethod).toMatchObject({ error: { code: ErrorCode.UNKNOWN_METHOD } });
  });

  it(`A calls B over loopback: B hears A's ${TONE_HZ} Hz microphone`, async () => {
    const t0 = Date.now();
    await ok('media.pc.addMicrophone', { pcId: 'pc-1' });
    const tMic = Date.now();
    const offer = await ok<{ description: { type: string; sdp: string } }>('media.pc.createOffer', { pcId: 'pc-1' });
    expect(offer.description.sdp).toMatch(/m=audio .*UDP\/TLS\/RTP\/SAVPF/);
    expect(offer.description.sdp).toMatch(/a=rtpmap:\d+ opus\/48000/);
    expect(offer.description.sdp).toMatch(/a=sendrecv/);
    const offerSdp = await localSdpWithCandidates('pc-1', offer.description);
    const tGatherA = Date.now();
    expect(offerSdp.sdp).toMatch(/a=candidate:/);

    await ok('media.pc.setRemoteDescription', { pcId: 'pc-2', description: offerSdp });
    const answer = await ok<{ description: { type: string; sdp: string } }>('media.pc.createAnswer', { pcId: 'pc-2' });
    const answerSdp = await localSdpWithCandidates('pc-2', answer.description);
    const tGatherB = Date.now();
    const applied = await ok<{ snapshot: PcSnapshot }>('media.pc.setRemoteDescription', { pcId: 'pc-1', description: answerSdp });
    expect(applied.snapshot.signalingState).toBe('stable');

    for (const pcId of ['pc-1', 'pc-2']) {
      await waitForEvent((e) => e.pcId === pcId && e.type === 'connectionstatechange' && e.snapshot.connectionState === 'connected', `${pcId} connected`);
    }
    const tConnected = Date.now();
    const candidates = (await events()).filter((e) => e.type === 'icecandidate');
    expect(candidates.some((e) => e.candidate === null), 'the end-of-candidates null is reported').toBe(true);

    // Let the jitter buffer and the capture's gain control settle.
    await new Promise((r) => setTimeout(r, 1_000));
    const heard = await analyse('pc-2', 1_000);
    console.log(
      `microphone ${tMic - t0} ms, A gathered ${tGatherA - tMic} ms, B answered+gathered ${tGatherB - tGatherA} ms, ` +
        `connected ${tConnected - tGatherB} ms after the answer; B hears ${heard.dominantHz.toFixed(1)} Hz at RMS ${heard.rms.toFixed(4)} ` +
        `(${(20 * Math.log10(heard.rms)).toFixed(1)} dBFS, context ${heard.contextState} ${heard.sampleRate} Hz)`,
    );
    expect(Math.abs(heard.dominantHz - TONE_HZ) / TONE_HZ).toBeLessThan(0.05);
    expect(heard.rms).toBeGreaterThan(0.01); // -40 dBFS; muted reads exactly 0

    const state = await engine<{ pcs: { pcId: string; remotePlaying: boolean }[]; micActive: boolean; micOpened: number }>('test.state');
    expect(state.pcs.find((p) => p.pcId === 'pc-2')?.remotePlaying, 'the <audio> element plays B’s remote audio').toBe(true);
    expect(state.micActive).toBe(true);
    expect(state.micOpened).toBe(1);
  });

  it('muting A (its clone only) silences B; unmuting brings the tone back', async () => {
    const muted = await ok<{ snapshot: PcSnapshot }>('media.pc.setMicEnabled', { pcId: 'pc-1', enabled: false });
    expect(muted.snapshot.connectionState).toBe('connected');
    await new Promise((r) => setTimeout(r, 700));
    const silent = await analyse('pc-2', 800);
    console.log(`muted: B hears RMS ${silent.rms.toExponential(2)}`);
    expect(silent.rms).toBeLessThan(0.001);

    await ok('media.pc.setMicEnabled', { pcId: 'pc-1', enabled: true });
    await new Promise((r) => setTimeout(r, 700));
    const back = await analyse('pc-2', 800);
    console.log(`unmuted: B hears ${back.dominantHz.toFixed(1)} Hz at RMS ${back.rms.toFixed(4)}`);
    expect(Math.abs(back.dominantHz - TONE_HZ) / TONE_HZ).toBeLessThan(0.05);
    expect(back.rms).toBeGreaterThan(0.01);
  });

  it('insertDtmf queues the tones on A’s audio sender and reports the tone buffer', async () => {
    const { snapshot } = await ok<{ snapshot: PcSnapshot }>('media.pc.insertDtmf', { pcId: 'pc-1', tones: '123#', duration: 100, gap: 70 });
    expect(snapshot.toneBuffer).toBe('123#');
    // The sender plays them out: the buffer drains.
    await new Promise((r) => setTimeout(r, 1_000));
    const { snapshot: later } = await ok<{ snapshot: PcSnapshot }>('media.pc.setMicEnabled', { pcId: 'pc-1', enabled: true });
    expect(later.toneBuffer).toBe('');
  });

  it('rings on request and stops', async () => {
    await ok('media.ring', { on: true });
    await new Promise((r) => setTimeout(r, 300));
    expect((await engine<{ ringing: boolean }>('test.state')).ringing).toBe(true);
    await ok('media.ring', { on: false });
    expect((await engine<{ ringing: boolean }>('test.state')).ringing).toBe(false);
  });

  it('a microphone picked in the options reaches the engine at once; the live call switches and still carries the tone', async () => {
    const options = await browser.newPage();
    await options.goto(extensionUrl('extension/options/index.html'));
    await options.waitForFunction(() => document.querySelectorAll('select[data-field=micId] option').length > 1, { timeout: 10_000 });
    const mics = await options.$$eval('select[data-field=micId] option', (list) => list.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent })));
    console.log(`options list the microphones: ${mics.map((m) => m.label).join(', ')}`);
    const chosen = mics.find((m) => m.value !== '')!;
    await options.select('select[data-field=micId]', chosen.value);
    const deadline = Date.now() + 5_000;
    let state = await engine<{ devices: { micId: string }; micOpened: number }>('test.state');
    while (state.devices.micId !== chosen.value || state.micOpened < 2) {
      if (Date.now() > deadline) throw new Error(`the engine never switched: ${JSON.stringify(state)}`);
      await new Promise((r) => setTimeout(r, 50));
      state = await engine('test.state');
    }
    await options.close();
    await new Promise((r) => setTimeout(r, 700));
    const heard = await analyse('pc-2', 800);
    console.log(`after the switch to "${chosen.label}": B hears ${heard.dominantHz.toFixed(1)} Hz at RMS ${heard.rms.toFixed(4)}`);
    expect(Math.abs(heard.dominantHz - TONE_HZ) / TONE_HZ).toBeLessThan(0.05);
    expect(heard.rms).toBeGreaterThan(0.01);
  });

  it('closeAll (the host went away) closes both peer connections and lets go of the microphone', async () => {
    const before = (await events()).length;
    await worker.evaluate(() => (globalThis as unknown as { __voispeedMedia: { closeAll(): void } }).__voispeedMedia.closeAll());
    const closed = await waitForEvent((e) => e.type === 'closed' && e.pcId === 'pc-2', 'closed events');
    expect(closed.snapshot.signalingState).toBe('closed');
    const after = (await events()).slice(before).filter((e) => e.type === 'closed').map((e) => e.pcId);
    expect(after.sort()).toEqual(['pc-1', 'pc-2']);
    const state = await engine<{ pcs: unknown[]; micActive: boolean }>('test.state');
    expect(state.pcs).toEqual([]);
    expect(state.micActive).toBe(false);
    expect(await request('media.pc.createOffer', { pcId: 'pc-1' })).toMatchObject({ error: { code: ErrorCode.INVALID_PARAMS } });
    // The document stays for the next call.
    expect(await worker.evaluate(() => (globalThis as unknown as { __voispeedMedia: { creations(): number } }).__voispeedMedia.creations())).toBe(1);
  });

  it('a worker restart: the document keeps its call, wakes the next worker and is adopted; a host that does not claim the call closes it', async () => {
    await ok('media.pc.create', { pcId: 'pc-7', iceServers: [] });
    await ok('media.pc.addMicrophone', { pcId: 'pc-7' });
    const oldTarget = browser.targets().find((t) => t.type() === 'service_worker');
    await worker.close();
    const t0 = Date.now();
    while (browser.targets().includes(oldTarget!)) {
      if (Date.now() - t0 > 5_000) throw new Error('the worker did not stop');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(browser.targets().some((t) => t.url().endsWith('/extension/offscreen/index.html')), 'the document outlived the worker').toBe(true);

    // Nothing else happens: the document, still carrying a call, connects back and so wakes a new worker.
    worker = await extensionWorker(browser);
    await worker.evaluate(async () => {
      while (!(globalThis as { __voispeedMedia?: unknown }).__voispeedMedia) await new Promise((r) => setTimeout(r, 20));
    });
    const kept = await engine<{ pcs: { pcId: string }[]; micActive: boolean }>('test.state');
    expect(kept.pcs.map((p) => p.pcId)).toEqual(['pc-7']);
    expect(kept.micActive).toBe(true);
    // The new worker adopted the document instead of creating another.
    expect(await worker.evaluate(() => (globalThis as unknown as { __voispeedMedia: { creations(): number } }).__voispeedMedia.creations())).toBe(0);

    // A host that attaches names the calls it still owns; this one owns none, so the orphan closes.
    expect(await ok('media.retain', { pcIds: [] })).toEqual({ closed: 1, kept: 0 });
    expect(await engine('test.state')).toMatchObject({ pcs: [], micActive: false });

    await ok('media.pc.create', { pcId: 'pc-8', iceServers: [] });
    const documents = await worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType] })).length);
    expect(documents).toBe(1);
    const state = await engine<{ pcs: { pcId: string }[] }>('test.state');
    expect(state.pcs.map((p) => p.pcId)).toEqual(['pc-8']);
  });
});

describe('media engine in Chromium before the microphone is granted', () => {
  const dir = tempDir('mic');
  let browser: Browser;
  let worker: WebWorker;

  beforeAll(async () => {
    // No --use-fake-ui-for-media-stream: the permission starts as "prompt", and headless Chromium
    // refuses every prompt, like a user pressing Block.
    browser = await launchChromium({ userDataDir: join(dir.path, 'profile'), extensionDir: chromeTestExtensionDir, args: ['--use-fake-device-for-media-stream'] });
    worker = await extensionWorker(browser);
  });

  afterAll(async () => {
    await browser?.close();
    dir.remove();
  });

  it('on install the setup page opens, says the microphone was refused, and a call gets a clean NotAllowedError', async () => {
    const target = await browser.waitForTarget((t) => t.url() === extensionUrl('extension/setup/index.html'), { timeout: 10_000 });
    const page = (await target.page())!;
    const status = await page.waitForSelector('[data-testid=mic-status][data-state=denied]', { timeout: 10_000 });
    expect(await status!.evaluate((e) => e.textContent)).toMatch(/^Microphone access was refused\./);

    const reply = await worker.evaluate(async () => {
      const media = (globalThis as unknown as { __voispeedMedia: { request(m: string, p: unknown): Promise<unknown> } }).__voispeedMedia;
      await media.request('media.pc.create', { pcId: 'pc-1', iceServers: [] });
      return media.request('media.pc.addMicrophone', { pcId: 'pc-1' }).then(
        () => ({ error: undefined }),
        (e: { code: number; message: string; data?: unknown }) => ({ error: { code: e.code, message: e.message, data: e.data } }),
      );
    });
    expect(reply.error).toEqual({ code: ErrorCode.INTERNAL, message: expect.stringMatching(/^media\.pc\.addMicrophone on pc-1 failed: NotAllowedError/), data: { name: 'NotAllowedError' } });
  });

  it('once the user allows it, "Try again" reports success and calls get the microphone', async () => {
    // What the user does in the site settings, done through the DevTools protocol.
    await browser.defaultBrowserContext().overridePermissions(`chrome-extension://${CHROMIUM_EXTENSION_ID}`, ['microphone']);
    const target = await browser.waitForTarget((t) => t.url() === extensionUrl('extension/setup/index.html'));
    const page = (await target.page())!;
    await page.click('[data-testid=mic-retry]');
    const status = await page.waitForSelector('[data-testid=mic-status][data-state=granted]', { timeout: 10_000 });
    expect(await status!.evaluate((e) => e.textContent)).toMatch(/^Microphone allowed\./);

    const snapshot = await worker.evaluate(async () => {
      const media = (globalThis as unknown as { __voispeedMedia: { request(m: string, p: unknown): Promise<{ snapshot: unknown }> } }).__voispeedMedia;
      return (await media.request('media.pc.addMicrophone', { pcId: 'pc-1' })).snapshot;
    });
    expect(snapshot).toMatchObject({ signalingState: 'stable' });
  });
});
