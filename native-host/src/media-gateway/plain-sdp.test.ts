import { describe, expect, it } from 'vitest';
import { answerDirection, readPlainSdp, SdpError, writePlainSdp } from './plain-sdp';
import { ASTERISK_HOLD, ASTERISK_OFFER, BARESIP_OFFER, CHROMIUM_OFFER, FREESWITCH_ANSWER, FREESWITCH_SRTP_OFFER } from './testing/sdp-samples';

describe('readPlainSdp (what a plain SIP PBX sends)', () => {
  it('Asterisk: address, port, RTCP at port + 1, codecs in its order with its payload types', () => {
    const m = readPlainSdp(ASTERISK_OFFER);
    expect(m).toMatchObject({ address: '192.168.1.10', port: 12822, rtcpPort: 12823, direction: 'sendrecv', origin: { sessionId: '1893744561', version: 1893744561 } });
    expect(m.codecs.map((c) => `${c.pt} ${c.name}/${c.rate}`)).toEqual(['0 PCMU/8000', '8 PCMA/8000', '3 GSM/8000', '101 telephone-event/8000']);
    expect(m.codecs[3]!.fmtp).toBe('0-16');
    expect(m.crypto).toBeUndefined();
    expect(readPlainSdp(ASTERISK_HOLD).direction).toBe('sendonly');
  });

  it('FreeSWITCH SDES: the AES_CM_128_HMAC_SHA1_80 key is used (the 256-bit one skipped), a=rtcp port read', () => {
    const m = readPlainSdp(FREESWITCH_SRTP_OFFER);
    expect(m.crypto).toMatchObject({ tag: 2, suite: 'AES_CM_128_HMAC_SHA1_80' });
    expect(m.crypto!.keySalt).toHaveLength(30);
    expect(m.unusableCrypto).toBeUndefined();
    expect(m.rtcpPort).toBe(24579);
    expect(m.codecs[0]!.name).toBe('PCMA');
  });

  it('RTP/SAVP with only keys the gateway cannot use is flagged, not silently sent in clear', () => {
    const only256 = FREESWITCH_SRTP_OFFER.replace(/a=crypto:2 .*\r\n/, '');
    const m = readPlainSdp(only256);
    expect(m.crypto).toBeUndefined();
    expect(m.unusableCrypto).toBe(true);
    expect(readPlainSdp(FREESWITCH_SRTP_OFFER.replace('|2^31', '|2^31|1:4')).unusableCrypto).toBe(true);
  });

  it('FreeSWITCH answer with rtcp-mux: RTCP on the RTP port', () => {
    expect(readPlainSdp(FREESWITCH_ANSWER)).toMatchObject({ port: 30112, rtcpPort: 30112 });
  });

  it('baresip: a static payload type without rtpmap is still PCMU', () => {
    const m = readPlainSdp(BARESIP_OFFER);
    expect(m.codecs.map((c) => [c.pt, c.name])).toEqual([
      [0, 'PCMU'],
      [101, 'telephone-event'],
    ]);
    expect(m.rtcpPort).toBe(10275);
  });

  it('refuses, with an SdpError naming why, whatever it cannot bridge', () => {
    const cases: [string, RegExp][] = [
      ['', /no active audio/],
      [CHROMIUM_OFFER, /UDP\/TLS\/RTP\/SAVPF, not RTP\/AVP/],
      [ASTERISK_OFFER.replace('m=audio 12822', 'm=audio 0'), /no active audio/],
      [ASTERISK_OFFER.replace(/c=IN IP4 192.168.1.10/g, 'c=IN IP6 ::1'), /not an IPv4 address/],
      [ASTERISK_OFFER.replace(/192.168.1.10/g, '999.1.1.1'), /not an IPv4 address/],
      ['x'.repeat(70_000), /too long/],
      ['v=0\r\nm=audio 99999999999999999 RTP/AVP 0\r\n', /no active audio/],
      ['\u0000\u0001garbage=\r\n=\r\nm=', /no active audio/],
    ];
    for (const [sdp, why] of cases) {
      expect(() => readPlainSdp(sdp), sdp.slice(0, 40)).toThrow(SdpError);
      expect(() => readPlainSdp(sdp)).toThrow(why);
    }
  });

  it('ignores payload types out of range and keeps reading', () => {
    const m = readPlainSdp(ASTERISK_OFFER.replace('RTP/AVP 0 8 3 101', 'RTP/AVP 0 999 abc 101'));
    expect(m.codecs.map((c) => c.pt)).toEqual([0, 101]);
  });
});

describe('writePlainSdp (what the gateway shows the PBX)', () => {
  it('plain RTP/AVP with our address and port, RTCP above it, no WebRTC attributes; reads back the same', () => {
    const sdp = writePlainSdp({
      sessionId: '77',
      version: 3,
      address: '10.1.2.3',
      port: 16390,
      codecs: [
        { pt: 0, name: 'PCMU', rate: 8000 },
        { pt: 101, name: 'telephone-event', rate: 8000, fmtp: '0-16' },
      ],
      direction: 'sendrecv',
    });
    expect(sdp).toContain('m=audio 16390 RTP/AVP 0 101\r\n');
    expect(sdp).toContain('c=IN IP4 10.1.2.3\r\n');
    expect(sdp).toContain('a=rtcp:16391\r\n');
    expect(sdp).not.toMatch(/ice-|fingerprint|candidate|setup:|mid:|SAVPF/);
    expect(readPlainSdp(sdp)).toMatchObject({ address: '10.1.2.3', port: 16390, rtcpPort: 16391, direction: 'sendrecv', origin: { sessionId: '77', version: 3 } });
  });

  it('RTP/SAVP with our a=crypto line when keyed; the key reads back', () => {
    const keySalt = Buffer.alloc(30, 7);
    const sdp = writePlainSdp({ sessionId: '1', version: 1, address: '10.1.2.3', port: 16392, codecs: [{ pt: 8, name: 'PCMA', rate: 8000 }], direction: 'recvonly', crypto: { tag: 2, suite: 'AES_CM_128_HMAC_SHA1_80', keySalt } });
    expect(sdp).toContain('m=audio 16392 RTP/SAVP 8\r\n');
    expect(sdp).toContain(`a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:${keySalt.toString('base64')}\r\n`);
    expect(readPlainSdp(sdp).crypto!.keySalt.equals(keySalt)).toBe(true);
  });

  it('answers an offer direction per RFC 3264', () => {
    expect([answerDirection('sendrecv'), answerDirection('sendonly'), answerDirection('recvonly'), answerDirection('inactive')]).toEqual(['sendrecv', 'recvonly', 'sendonly', 'inactive']);
  });
});
