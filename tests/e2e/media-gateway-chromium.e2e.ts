import dgram from 'node:dgram';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser } from 'puppeteer';
import { ProtectionProfileAes128CmHmacSha1_80, SrtpSession, RtpHeader } from 'werift';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateways } from '../../native-host/src/media-gateway/gateways';
import type { GatewayPeerConnection } from '../../native-host/src/media-gateway/gateway-peer-connection';
import { readPlainSdp, writePlainSdp, type Direction, type SdesKey } from '../../native-host/src/media-gateway/plain-sdp';
import { screenPbxOffer } from '../../native-host/src/media-gateway/screen-offer';
import { BridgedPeerConnection, placeholderStream } from '../../native-host/src/sip/bridged-peer-connection';
import { extensionWorker, launchChromium } from '../support/chromium';
import { rms, toneShare } from '../support/g711';
import { PlainRtpEndpoint } from '../support/plain-rtp-endpoint';
import { tempDir } from '../support/temp';
import { chromeTestExtensionDir } from '../support/test-builds';
import { writeToneWav } from '../support/wav';
import { workerMediaBridge } from '../support/worker-media-bridge';

/**
 * The media gateway with a real Chromium (the test build's offscreen media engine, driven through
 * the same relay handler the host's bridge reaches) and a plain-RTP far end in the test: each
 * call is driven through the JsSIP-facing surface in the order JsSIP drives it. The browser's fake
 * microphone plays 440 Hz; the far end sends a 1000 Hz G.711 tone; each end measures the other.
 */

const MIC_HZ = 440;
const FAR_HZ = 1000;
const log = pino({ level: process.env.VOISPEED_TEST_LOG ? 'debug' : 'silent' });

async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function pbxSdp(port: number, codecs: { pt: number; name: string; rate: number; fmtp?: string }[], direction: Direction, version = 1, crypto?: SdesKey): string {
  return writePlainSdp({ sessionId: '4242', version, address: '127.0.0.1', port, codecs, direction, ...(crypto ? { crypto } : {}) });
}

const PCMU = { pt: 0, name: 'PCMU', rate: 8000 };
const PCMA = { pt: 8, name: 'PCMA', rate: 8000 };
const EVENTS = { pt: 101, name: 'telephone-event', rate: 8000, fmtp: '0-16' };

