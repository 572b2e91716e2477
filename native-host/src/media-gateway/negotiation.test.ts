import { describe, expect, it } from 'vitest';
import { asSeenBy, choose, ptMap } from './codecs';
import { chooseForOffer, chooseFromAnswer, NegotiationError, offerForPbx, offerIsPlayable, openWays, routeFor } from './negotiation';
import { readPlainSdp } from './plain-sdp';
import { ASTERISK_OFFER, BARESIP_OFFER, CHROMIUM_OFFER, FIREFOX_OFFER, FREESWITCH_ANSWER, FREESWITCH_SRTP_OFFER } from './testing/sdp-samples';
import { webrtcAudioCodecs } from './webrtc-sdp';

const chromium = webrtcAudioCodecs(CHROMIUM_OFFER);
const firefox = webrtcAudioCodecs(FIREFOX_OFFER);

describe('browser offers', () => {
  it('reads Chromium and Firefox codecs with their own payload types', () => {
    expect(chromium.map((c) => `${c.pt} ${c.name}/${c.rate}`)).toEqual(['111 opus/48000', '63 red/48000', '9 G722/8000', '0 PCMU/8000', '8 PCMA/8000', '13 CN/8000', '110 telephone-event/48000', '126 telephone-event/8000']);
    expect(firefox.find((c) => c.name === 'telephone-event')!.pt).toBe(101);
    expect(webrtcAudioCodecs('garbage')).toEqual([]);
  });

  it('the offer to a PBX: PCMU, PCMA and telephone-event in RFC 3551 numbering, whatever the browser numbers them', () => {
    for (const browser of [chromium, firefox]) expect(offerForPbx(browser).map((c) => c.pt)).toEqual([0, 8, 101]);
    expect(() => offerForPbx(chromium.filter((c) => c.name !== 'PCMU' && c.name !== 'PCMA'))).toThrow(NegotiationError);
  });
});

describe('choosing the codec', () => {
  it('outgoing: the PBX answer decides (FreeSWITCH answers PCMA)', () => {
    const choice = chooseFromAnswer(readPlainSdp(FREESWITCH_ANSWER), offerForPbx(chromium));
    expect(choice.audio.name).toBe('PCMA');
    expect(choice.event?.pt).toBe(101);
  });

  it("incoming: the PBX's first codec the browser has (FreeSWITCH prefers PCMA; G722 is never passed)", () => {
    expect(chooseForOffer(readPlainSdp(FREESWITCH_SRTP_OFFER), chromium).audio.name).toBe('PCMA');
    expect(chooseForOffer(readPlainSdp(ASTERISK_OFFER), firefox).audio.name).toBe('PCMU');
    expect(chooseForOffer(readPlainSdp(BARESIP_OFFER), chromium)).toMatchObject({ audio: { pt: 0 }, event: { pt: 101 } });
  });

  it('no common codec is a NegotiationError the caller turns into 488', () => {
    const g729 = readPlainSdp(ASTERISK_OFFER.replace('RTP/AVP 0 8 3 101', 'RTP/AVP 18 3').replace(/a=rtpmap:(0|8|101).*\r\n/g, '') + 'a=rtpmap:18 G729/8000\r\n');
    expect(offerIsPlayable(g729)).toBe(false);
    expect(() => chooseForOffer(g729, chromium)).toThrow(/the PBX offered G729, GSM; the browser can take PCMU, PCMA or Opus/);
    expect(offerIsPlayable(readPlainSdp(ASTERISK_OFFER))).toBe(true);
  });

  it('telephone-event only rides at the audio codec clock (Chromium\'s 48 kHz one is not paired with PCMU)', () => {
    const c = choose(readPlainSdp(ASTERISK_OFFER).codecs, chromium)!;
    expect(asSeenBy(c, chromium)).toMatchObject({ audio: { pt: 0 }, event: { pt: 126, rate: 8000 } });
    const noEvents = choose(readPlainSdp(ASTERISK_OFFER).codecs, chromium.filter((x) => !(x.name === 'telephone-event' && x.rate === 8000)))!;
    expect(noEvents.event).toBeUndefined();
  });
});

describe('payload type mapping and open ways', () => {
  it('maps Chromium 126 ↔ PBX 101 and the audio type both ways; other types are absent (dropped)', () => {
    const pbx = chooseForOffer(readPlainSdp(ASTERISK_OFFER), chromium);
    const browser = asSeenBy(pbx, chromium)!;
    const route = routeFor(pbx, pbx, browser, 'sendrecv', true);
    expect([...route.toPbx]).toEqual([
      [0, 0],
      [126, 101],
    ]);
    expect(route.fromPbx.get(101)).toBe(126);
    expect(route.fromPbx.has(111)).toBe(false);
    expect(route.frameTicks).toBe(160);
    expect([...ptMap(browser, pbx)]).toEqual([...route.toPbx]);
  });

  it('accepts from the PBX both the numbers it wrote and the ones we wrote (RFC 3264 lets them differ)', () => {
    const pbx = { audio: { pt: 0, name: 'PCMU', rate: 8000 }, event: { pt: 96, name: 'telephone-event', rate: 8000 } };
    const ours = { audio: { pt: 0, name: 'PCMU', rate: 8000 }, event: { pt: 101, name: 'telephone-event', rate: 8000 } };
    const route = routeFor(pbx, ours, asSeenBy(pbx, chromium)!, 'sendrecv', false);
    expect(route.fromPbx.get(96)).toBe(126);
    expect(route.fromPbx.get(101)).toBe(126);
    expect(route.toPbx.get(126)).toBe(96);
  });

  it('hold: our hold (PBX answers recvonly/inactive) stops both ways; the PBX holding us (sendonly) plays its audio only', () => {
    expect(openWays('sendrecv', false)).toEqual({ toBrowserOpen: true, toPbxOpen: true });
    expect(openWays('recvonly', false)).toEqual({ toBrowserOpen: false, toPbxOpen: false });
    expect(openWays('inactive', false)).toEqual({ toBrowserOpen: false, toPbxOpen: false });
    expect(openWays('sendonly', true)).toEqual({ toBrowserOpen: true, toPbxOpen: false });
    expect(openWays('recvonly', true)).toEqual({ toBrowserOpen: false, toPbxOpen: true });
  });
});

describe('Opus passes through when the PBX offers it', () => {
  it('an Opus-first PBX offer is answered with Opus at the browser\'s payload type, 960 ticks per 20 ms', () => {
    const opusPbx = readPlainSdp(
      ASTERISK_OFFER.replace('RTP/AVP 0 8 3 101', 'RTP/AVP 107 0 101').replace('a=rtpmap:0 PCMU/8000', 'a=rtpmap:107 opus/48000/2\r\na=rtpmap:0 PCMU/8000'),
    );
    const pbx = chooseForOffer(opusPbx, chromium);
    expect(pbx.audio).toMatchObject({ pt: 107, name: 'opus', rate: 48000 });
    // Chromium's telephone-event at 48 kHz rides with Opus only if the PBX has one at 48 kHz too: here it has not.
    expect(pbx.event).toBeUndefined();
    const browser = asSeenBy(pbx, chromium)!;
    expect(browser.audio.pt).toBe(111);
    const route = routeFor(pbx, pbx, browser, 'sendrecv', true);
    expect(route.toPbx.get(111)).toBe(107);
    expect(route.frameTicks).toBe(960);
  });
});
