import { describe, expect, it } from 'vitest';
import { rtcpReport } from './rtcp-report';
import { looksLikeRtcp } from './rtp-packet';

describe('rtcpReport', () => {
  it('a sender report for the forwarded stream, then SDES CNAME, each packet 32-bit aligned', () => {
    const now = Date.UTC(2026, 11, 7, 0, 0, 0, 500);
    const out = rtcpReport({ ssrc: 0xdeadbeef, packets: 250, octets: 40_000, lastTimestamp: 1000, lastSentAtMs: now - 20, clockRate: 8000 }, 'gw@host', now);
    expect(looksLikeRtcp(out)).toBe(true);
    expect(out[1]).toBe(200);
    const srLen = (out.readUInt16BE(2) + 1) * 4;
    expect(srLen).toBe(28);
    expect(out.readUInt32BE(4)).toBe(0xdeadbeef);
    expect(out.readUInt32BE(8)).toBe(Math.floor(now / 1000) + 2_208_988_800);
    expect(out.readUInt32BE(12)).toBe(2 ** 31);
    expect(out.readUInt32BE(16)).toBe(1000 + 160);
    expect([out.readUInt32BE(20), out.readUInt32BE(24)]).toEqual([250, 40_000]);
    const sdes = out.subarray(srLen);
    expect(sdes[1]).toBe(202);
    expect((sdes.readUInt16BE(2) + 1) * 4).toBe(sdes.length);
    expect(sdes.subarray(10, 10 + sdes[9]!).toString()).toBe('gw@host');
    expect(out.length % 4).toBe(0);
  });

  it('nothing sent yet (or on hold from the start): a receiver report without blocks', () => {
    const out = rtcpReport({ ssrc: 7, packets: 0, octets: 0, lastTimestamp: 0, lastSentAtMs: 0, clockRate: 8000 }, 'x', 0);
    expect(out[1]).toBe(201);
    expect(out.readUInt16BE(2)).toBe(1);
    expect(out.readUInt32BE(4)).toBe(7);
  });
});
