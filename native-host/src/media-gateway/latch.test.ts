import { describe, expect, it } from 'vitest';
import { Latch } from './latch';

describe('Latch (symmetric RTP)', () => {
  it('sends to the SDP address until RTP arrives, then to where it really comes from', () => {
    const latch = new Latch({ address: '10.0.0.5', port: 4000 }, () => undefined);
    expect(latch.target()).toEqual({ address: '10.0.0.5', port: 4000 });
    expect(latch.accept({ address: '203.0.113.9', port: 61000 })).toBe(true);
    expect(latch.target()).toEqual({ address: '203.0.113.9', port: 61000 });
    expect(latch.accept({ address: '203.0.113.9', port: 61000 })).toBe(true);
  });

  it('ignores other sources after latching, reporting at most once per interval with the count', () => {
    let now = 0;
    const reports: number[] = [];
    const latch = new Latch({ address: '10.0.0.5', port: 4000 }, (n) => reports.push(n), () => now, 5000);
    latch.accept({ address: '10.0.0.5', port: 4000 });
    for (let i = 0; i < 100; i++) expect(latch.accept({ address: '10.0.0.66', port: 4000 + i })).toBe(false);
    expect(reports).toEqual([1]);
    now = 5000;
    expect(latch.accept({ address: '10.0.0.66', port: 1 })).toBe(false);
    expect(reports).toEqual([1, 100]);
    expect(latch.target()).toEqual({ address: '10.0.0.5', port: 4000 });
  });

  it('a new SDP (re-INVITE moving the media) unlatches', () => {
    const latch = new Latch({ address: '10.0.0.5', port: 4000 }, () => undefined);
    latch.accept({ address: '10.0.0.5', port: 4000 });
    latch.reset({ address: '10.0.0.7', port: 5000 });
    expect(latch.isLatched()).toBe(false);
    expect(latch.target()).toEqual({ address: '10.0.0.7', port: 5000 });
    expect(latch.accept({ address: '10.0.0.7', port: 5002 })).toBe(true);
    expect(latch.target()).toEqual({ address: '10.0.0.7', port: 5002 });
  });
});

describe('Latch.signalledTo', () => {
  it('is the SDP address, whatever was latched', () => {
    const latch = new Latch({ address: '10.0.0.5', port: 4000 }, () => undefined);
    latch.accept({ address: '203.0.113.9', port: 61000 });
    expect(latch.signalledTo).toEqual({ address: '10.0.0.5', port: 4000 });
  });
});
