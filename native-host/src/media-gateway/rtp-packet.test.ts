import { describe, expect, it } from 'vitest';
import { looksLikeRtcp, MAX_DATAGRAM, readRtp, writeRtp } from './rtp-packet';

const packet = (opts: { csrc?: number; ext?: number; pad?: number; pt?: number } = {}) => {
  const csrc = opts.csrc ?? 0;
  const head = Buffer.alloc(12 + csrc * 4);
  head[0] = 0x80 | csrc | (opts.ext !== undefined ? 0x10 : 0) | (opts.pad ? 0x20 : 0);
  head[1] = 0x80 | (opts.pt ?? 8);
  head.writeUInt16BE(65535, 2);
  head.writeUInt32BE(0xfffffff0, 4);
  head.writeUInt32BE(0xdeadbeef, 8);
  const ext = opts.ext !== undefined ? Buffer.concat([Buffer.from([0xbe, 0xde, 0, opts.ext]), Buffer.alloc(opts.ext * 4, 1)]) : Buffer.alloc(0);
  const pad = opts.pad ? Buffer.concat([Buffer.alloc(opts.pad - 1), Buffer.from([opts.pad])]) : Buffer.alloc(0);
  return Buffer.concat([head, ext, Buffer.alloc(160, 0xd5), pad]);
};

describe('readRtp (total over any datagram)', () => {
  it('reads the header and finds the payload past CSRCs, extension and padding', () => {
    expect(readRtp(packet())).toEqual({ pt: 8, marker: true, seq: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, payloadOffset: 12, payloadEnd: 172 });
    const v = readRtp(packet({ csrc: 2, ext: 1, pad: 4 }))!;
    expect(v.payloadOffset).toBe(12 + 8 + 8);
    expect(v.payloadEnd - v.payloadOffset).toBe(160);
  });

  it('refuses what is not well-formed RTP: short, wrong version, RTCP, cut extension, bad padding, oversize', () => {
    const bad = [
      Buffer.alloc(0),
      Buffer.alloc(11, 0x80),
      Buffer.from([0x40, 0, ...Buffer.alloc(20)]),
      Buffer.from([0x80, 200, 0, 6, ...Buffer.alloc(24)]),
      packet({ csrc: 15 }).subarray(0, 40),
      (() => {
        const p = packet({ ext: 1 });
        p.writeUInt16BE(500, 14);
        return p;
      })(),
      (() => {
        const p = packet({ pad: 4 });
        p[p.length - 1] = 0;
        return p;
      })(),
      (() => {
        const p = packet({ pad: 4 });
        p[p.length - 1] = 250;
        return p;
      })(),
      Buffer.alloc(MAX_DATAGRAM + 1, 0x80),
      Buffer.from('INVITE sip:x SIP/2.0\r\n'),
    ];
    for (const b of bad) expect(readRtp(b), b.subarray(0, 4).toString('hex')).toBeUndefined();
  });

  it('tells RTCP from RTP on a shared port (RFC 5761 ranges)', () => {
    expect(looksLikeRtcp(Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1]))).toBe(true);
    expect(looksLikeRtcp(Buffer.from([0x81, 201, 0, 7, 0, 0, 0, 1]))).toBe(true);
    expect(looksLikeRtcp(packet())).toBe(false);
  });

  it('writeRtp makes a bare 12-byte header that reads back', () => {
    const out = writeRtp({ pt: 101, marker: true, seq: 70000, timestamp: 2 ** 32 + 5, ssrc: 42 }, Buffer.from([5, 0x80, 0, 160]));
    expect(out).toHaveLength(16);
    expect(readRtp(out)).toMatchObject({ pt: 101, marker: true, seq: 70000 & 0xffff, timestamp: 5, ssrc: 42, payloadOffset: 12, payloadEnd: 16 });
  });
});
