import dgram from 'node:dgram';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { BridgedPeerConnection } from '../sip/bridged-peer-connection';
import { startGateways } from './gateways';
import { readPlainSdp } from './plain-sdp';
import { CHROMIUM_OFFER } from './testing/sdp-samples';

/** The slice of the bridged browser peer connection the gateway uses before the PBX answers. */
function fakeBrowser(offer = CHROMIUM_OFFER) {
  let n = 0;
  const fake = {
    pcId: `pc-${++n}`,
    iceGatheringState: 'complete',
    iceConnectionState: 'new',
    connectionState: 'new',
    failure: undefined,
    localDescription: null as { type: string; sdp: string } | null,
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    createOffer: vi.fn(async () => ({ type: 'offer', sdp: offer })),
    setLocalDescription: vi.fn(async (d: { type: string; sdp: string }) => {
      fake.localDescription = d;
    }),
    close: vi.fn(),
  };
  return fake;
}

const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

describe('startGateways', () => {
  const log = pino({ level: 'silent' });

  it('an outgoing offer takes a port pair from the range; closing (one, or all at host exit) frees it and closes the browser side', async () => {
    const gateways = startGateways({ log, rtpPorts: () => ({ min: 31200, max: 31209 }), pbxHost: () => '127.0.0.1', offerSrtp: () => false });
    const browsers = [fakeBrowser(), fakeBrowser()];
    const gws = browsers.map((b) => gateways.create(b as unknown as BridgedPeerConnection));
    expect(gateways.live()).toBe(2);
    const ports: number[] = [];
    for (const gw of gws) {
      const offer = await gw.createOffer();
      await gw.setLocalDescription(offer);
      expect(gw.iceGatheringState).toBe('complete');
      const m = readPlainSdp(gw.localDescription!.sdp);
      expect(m.codecs.map((c) => c.pt)).toEqual([0, 8, 101]);
      expect(gw.localDescription!.sdp).toMatch(/m=audio \d+ RTP\/AVP 0 8 101\r\n/);
      expect(m.crypto).toBeUndefined();
      expect(m.port).toBeGreaterThanOrEqual(31200);
      expect(m.port).toBeLessThanOrEqual(31208);
      expect(await bindable(m.port)).toBe(false);
      ports.push(m.port);
    }
    expect(ports[0]).not.toBe(ports[1]);
    gws[0]!.close();
    expect(gateways.live()).toBe(1);
    expect(browsers[0]!.close).toHaveBeenCalledOnce();
    gateways.closeAll();
    expect(gateways.live()).toBe(0);
    expect(browsers[1]!.close).toHaveBeenCalledOnce();
    for (const p of ports) expect(await bindable(p)).toBe(true);
    await expect(gws[1]!.createOffer()).rejects.toThrow(/closed/);
  });

  it('a browser without G.711: the offer is refused and the call is marked "Incompatible SDP" (no codec in common)', async () => {
    const gateways = startGateways({ log, rtpPorts: () => ({ min: 31210, max: 31219 }), pbxHost: () => undefined, offerSrtp: () => false });
    const opusOnly = CHROMIUM_OFFER.replace(/a=rtpmap:(0|8) .*\r\n/g, '').replace(' 0 8 13', ' 13');
    const gw = gateways.create(fakeBrowser(opusOnly) as unknown as BridgedPeerConnection);
    await expect(gw.createOffer()).rejects.toThrow(/neither PCMU nor PCMA/);
    expect(gw.failure).toBe('Incompatible SDP');
    gw.close();
  });

  it('offerSrtp (a TLS account with the srtpOnTls preference): the offer is RTP/SAVP with our a=crypto key, kept on re-offers; a plain answer is refused', async () => {
    const gateways = startGateways({ log, rtpPorts: () => ({ min: 31220, max: 31229 }), pbxHost: () => '127.0.0.1', offerSrtp: () => true });
    const gw = gateways.create(fakeBrowser() as unknown as BridgedPeerConnection);
    const offer = await gw.createOffer();
    await gw.setLocalDescription(offer);
    expect(offer.sdp).toMatch(/m=audio \d+ RTP\/SAVP 0 8 101\r\n/);
    expect(offer.sdp).toMatch(/a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/]{40}\r\n/);
    const key = readPlainSdp(offer.sdp).crypto!;
    expect(key.keySalt).toHaveLength(30);
    // JsSIP may ask again before an answer (a re-offer): the same key.
    expect(readPlainSdp((await gw.createOffer()).sdp).crypto!.keySalt.equals(key.keySalt)).toBe(true);
    const plainAnswer = offer.sdp.replace('RTP/SAVP', 'RTP/AVP').replace(/a=crypto:.*\r\n/, '');
    await expect(gw.setRemoteDescription({ type: 'answer', sdp: plainAnswer })).rejects.toThrow(/answered our SRTP offer without a usable key/);
    gw.close();
  });
});
