import { describe, expect, it } from 'vitest';
import { CallRelay, type Route } from './relay';
import { readRtp, writeRtp } from './rtp-packet';

const route = (over: Partial<Route> = {}): Route => ({
  fromPbx: new Map([
    [8, 8],
    [101, 126],
  ]),
  toPbx: new Map([
    [8, 8],
    [126, 101],
  ]),
  toBrowserOpen: true,
  toPbxOpen: true,
  frameTicks: 160,
  ...over,
});

function rig(r = route()) {
  const toBrowser: { pt: number; seq: number; timestamp: number; payload: Buffer }[] = [];
  const toPbx: Buffer[] = [];
  const relay = new CallRelay();
  relay.browser = { send: (h, payload) => toBrowser.push({ ...h, payload: Buffer.from(payload) }) };
  relay.pbx = { send: (b) => toPbx.push(b) };
  relay.setRoute(r);
  const fromPbx = (pt: number, seq: number, ssrc = 1) => {
    const d = writeRtp({ pt, marker: false, seq, timestamp: seq * 160, ssrc }, Buffer.from([pt, seq & 0xff]));
    relay.fromPbx(readRtp(d)!, d);
  };
  const fromBrowser = (pt: number, seq: number) => relay.fromBrowser({ pt, marker: seq === 1, seq, timestamp: seq * 160, ssrc: 0xabc, payload: Buffer.from([pt]) });
  return { relay, toBrowser, toPbx, fromPbx, fromBrowser };
}

describe('CallRelay', () => {
  it('renumbers telephone-event both ways (Chromium 126 ↔ PBX 101), audio as is; unknown types dropped and counted', () => {
    const r = rig();
    r.fromPbx(8, 1);
    r.fromPbx(101, 2);
    r.fromPbx(0, 3);
    r.fromBrowser(126, 1);
    r.fromBrowser(111, 2);
    expect(r.toBrowser.map((p) => p.pt)).toEqual([8, 126]);
    expect(r.toBrowser[1]!.payload).toEqual(Buffer.from([101, 2]));
    expect(r.toPbx.map((b) => readRtp(b)!)).toEqual([expect.objectContaining({ pt: 101, marker: true, seq: 1, timestamp: 160, ssrc: 0xabc })]);
    expect(r.relay.stats).toEqual({ toBrowser: 2, toPbx: 1, unmapped: 2 });
  });

  it('closed ways forward nothing (hold)', () => {
    const r = rig(route({ toBrowserOpen: false, toPbxOpen: false }));
    r.fromPbx(8, 1);
    r.fromBrowser(8, 1);
    expect(r.toBrowser).toHaveLength(0);
    expect(r.toPbx).toHaveLength(0);
    r.relay.setRoute(route());
    r.fromPbx(8, 2);
    expect(r.toBrowser).toHaveLength(1);
  });

  it('the browser-bound stream stays continuous when the PBX source changes', () => {
    const r = rig();
    r.fromPbx(8, 500, 1);
    r.fromPbx(8, 9, 2);
    expect(r.toBrowser.map((p) => p.seq)).toEqual([500, 501]);
    expect(r.toBrowser[1]!.timestamp - r.toBrowser[0]!.timestamp).toBe(160);
  });
});
