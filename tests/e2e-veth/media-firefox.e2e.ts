import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PcSnapshot } from '../../shared/protocol';
import { backgroundMedia, launchFirefoxForMedia } from '../support/firefox-media';
import { tempDir } from '../support/temp';
import { firefoxTestExtensionDir } from '../support/test-builds';
import { openExtensionPage } from '../support/firefox';

/**
 * Firefox has no offscreen API: its background page runs the media engine itself, behind the same
 * relay handler. Same calls as the Chromium test, reached from an extension page. Hearing the tone
 * is not possible in headless Firefox here (see firefox-media.ts): received RTP is counted instead.
 */
const TONE_HZ = 440;

/** Inside `unshare -n` (npm test) Firefox cannot gather candidates: see firefox-media.ts. */
const loopbackOnly = Object.keys(networkInterfaces()).every((name) => name === 'lo');

function firefoxRig(tag: string) {
  const dir = tempDir(tag);
  const rig = { browser: undefined as Browser | undefined, page: undefined as Page | undefined };

  beforeAll(async () => {
    const home = join(dir.path, 'home');
    mkdirSync(home, { recursive: true });
    const launched = await launchFirefoxForMedia({ home, extensionDir: firefoxTestExtensionDir, toneHz: TONE_HZ });
    rig.browser = launched.browser;
    rig.page = await openExtensionPage(launched.browser, `${launched.base}extension/options/index.html`);
    await rig.page.waitForSelector('[data-testid=registration]', { timeout: 15_000 });
  });
  afterAll(async () => {
    await rig.browser?.close();
    dir.remove();
  });

  const media = () => backgroundMedia(rig.page!);

  async function ok<T>(method: string, params: unknown): Promise<T> {
    const r = await media().request(method, params);
    if (r.error) throw new Error(`${method}: ${r.error.message}`);
    return r.ok as T;
  }

  async function waitForEvent(match: (e: { pcId: string; type: string; snapshot: Record<string, unknown> }) => boolean, what: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = (await media().events()).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A (pc-1, with the microphone) calls B (pc-2), SDP exchanged once gathering is complete. */
  async function call(): Promise<void> {
    await ok('media.pc.create', { pcId: 'pc-1', iceServers: [] });
    await ok('media.pc.create', { pcId: 'pc-2', iceServers: [] });
    await ok('media.pc.addMicrophone', { pcId: 'pc-1' });
    const gathered = async (pcId: string, description: unknown) => {
      await ok('media.pc.setLocalDescription', { pcId, description });
      const e = await waitForEvent((e) => e.pcId === pcId && e.snapshot.iceGatheringState === 'complete', `${pcId} gathering`);
      return e.snapshot.localDescription;
    };
    const offer = await ok<{ description: unknown }>('media.pc.createOffer', { pcId: 'pc-1' });
    await ok('media.pc.setRemoteDescription', { pcId: 'pc-2', description: await gathered('pc-1', offer.description) });
    const answer = await ok<{ description: unknown }>('media.pc.createAnswer', { pcId: 'pc-2' });
    await ok('media.pc.setRemoteDescription', { pcId: 'pc-1', description: await gathered('pc-2', answer.description) });
    for (const pcId of ['pc-1', 'pc-2']) {
      await waitForEvent((e) => e.pcId === pcId && e.snapshot.connectionState === 'connected', `${pcId} connected`);
    }
  }

  return { media, ok, call };
}

describe('media engine in Firefox (background page)', () => {
  const { media, ok, call } = firefoxRig('ffmedia');

  it('the ringtone plays in the background page without any user gesture', async () => {
    await ok('media.ring', { on: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(((await media().engine('test.state')).ok as { ringing: boolean }).ringing).toBe(true);
    await ok('media.ring', { on: false });
    expect(((await media().engine('test.state')).ok as { ringing: boolean }).ringing).toBe(false);
  });

  it.skipIf(loopbackOnly)('A calls B: connected, RTP reaches B, its <audio> element plays, DTMF is queued (not in a loopback-only namespace)', async () => {
    const t0 = Date.now();
    await call();
    const connected = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 1_000));
    const inbound = (await media().engine('test.inbound', { pcId: 'pc-2' })).ok as { packetsReceived: number; bytesReceived: number };
    console.log(`Firefox: A and B connected in ${connected} ms; 1 s later B had ${inbound.packetsReceived} RTP packets, ${inbound.bytesReceived} bytes`);
    // 20 ms Opus frames: about 50 a second.
    expect(inbound.packetsReceived).toBeGreaterThan(25);
    const state = (await media().engine('test.state')).ok as { pcs: { pcId: string; remotePlaying: boolean }[] };
    expect(state.pcs.find((p) => p.pcId === 'pc-2')?.remotePlaying).toBe(true);
    const dtmf = await ok<{ snapshot: PcSnapshot }>('media.pc.insertDtmf', { pcId: 'pc-1', tones: '5#', duration: 100, gap: 70 });
    expect(dtmf.snapshot.toneBuffer).toBe('5#');
  });

  it('closeAll closes every peer connection, reports them closed, and lets go of the microphone', async () => {
    for (const pcId of ['pc-3', 'pc-4']) {
      await ok('media.pc.create', { pcId, iceServers: [] });
      await ok('media.pc.addMicrophone', { pcId });
    }
    const live = ((await media().engine('test.state')).ok as { pcs: { pcId: string }[] }).pcs.map((p) => p.pcId);
    await media().closeAll();
    const after = (await media().engine('test.state')).ok as { pcs: unknown[]; micActive: boolean };
    expect(after).toMatchObject({ pcs: [], micActive: false });
    const closed = (await media().events()).filter((e) => e.type === 'closed');
    expect(closed.map((e) => e.pcId).sort()).toEqual(live.sort());
    expect(closed.every((e) => e.snapshot.signalingState === 'closed')).toBe(true);
    expect((await media().request('media.pc.createOffer', { pcId: 'pc-3' })).error?.message).toMatch(/no peer connection pc-3/);
  });
});
