import { describe, expect, it } from 'vitest';
import { writeRtp, readRtp } from './rtp-packet';
import { newSdesKey, SdesCipher } from './sdes';

describe('SDES-SRTP (AES_CM_128_HMAC_SHA1_80, werift SRTP)', () => {
  it('round trip: what one side protects the other unprotects, RTP and RTCP', () => {
    const a = newSdesKey(1);
    const b = newSdesKey(1);
    const gateway = new SdesCipher(a, b);
    const pbx = new SdesCipher(b, a);
    const payload = Buffer.alloc(160, 0x55);
    for (let seq = 1; seq <= 3; seq++) {
      const plain = writeRtp({ pt: 0, marker: false, seq, timestamp: seq * 160, ssrc: 77 }, payload);
      const srtp = gateway.protect(plain);
      expect(srtp).toHaveLength(plain.length + 10);
      expect(srtp.subarray(12, 172).equals(payload)).toBe(false);
      const back = pbx.unprotect(srtp)!;
      expect(readRtp(back)).toMatchObject({ seq, ssrc: 77 });
      expect(back.subarray(12).equals(payload)).toBe(true);
    }
    const sr = Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 77, ...Buffer.alloc(20, 1)]);
    expect(gateway.unprotectRtcp(pbx.protectRtcp(sr))!.equals(sr)).toBe(true);
  });

  it('a forged or foreign packet fails authentication and is refused, not passed on', () => {
    const a = newSdesKey(1);
    const b = newSdesKey(1);
    const pbx = new SdesCipher(b, a);
    const srtp = new SdesCipher(a, b).protect(writeRtp({ pt: 0, marker: false, seq: 9, timestamp: 1, ssrc: 5 }, Buffer.alloc(160, 1)));
    const tampered = Buffer.from(srtp);
    tampered[20] = tampered[20]! ^ 0xff;
    expect(pbx.unprotect(tampered)).toBeUndefined();
    expect(new SdesCipher(b, newSdesKey(1)).unprotect(srtp)).toBeUndefined();
    expect(pbx.unprotect(Buffer.from('junk'))).toBeUndefined();
  });
});