describe('media gateway: Chromium WebRTC ↔ host (werift) ↔ plain RTP far end', () => {
  const dir = tempDir('media-gateway');
  let browser: Browser;
  let bridge: ReturnType<typeof workerMediaBridge>;
  const gateways = startGateways({ log, rtpPorts: () => ({ min: 30000, max: 30099 }), pbxHost: () => '127.0.0.1', offerSrtp: () => false });
  const opened: PlainRtpEndpoint[] = [];

  const newGateway = () => {
    const browserPc = new BridgedPeerConnection(bridge, { iceServers: [] }, (err, what) => log.warn({ err, what }, 'bridge'));
    const gw = gateways.create(browserPc);
    gw.addTrack(placeholderStream('mic').getTracks()[0]!);
    return { gw, browserPc };
  };
  const far = async () => {
    const e = await PlainRtpEndpoint.open();
    opened.push(e);
    return e;
  };
  /** What the browser hears, once it is the far end's tone. */
  const browserHears = async (pcId: string) => {
    let last = { rms: 0, dominantHz: 0 };
    await until(async () => {
      last = await bridge.analyse(pcId, 600);
      return last.rms > 0.01 && Math.abs(last.dominantHz - FAR_HZ) < 60;
    }, `the browser hearing ${FAR_HZ} Hz`);
    return last;
  };
  const connected = (gw: GatewayPeerConnection) => until(() => gw.connectionState === 'connected', 'the browser leg connected');

  beforeAll(async () => {
    const wav = join(dir.path, 'tone.wav');
    writeToneWav(wav, MIC_HZ, 2, 48_000, 0.5);
    browser = await launchChromium({
      userDataDir: join(dir.path, 'profile'),
      extensionDir: chromeTestExtensionDir,
      args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`],
    });
    const worker = await extensionWorker(browser);
    await worker.evaluate(async () => {
      while (!(globalThis as { __voispeedMedia?: unknown }).__voispeedMedia) await new Promise((r) => setTimeout(r, 20));
    });
    bridge = workerMediaBridge(worker);
  });

  afterAll(async () => {
    gateways.closeAll();
    for (const e of opened) e.close();
    bridge?.stop();
    await browser?.close();
    dir.remove();
  });

  it('outgoing: plain RTP/AVP offer, the PBX picks PCMA, audio both ways, symmetric RTP, RFC 4733 DTMF, hold and resume, cleanup', async () => {
    const { gw, browserPc } = newGateway();
    const offer = await gw.createOffer();
    await gw.setLocalDescription(offer);
    expect(gw.iceGatheringState).toBe('complete');
    const sdp = gw.localDescription!.sdp;
    expect(sdp).toMatch(/m=audio \d+ RTP\/AVP 0 8 101\r\n/);
    expect(sdp).not.toMatch(/a=candidate|a=fingerprint|SAVPF|a=ice-/);
    const ours = readPlainSdp(sdp);
    expect(ours.port % 2).toBe(0);
    expect(ours.port).toBeGreaterThanOrEqual(30000);

    // The PBX answers PCMA; its c= line names a port it never sends from: the gateway must latch.
    const pbx = await far();
    const decoy = await far();
    await gw.setRemoteDescription({ type: 'answer', sdp: pbxSdp(decoy.port, [PCMA, EVENTS], 'sendrecv') });
    await connected(gw);
    pbx.startTone({ address: ours.address, port: ours.port }, 'PCMA', 8, FAR_HZ);

    await pbx.until((r) => r.filter((p) => p.pt === 8).length >= 100, 'the browser microphone at the far end (latched)');
    const heardAtFar = pbx.samples(8, 'PCMA', pbx.received.length - 50);
    console.log(`far end: ${MIC_HZ} Hz share ${toneShare(heardAtFar, MIC_HZ).toFixed(2)}, rms ${rms(heardAtFar).toFixed(3)}; decoy got ${decoy.received.length}`);
    expect(toneShare(heardAtFar, MIC_HZ)).toBeGreaterThan(0.5);
    expect(pbx.received.every((p) => p.pt === 8)).toBe(true);
    const heard = await browserHears(browserPc.pcId);
    console.log(`browser: ${heard.dominantHz.toFixed(0)} Hz at rms ${heard.rms.toFixed(3)}`);

    // A stranger's RTP after latching is ignored: the browser keeps hearing the PBX only.
    const rogue = await far();
    for (let i = 0; i < 20; i++) rogue.sendRtp({ address: ours.address, port: ours.port }, 8, Buffer.alloc(160, 0xd5));
    // Oversize and non-RTP datagrams are dropped too.
    rogue.socket.send(Buffer.alloc(4000, 0x80), ours.port, ours.address);
    rogue.socket.send(Buffer.from('not rtp at all'), ours.port, ours.address);
    await until(() => gw.pbxStats!.dropped >= 22, 'the stray datagrams dropped');

    // RFC 4733 from the browser's DTMF sender reaches the far end under the PBX's event number.
    gw.getSenders()[0]!.dtmf.insertDTMF('5', 100, 70);
    await pbx.until((r) => r.some((p) => p.pt === 101 && p.payload[0] === 5 && (p.payload[1]! & 0x80) !== 0), 'the end packet of DTMF 5 at the far end');

    // Hold, as JsSIP does it: a new offer (JsSIP writes a=sendonly into the text), the PBX answers recvonly.
    await gw.setLocalDescription(await gw.createOffer());
    await gw.setRemoteDescription({ type: 'answer', sdp: pbxSdp(decoy.port, [PCMA, EVENTS], 'recvonly', 2) });
    const atHold = { far: pbx.received.length, toBrowser: gw.relay.stats.toBrowser, sent: pbx.sent };
    await until(() => pbx.sent >= atHold.sent + 25, 'half a second of far-end audio during hold');
    // A packet or two may have been in flight when the answer was applied.
    expect(pbx.received.length - atHold.far).toBeLessThanOrEqual(3);
    expect(gw.relay.stats.toBrowser - atHold.toBrowser).toBeLessThanOrEqual(1);

    // Resume: the PBX moves its media to a new port (a changed remote address): the gateway follows.
    const moved = await far();
    pbx.stop();
    await gw.setLocalDescription(await gw.createOffer());
    await gw.setRemoteDescription({ type: 'answer', sdp: pbxSdp(moved.port, [PCMA, EVENTS], 'sendrecv', 3) });
    moved.startTone({ address: ours.address, port: ours.port }, 'PCMA', 8, FAR_HZ);
    await moved.until((r) => r.filter((p) => p.pt === 8).length >= 50, 'audio at the far end after resume');
    expect(toneShare(moved.samples(8, 'PCMA', moved.received.length - 25), MIC_HZ)).toBeGreaterThan(0.5);
    await browserHears(browserPc.pcId);

    gw.close();
    moved.stop();
    expect(gateways.live()).toBe(0);
    // The RTP port is free again.
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(ours.port, ours.address, () => resolve());
    });
    s.close();
  });

  it('incoming: answers with the PBX\'s first codec the browser has, audio both ways, remote hold plays the PBX\'s music only', async () => {
    const { gw, browserPc } = newGateway();
    const pbx = await far();
    const offerSdp = pbxSdp(pbx.port, [{ pt: 18, name: 'G729', rate: 8000 }, PCMU, PCMA, EVENTS], 'sendrecv');
    expect(screenPbxOffer(offerSdp)).toBeUndefined();
    await gw.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    const answer = await gw.createAnswer();
    await gw.setLocalDescription(answer);
    const ours = readPlainSdp(gw.localDescription!.sdp);
    expect(ours.codecs.map((c) => c.name)).toEqual(['PCMU', 'telephone-event']);
    expect(ours.direction).toBe('sendrecv');
    await connected(gw);
    pbx.startTone({ address: ours.address, port: ours.port }, 'PCMU', 0, FAR_HZ);
    await pbx.until((r) => r.filter((p) => p.pt === 0).length >= 100, 'the browser microphone at the far end');
    expect(toneShare(pbx.samples(0, 'PCMU', pbx.received.length - 50), MIC_HZ)).toBeGreaterThan(0.5);
    await browserHears(browserPc.pcId);

    // The PBX holds us (a=sendonly): we answer recvonly, its music still plays, our microphone stops.
    await gw.setRemoteDescription({ type: 'offer', sdp: pbxSdp(pbx.port, [PCMU, PCMA, EVENTS], 'sendonly', 2) });
    const held = await gw.createAnswer();
    await gw.setLocalDescription(held);
    expect(readPlainSdp(held.sdp).direction).toBe('recvonly');
    const atHold = { far: pbx.received.length, toBrowser: gw.relay.stats.toBrowser, sent: pbx.sent };
    await until(() => gw.relay.stats.toBrowser >= atHold.toBrowser + 25, 'the PBX\'s audio reaching the browser during hold');
    expect(pbx.received.length - atHold.far).toBeLessThanOrEqual(3);
    gw.close();
    pbx.stop();
  });

  it('incoming with SDES-SRTP (RTP/SAVP + a=crypto AES_CM_128_HMAC_SHA1_80): audio both ways, encrypted', async () => {
    const { gw, browserPc } = newGateway();
    const pbx = await far();
    const pbxKey: SdesKey = { tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keySalt: Buffer.from([...Array(30).keys()].map((i) => (i * 7 + 3) & 0xff)) };
    await gw.setRemoteDescription({ type: 'offer', sdp: pbxSdp(pbx.port, [PCMU, EVENTS], 'sendrecv', 1, pbxKey) });
    const answer = await gw.createAnswer();
    await gw.setLocalDescription(answer);
    expect(answer.sdp).toMatch(/m=audio \d+ RTP\/SAVP 0 101/);
    const ours = readPlainSdp(answer.sdp);
    expect(ours.crypto?.tag).toBe(1);
    const session = new SrtpSession({
      profile: ProtectionProfileAes128CmHmacSha1_80,
      keys: { localMasterKey: pbxKey.keySalt.subarray(0, 16), localMasterSalt: pbxKey.keySalt.subarray(16), remoteMasterKey: ours.crypto!.keySalt.subarray(0, 16), remoteMasterSalt: ours.crypto!.keySalt.subarray(16) },
    });
    await connected(gw);
    pbx.startTone({ address: ours.address, port: ours.port }, 'PCMU', 0, FAR_HZ, (rtp) => session.encrypt(rtp.subarray(12), RtpHeader.deSerialize(rtp)));
    await browserHears(browserPc.pcId);
    await pbx.until((r) => r.length >= 60, 'SRTP from the gateway');
    // What arrives is SRTP: the payload is ciphertext plus a 10-byte tag; decrypted it is the microphone.
    const decoded = pbx.received.slice(-40).map((p) => session.decrypt(Buffer.concat([rtpHeaderOf(p), p.payload])));
    const samples = decoded.flatMap((d) => [...d.subarray(12)].map((u) => ulaw(u)));
    expect(toneShare(samples, MIC_HZ)).toBeGreaterThan(0.5);

    // We hold and resume (JsSIP's re-offers): still RTP/SAVP with our key; the PBX answers with its key.
    for (const direction of ['recvonly', 'sendrecv'] as const) {
      const reoffer = await gw.createOffer();
      await gw.setLocalDescription(reoffer);
      expect(reoffer.sdp).toMatch(/RTP\/SAVP 0 101/);
      expect(readPlainSdp(reoffer.sdp).crypto!.keySalt.equals(ours.crypto!.keySalt)).toBe(true);
      await gw.setRemoteDescription({ type: 'answer', sdp: pbxSdp(pbx.port, [PCMU, EVENTS], direction, 3, pbxKey) });
    }
    const after = pbx.received.length;
    await pbx.until((r) => r.length >= after + 25, 'SRTP again after resume');
    expect(session.decrypt(Buffer.concat([rtpHeaderOf(pbx.received.at(-1)!), pbx.received.at(-1)!.payload])).length).toBe(172);
    // Dropping SRTP mid-call is refused (the call keeps its keys).
    await gw.setLocalDescription(await gw.createOffer());
    await expect(gw.setRemoteDescription({ type: 'answer', sdp: pbxSdp(pbx.port, [PCMU, EVENTS], 'sendrecv', 4) })).rejects.toThrow(/dropped SRTP/);
    expect(gw.failure).toBeUndefined();
    gw.close();
    pbx.stop();
  });

  it('an offer with no codec in common: refused before ringing (488), and the gateway reports "Incompatible SDP"', async () => {
    const g729 = pbxSdp(40000, [{ pt: 18, name: 'G729', rate: 8000 }], 'sendrecv');
    expect(screenPbxOffer(g729)).toMatch(/no codec the browser can take \(offered: G729\)/);
    const { gw } = newGateway();
    // A re-check at answer time too (an offer that passed the screen but the browser lacks): G722 only.
    await gw.setRemoteDescription({ type: 'offer', sdp: pbxSdp(40000, [{ pt: 9, name: 'G722', rate: 8000 }], 'sendrecv') });
    await expect(gw.createAnswer()).rejects.toThrow(/the browser can take PCMU, PCMA or Opus/);
    expect(gw.failure).toBe('Incompatible SDP');
    gw.close();
    expect(gateways.live()).toBe(0);
  });
});

function rtpHeaderOf(p: { pt: number; marker: boolean; seq: number; timestamp: number; ssrc: number }): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = (p.marker ? 0x80 : 0) | p.pt;
  h.writeUInt16BE(p.seq, 2);
  h.writeUInt32BE(p.timestamp, 4);
  h.writeUInt32BE(p.ssrc, 8);
  return h;
}

function ulaw(u: number): number {
  const v = ~u & 0xff;
  const t = (((v & 0x0f) << 3) + 0x84) << ((v & 0x70) >> 4);
  return v & 0x80 ? 0x84 - t : t - 0x84;
}
