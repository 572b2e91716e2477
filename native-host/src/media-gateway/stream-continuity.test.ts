import { describe, expect, it } from 'vitest';
import { StreamContinuity } from './stream-continuity';

describe('StreamContinuity', () => {
  it('passes one source through unchanged (gaps and reordering too)', () => {
    const c = new StreamContinuity(160);
    expect(c.next(1, 100, 8000)).toEqual({ seq: 100, timestamp: 8000 });
    expect(c.next(1, 102, 8320)).toEqual({ seq: 102, timestamp: 8320 });
    expect(c.next(1, 101, 8160)).toEqual({ seq: 101, timestamp: 8160 });
  });

  it('a new SSRC goes on one packet and one frame after the last, across wrap-around', () => {
    const c = new StreamContinuity(160);
    c.next(1, 65535, 2 ** 32 - 100);
    expect(c.next(2, 7, 123)).toEqual({ seq: 0, timestamp: 60 });
    expect(c.next(2, 8, 283)).toEqual({ seq: 1, timestamp: 220 });
    // A late packet of the new source does not move the anchor back.
    c.next(2, 6, 0);
    expect(c.next(3, 500, 0)).toEqual({ seq: 2, timestamp: 380 });
  });
});
