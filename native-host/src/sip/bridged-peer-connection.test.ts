import { afterEach, describe, expect, it, vi } from 'vitest';
import { pcSnapshot } from '../../../shared/protocol/media';
import { BridgedPeerConnection } from './bridged-peer-connection';
import { MediaEventRouter, type MediaBridge } from './media-bridge';

const snap = pcSnapshot;

function fakeBridge(gathering: string) {
  const router = new MediaEventRouter();
  const sent: string[] = [];
  const bridge: MediaBridge = {
    nextPcId: () => router.nextPcId(),
    subscribe: (id, l) => router.subscribe(id, l),
    request: (async (method: string) => {
      sent.push(method);
      if (method === 'media.pc.setLocalDescription') return { snapshot: snap({ iceGatheringState: gathering, signalingState: 'have-local-offer' }) };
      if (method === 'media.pc.createOffer') return { description: { type: 'offer', sdp: 'v=0' }, snapshot: snap() };
      return { snapshot: snap() };
    }) as MediaBridge['request'],
  };
  return { bridge, router, sent };
}

describe('BridgedPeerConnection', () => {
  afterEach(() => vi.useRealTimers());

  it('sends create, microphone and offer without waiting for each reply (one round trip)', async () => {
    const { bridge, sent } = fakeBridge('complete');
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    pc.addTrack(new (await import('./bridged-peer-connection')).BridgedTrack('mic'));
    const offer = pc.createOffer();
    expect(sent).toEqual(['media.pc.create', 'media.pc.addMicrophone', 'media.pc.createOffer']);
    await expect(offer).resolves.toMatchObject({ type: 'offer' });
  });

  it('goes on after 3 s when the browser never finishes ICE gathering', async () => {
    vi.useFakeTimers();
    const { bridge } = fakeBridge('gathering');
    const errors: string[] = [];
    const pc = new BridgedPeerConnection(bridge, undefined, (err) => errors.push(String(err)));
    const seen: string[] = [];
    pc.addEventListener('icegatheringstatechange', () => seen.push(pc.iceGatheringState));
    await pc.setLocalDescription({ type: 'offer', sdp: 'v=0' });
    expect(pc.iceGatheringState).toBe('gathering');
    await vi.advanceTimersByTimeAsync(2999);
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['complete']);
    expect(errors.join()).toMatch(/ICE gathering still gathering/);
  });

  it('treats a peer connection the browser closed by itself as failed', () => {
    const { bridge, router } = fakeBridge('complete');
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    const states: string[] = [];
    pc.addEventListener('iceconnectionstatechange', () => states.push(pc.iceConnectionState));
    router.dispatch({ pcId: pc.pcId, type: 'closed', snapshot: snap({ signalingState: 'closed' }) });
    expect(states).toEqual(['failed']);
  });

  it('hands each key to the browser once: JsSIP finds no tone buffer to prepend (the engine queues after its own)', async () => {
    const { bridge, router } = fakeBridge('complete');
    const tones: string[] = [];
    const request = bridge.request;
    bridge.request = ((method: string, params: { tones?: string }) => {
      if (method === 'media.pc.insertDtmf') tones.push(params.tones ?? '');
      return (request as (m: string, p: unknown) => Promise<unknown>)(method, params);
    }) as MediaBridge['request'];
    void router;
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    pc.insertDtmf('1', 240, 70);
    expect(pc.toneBuffer).toBe('');
    // What JsSIP's sendDTMF does for the next key: toneBuffer + key.
    pc.insertDtmf(`${pc.toneBuffer}5`, 240, 70);
    expect(tones).toEqual(['1', '5']);
  });
});
