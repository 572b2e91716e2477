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

  it('the browser sets the offer as local in the createOffer request: JsSIP\'s setLocalDescription of it costs no round trip, another one does', async () => {
    const { bridge, sent } = fakeBridge('gathering');
    const params: unknown[] = [];
    const request = bridge.request;
    bridge.request = ((method: string, p: { setLocal?: boolean }) => {
      params.push(p);
      if (method === 'media.pc.createOffer' && p.setLocal) {
        sent.push(method);
        return Promise.resolve({ description: { type: 'offer', sdp: 'v=0' }, snapshot: snap({ signalingState: 'have-local-offer' }) });
      }
      return (request as (m: string, p: unknown) => Promise<unknown>)(method, p);
    }) as MediaBridge['request'];
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    const offer = await pc.createOffer();
    expect(params[1]).toMatchObject({ setLocal: true });
    await pc.setLocalDescription(offer);
    expect(sent).toEqual(['media.pc.create', 'media.pc.createOffer']);
    await pc.setLocalDescription({ type: 'offer', sdp: 'v=0 changed' });
    expect(sent).toEqual(['media.pc.create', 'media.pc.createOffer', 'media.pc.setLocalDescription']);
  });

  it('an extension that ignores setLocal (older than the host) still gets the setLocalDescription', async () => {
    const { bridge, sent } = fakeBridge('complete');
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    await pc.setLocalDescription(await pc.createOffer());
    expect(sent).toEqual(['media.pc.create', 'media.pc.createOffer', 'media.pc.setLocalDescription']);
  });

  it('a remote offer is answered in the same request: JsSIP\'s createAnswer and setLocalDescription cost no round trip', async () => {
    const { bridge, sent } = fakeBridge('gathering');
    const answer = { type: 'answer' as const, sdp: 'v=0 answer' };
    const request = bridge.request;
    bridge.request = ((method: string, p: { answer?: boolean }) =>
      method === 'media.pc.setRemoteDescription' && p.answer
        ? (sent.push(method), Promise.resolve({ snapshot: snap({ signalingState: 'stable' }), answer }))
        : (request as (m: string, p: unknown) => Promise<unknown>)(method, p)) as MediaBridge['request'];
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    await pc.setRemoteDescription({ type: 'offer', sdp: 'v=0 offer' });
    const made = await pc.createAnswer();
    expect(made).toEqual(answer);
    await pc.setLocalDescription(made);
    expect(sent).toEqual(['media.pc.create', 'media.pc.setRemoteDescription']);
    // A later offer of ours (hold) asks the browser as usual.
    await pc.setLocalDescription(await pc.createOffer());
    expect(sent.slice(0, 3)).toEqual(['media.pc.create', 'media.pc.setRemoteDescription', 'media.pc.createOffer']);
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

/**
 * Issue 12.1: the reply to setLocalDescription and the browser's gathering events can reach the
 * host in one read (a busy machine batches frames): the reply's promise resolves first, the events
 * are dispatched in the same turn, and only then does JsSIP's continuation run, check
 * iceGatheringState once and attach its listeners. That must never leave it waiting.
 */
describe('BridgedPeerConnection: replies and events delivered together', () => {
  afterEach(() => vi.useRealTimers());

  /** What JsSIP's _createLocalDescription does after setLocalDescription (RTCSession.js). */
  function jssipWait(pc: BridgedPeerConnection): Promise<void> {
    return pc.setLocalDescription({ type: 'answer', sdp: 'v=0' }).then(
      () =>
        new Promise<void>((resolve) => {
          if (pc.iceGatheringState === 'complete') return resolve();
          pc.addEventListener('icecandidate', (e) => e.candidate === null && resolve());
          pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
        }),
    );
  }

  /** A bridge whose setLocalDescription reply the test delivers, together with events. */
  function heldBridge() {
    const router = new MediaEventRouter();
    let release: ((v: unknown) => void) | undefined;
    const bridge: MediaBridge = {
      nextPcId: () => router.nextPcId(),
      subscribe: (id, l) => router.subscribe(id, l),
      request: ((method: string) => {
        if (method === 'media.pc.setLocalDescription') return new Promise<unknown>((r) => (release = r));
        return Promise.resolve({ snapshot: snap({ seq: 1 }) });
      }) as MediaBridge['request'],
    };
    return { bridge, router, reply: (v: unknown) => release!(v) };
  }

  const answered = snap({ signalingState: 'stable', localDescription: { type: 'answer', sdp: 'v=0' } });

  it('the answer goes out when gathering completed in the same read as the reply, and the ICE state moved on', async () => {
    vi.useFakeTimers();
    const { bridge, router, reply } = heldBridge();
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    let sent = false;
    void jssipWait(pc).then(() => (sent = true));
    await vi.advanceTimersByTimeAsync(0);
    // One read of the host's input: the reply (taken while gathering), then the events after it.
    reply({ snapshot: { ...answered, seq: 2, iceGatheringState: 'gathering' } });
    const pcId = pc.pcId;
    router.dispatch({ pcId, type: 'icecandidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 }, snapshot: { ...answered, seq: 3, iceGatheringState: 'gathering' } });
    router.dispatch({ pcId, type: 'icegatheringstatechange', snapshot: { ...answered, seq: 4, iceGatheringState: 'complete' } });
    router.dispatch({ pcId, type: 'icecandidate', candidate: null, snapshot: { ...answered, seq: 5, iceGatheringState: 'complete' } });
    router.dispatch({ pcId, type: 'iceconnectionstatechange', snapshot: { ...answered, seq: 6, iceGatheringState: 'complete', iceConnectionState: 'checking' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent, 'JsSIP saw gathering complete without waiting').toBe(true);
    expect(pc.iceGatheringState).toBe('complete');
    expect(pc.iceConnectionState).toBe('checking');
  });

  it('a candidate that overtook the reply still reaches the listener JsSIP adds once the reply resolved (INVITE on the first candidate)', async () => {
    const { bridge, router, reply } = heldBridge();
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    const seen: (string | null)[] = [];
    const ready = pc.setLocalDescription({ type: 'offer', sdp: 'v=0' }).then(
      () =>
        new Promise<void>((resolve) => {
          pc.addEventListener('icecandidate', (e) => {
            seen.push((e.candidate as { candidate?: string } | null)?.candidate ?? null);
            resolve();
          });
        }),
    );
    await Promise.resolve();
    const offered = snap({ signalingState: 'have-local-offer', localDescription: { type: 'offer', sdp: 'v=0' } });
    // The candidate's event is read before the reply: a browser would never fire it that early.
    router.dispatch({ pcId: pc.pcId, type: 'icecandidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 }, snapshot: { ...offered, seq: 3, iceGatheringState: 'gathering' } });
    reply({ snapshot: { ...offered, seq: 2, iceGatheringState: 'gathering' } });
    await ready;
    expect(seen).toEqual(['candidate:1 1 udp 1 127.0.0.1 5000 typ host']);
  });

  it('with the offer set in the createOffer request, a candidate read with its reply still reaches JsSIP\'s listener', async () => {
    const router = new MediaEventRouter();
    let release: ((v: unknown) => void) | undefined;
    const bridge: MediaBridge = {
      nextPcId: () => router.nextPcId(),
      subscribe: (id, l) => router.subscribe(id, l),
      request: ((method: string) => (method === 'media.pc.createOffer' ? new Promise<unknown>((r) => (release = r)) : Promise.resolve({ snapshot: snap({ seq: 1 }) }))) as MediaBridge['request'],
    };
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    const seen: unknown[] = [];
    // JsSIP's _createLocalDescription: createOffer, setLocalDescription, then listen.
    const ready = pc
      .createOffer()
      .then((d) => pc.setLocalDescription(d))
      .then(() => new Promise<void>((resolve) => pc.addEventListener('icecandidate', (e) => (seen.push(e.candidate), resolve()))));
    await Promise.resolve();
    const offered = snap({ signalingState: 'have-local-offer', iceGatheringState: 'gathering', localDescription: { type: 'offer', sdp: 'v=0' } });
    release!({ description: { type: 'offer', sdp: 'v=0' }, snapshot: { ...offered, seq: 2 } });
    router.dispatch({ pcId: pc.pcId, type: 'icecandidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 }, snapshot: { ...offered, seq: 3 } });
    await ready;
    expect(seen).toHaveLength(1);
  });

  it('a reply that overtook its events is not undone by their older snapshots', async () => {
    const { bridge, router, reply } = heldBridge();
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    const done = pc.setLocalDescription({ type: 'answer', sdp: 'v=0' });
    await Promise.resolve();
    reply({ snapshot: { ...answered, seq: 9, iceGatheringState: 'complete', iceConnectionState: 'connected' } });
    await done;
    router.dispatch({ pcId: pc.pcId, type: 'icegatheringstatechange', snapshot: { ...answered, seq: 4, iceGatheringState: 'gathering' } });
    expect(pc.iceGatheringState).toBe('complete');
    expect(pc.iceConnectionState).toBe('connected');
  });

  it('a listener still waiting for the end of gathering is woken at the deadline, whatever the mirror shows', async () => {
    vi.useFakeTimers();
    const { bridge, router, reply } = heldBridge();
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined);
    const done = pc.setLocalDescription({ type: 'answer', sdp: 'v=0' });
    await vi.advanceTimersByTimeAsync(0);
    reply({ snapshot: { ...answered, seq: 2, iceGatheringState: 'gathering' } });
    await done;
    const seen: string[] = [];
    pc.addEventListener('icegatheringstatechange', () => seen.push(pc.iceGatheringState));
    // A browser that reports the state without the event (never seen, but nothing relies on it).
    router.dispatch({ pcId: pc.pcId, type: 'iceconnectionstatechange', snapshot: { ...answered, seq: 3, iceGatheringState: 'complete', iceConnectionState: 'checking' } });
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen).toEqual(['complete']);
  });
});

describe('BridgedPeerConnection with a spare the browser prepared', () => {
  afterEach(() => vi.useRealTimers());
  const offer = { type: 'offer' as const, sdp: 'v=0\r\na=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n' };
  const answer = { type: 'answer' as const, sdp: 'v=0 answer' };
  const spare = { spareId: 'spare-3', description: offer, iceServers: [], snapshot: snap({ signalingState: 'have-local-offer', iceGatheringState: 'complete', localDescription: offer, seq: 7 }) };

  /** A bridge whose replies show the spare's state, taken later (a higher seq), as the engine's do. */
  function spareBridge(refuseClaim = false) {
    const { bridge, sent } = fakeBridge('complete');
    const params: unknown[] = [];
    bridge.request = ((method: string, p: { spare?: string }) => {
      params.push(p);
      sent.push(method);
      // Refused, and so every later request for that pcId (the engine does not know it).
      if (refuseClaim) return Promise.reject(Object.assign(new Error(p.spare ? 'gone' : 'unknown pc'), { code: -32603 }));
      return Promise.resolve({ snapshot: { ...spare.snapshot, seq: 8 + params.length } });
    }) as MediaBridge['request'];
    return { bridge, sent, params };
  }

  it('answers the first offer from it with no request: the SDP is the spare’s local description, gathering complete', async () => {
    const { bridge, sent } = spareBridge();
    let asked: unknown;
    const pc = new BridgedPeerConnection(bridge, { iceServers: [] }, () => undefined, (ice) => ((asked = ice), spare));
    expect(asked).toEqual([]);
    expect(pc.preparedAs).toBe('spare-3');
    pc.addTrack(new (await import('./bridged-peer-connection')).BridgedTrack('mic'));
    const d = await pc.createOffer();
    await pc.setLocalDescription(d);
    // What JsSIP reads next to decide and to send.
    expect(pc.iceGatheringState).toBe('complete');
    expect(pc.localDescription).toEqual(offer);
    expect(d).toEqual(offer);
    // Nothing for the browser during the INVITE transaction.
    expect(sent).toEqual([]);
  });

  it('claims it when the far end answers: the claim, then the microphone and the answer, in that order', async () => {
    const { bridge, sent, params } = spareBridge();
    const pc = new BridgedPeerConnection(bridge, { iceServers: [] }, () => undefined, () => spare);
    pc.addTrack(new (await import('./bridged-peer-connection')).BridgedTrack('mic'));
    await pc.setLocalDescription(await pc.createOffer());
    await pc.setRemoteDescription(answer);
    expect(sent).toEqual(['media.pc.create', 'media.pc.addMicrophone', 'media.pc.setRemoteDescription']);
    expect(params[0]).toMatchObject({ pcId: pc.pcId, spare: 'spare-3' });
    // Later requests (a re-INVITE for hold) go at once.
    void pc.createOffer().catch(() => undefined);
    expect(sent.at(-1)).toBe('media.pc.createOffer');
  });

  it('claims it after CLAIM_AFTER_MS when the far end has not answered (a long ring), or at once on close', async () => {
    vi.useFakeTimers();
    const a = spareBridge();
    const ringing = new BridgedPeerConnection(a.bridge, undefined, () => undefined, () => spare);
    ringing.addTrack(new (await import('./bridged-peer-connection')).BridgedTrack('mic'));
    await vi.advanceTimersByTimeAsync(999);
    expect(a.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(a.sent).toEqual(['media.pc.create', 'media.pc.addMicrophone']);
    const b = spareBridge();
    const cancelled = new BridgedPeerConnection(b.bridge, undefined, () => undefined, () => spare);
    cancelled.close();
    expect(b.sent).toEqual(['media.pc.create', 'media.pc.close']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(b.sent).toEqual(['media.pc.create', 'media.pc.close']);
  });

  it('an ICE restart never takes the prepared offer', async () => {
    const { bridge, sent } = fakeBridge('complete');
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined, () => spare);
    pc.close();
    await pc.createOffer({ iceRestart: true }).catch(() => undefined);
    expect(sent).toEqual(['media.pc.create', 'media.pc.close', 'media.pc.createOffer']);
  });

  it('without a spare (none announced, or another ICE config) it is the usual path', async () => {
    const { bridge, sent } = fakeBridge('complete');
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined, () => undefined);
    expect(pc.preparedAs).toBeUndefined();
    await pc.createOffer();
    expect(sent).toEqual(['media.pc.create', 'media.pc.createOffer']);
  });

  it('a claim the browser refuses (its document was replaced) fails the call the way a lost browser does', async () => {
    const { bridge } = spareBridge(true);
    const pc = new BridgedPeerConnection(bridge, undefined, () => undefined, () => spare);
    const failed = new Promise((r) => pc.addEventListener('iceconnectionstatechange', r));
    await pc.setLocalDescription(await pc.createOffer());
    pc.setRemoteDescription(answer).catch(() => undefined);
    await failed;
    expect(pc.iceConnectionState).toBe('failed');
  });
});
