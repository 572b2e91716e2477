import { describe, expect, it } from 'vitest';
import { pcSnapshot } from '../../../shared/protocol/media';
import { PreparedOffers } from './prepared-offers';
import type { PcEvent } from './media-bridge';

const offer = { type: 'offer' as const, sdp: 'v=0\r\na=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n' };

function prepared(pcId: string, over: Partial<PcEvent> = {}, snap: Parameters<typeof pcSnapshot>[0] = {}): PcEvent {
  return { pcId, type: 'prepared', iceServers: [], snapshot: pcSnapshot({ signalingState: 'have-local-offer', iceGatheringState: 'complete', localDescription: offer, seq: 4, ...snap }), ...over };
}

describe('PreparedOffers', () => {
  it('keeps an announced spare with its local description, and hands it out once', () => {
    const o = new PreparedOffers();
    expect(o.accept(prepared('spare-1'))).toBe(true);
    const taken = o.take([]);
    expect(taken).toMatchObject({ spareId: 'spare-1', description: offer, snapshot: { seq: 4 } });
    expect(o.take([])).toBeUndefined();
  });

  it('leaves a call peer connection’s events to the router', () => {
    const o = new PreparedOffers();
    expect(o.accept({ pcId: 'pc-1', type: 'icecandidate', candidate: null, snapshot: pcSnapshot() })).toBe(false);
    expect(o.size).toBe(0);
  });

  it('a withdrawn spare is not taken any more', () => {
    const o = new PreparedOffers();
    o.accept(prepared('spare-1'));
    expect(o.accept({ pcId: 'spare-1', type: 'withdrawn', snapshot: pcSnapshot() })).toBe(true);
    expect(o.take([])).toBeUndefined();
  });

  it('only a call with the same ICE servers takes it', () => {
    const o = new PreparedOffers();
    o.accept(prepared('spare-1'));
    expect(o.take([{ urls: 'stun:stun.example' }])).toBeUndefined();
    expect(o.take([])?.spareId).toBe('spare-1');
    o.accept(prepared('spare-2', { iceServers: [{ urls: 'stun:stun.example', username: '' }] }));
    expect(o.take([{ urls: 'stun:stun.example' }])?.spareId).toBe('spare-2');
  });

  it('refuses a spare whose offer is not ready to send as it is (gathering not complete, not an offer)', () => {
    const o = new PreparedOffers();
    o.accept(prepared('spare-1', {}, { iceGatheringState: 'gathering' }));
    o.accept(prepared('spare-2', {}, { signalingState: 'stable' }));
    o.accept(prepared('spare-3', {}, { localDescription: null }));
    expect(o.size).toBe(0);
  });

  it('takes the newest of two; clear() forgets every spare (another browser)', () => {
    const o = new PreparedOffers();
    o.accept(prepared('spare-1'));
    o.accept(prepared('spare-2'));
    expect(o.take([])?.spareId).toBe('spare-2');
    o.clear();
    expect(o.take([])).toBeUndefined();
  });
});
