import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, ProtocolError } from '../../shared/protocol';
import { pcSnapshot } from '../../shared/protocol/media';
import type { BackendHooks, MediaBackend } from './backend';
import { defaultDevicePrefs, type AudioDevicePrefs } from './device-prefs';
import { deferred } from './fake-webrtc';
import { MediaRelay } from './relay';
import type { PcEventData } from './snapshot';

const snap = pcSnapshot;

function setup(devices: Promise<AudioDevicePrefs> = Promise.resolve(defaultDevicePrefs)) {
  const calls: [string, unknown][] = [];
  let hooks!: BackendHooks;
  const backend: MediaBackend & { running: boolean; results: Map<string, unknown> } = {
    running: false,
    results: new Map(),
    call: vi.fn(async (method: string, params: unknown) => {
      calls.push([method, params]);
      backend.running = true;
      const r = backend.results.get(method);
      if (r instanceof Error) throw r;
      return r ?? { snapshot: snap() };
    }),
  };
  const pushed: PcEventData[] = [];
  const onMicDenied = vi.fn();
  const relay = new MediaRelay({
    backend: (h) => ((hooks = h), backend),
    notify: (d) => void pushed.push(d),
    devices,
    onMicDenied,
    log: () => undefined,
  });
  return { relay, backend, calls, pushed, hooks, onMicDenied };
}

describe('MediaRelay', () => {
  it('refuses unknown methods and bad params without bothering the engine', async () => {
    const { relay, calls } = setup();
    await expect(relay.handle('media.pc.explode', { pcId: 'pc-1' })).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_METHOD });
    await expect(relay.handle('engine.closeAll', {})).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_METHOD });
    await expect(relay.handle('media.pc.create', { pcId: 'nope', iceServers: [] })).rejects.toMatchObject({
      code: ErrorCode.INVALID_PARAMS,
      message: expect.stringMatching(/^media\.pc\.create: pcId: /),
    });
    await expect(relay.handle('media.pc.insertDtmf', { pcId: 'pc-1', tones: '1', duration: 5, gap: 70 })).rejects.toMatchObject({
      code: ErrorCode.INVALID_PARAMS,
    });
    expect(calls).toEqual([]);
  });

  it('forwards requests in arrival order, after the stored devices are known', async () => {
    const devices = deferred<AudioDevicePrefs>();
    const { relay, calls, hooks } = setup(devices.promise);
    const a = relay.handle('media.pc.create', { pcId: 'pc-1', iceServers: [] });
    const b = relay.handle('media.pc.addMicrophone', { pcId: 'pc-1' });
    const c = relay.handle('media.pc.createOffer', { pcId: 'pc-1' });
    await new Promise((r) => setTimeout(r, 5));
    expect(calls).toEqual([]);
    devices.resolve({ micId: 'm', speakerId: 's', ringerId: 'r' });
    await Promise.all([a, b, c]);
    expect(calls.map(([m]) => m)).toEqual(['media.pc.create', 'media.pc.addMicrophone', 'media.pc.createOffer']);
    // A fresh engine gets the user's devices before anything else.
    expect(hooks.startCalls()).toEqual([['engine.setDevices', { micId: 'm', speakerId: 's', ringerId: 'r' }]]);
  });

  it('passes engine errors through unchanged', async () => {
    const { relay, backend } = setup();
    backend.results.set('media.pc.createOffer', new ProtocolError(ErrorCode.INVALID_PARAMS, 'no peer connection pc-7'));
    await expect(relay.handle('media.pc.createOffer', { pcId: 'pc-7' })).rejects.toMatchObject({ code: ErrorCode.INVALID_PARAMS, message: 'no peer connection pc-7' });
  });

  it('opens the setup page when the microphone is refused', async () => {
    const { relay, backend, onMicDenied } = setup();
    backend.results.set('media.pc.addMicrophone', new ProtocolError(ErrorCode.INTERNAL, 'refused', { name: 'NotAllowedError' }));
    await expect(relay.handle('media.pc.addMicrophone', { pcId: 'pc-1' })).rejects.toThrow('refused');
    expect(onMicDenied).toHaveBeenCalledOnce();
  });

  it('forwards engine events to the host', () => {
    const { hooks, pushed } = setup();
    const event: PcEventData = { pcId: 'pc-1', type: 'icecandidate', candidate: null, snapshot: snap() };
    hooks.event(event);
    expect(pushed).toEqual([event]);
  });

  it('closeAll reaches the engine only when one is running', async () => {
    const { relay, backend, calls } = setup();
    relay.closeAll();
    expect(calls).toEqual([]);
    await relay.handle('media.pc.create', { pcId: 'pc-1', iceServers: [] });
    relay.closeAll();
    expect(calls.at(-1)).toEqual(['engine.closeAll', {}]);
    expect(backend.running).toBe(true);
  });

  it('closes everything when a connected host stays away past the grace period, not on every reconnect attempt', async () => {
    vi.useFakeTimers();
    try {
      const { relay, calls } = setup();
      await relay.handle('media.pc.create', { pcId: 'pc-1', iceServers: [] });
      relay.connectionChanged(false); // connecting, before any host: nothing to close
      vi.advanceTimersByTime(60_000);
      expect(calls.filter(([m]) => m === 'engine.closeAll')).toHaveLength(0);
      relay.connectionChanged(true);
      relay.connectionChanged(false);
      relay.connectionChanged(false);
      vi.advanceTimersByTime(19_999);
      expect(calls.filter(([m]) => m === 'engine.closeAll')).toHaveLength(0);
      vi.advanceTimersByTime(1);
      expect(calls.filter(([m]) => m === 'engine.closeAll')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the calls when the host is back within the grace period (a worker restart)', async () => {
    vi.useFakeTimers();
    try {
      const { relay, calls } = setup();
      await relay.handle('media.pc.create', { pcId: 'pc-1', iceServers: [] });
      relay.connectionChanged(true);
      relay.connectionChanged(false);
      vi.advanceTimersByTime(5_000);
      relay.connectionChanged(true);
      vi.advanceTimersByTime(60_000);
      expect(calls.filter(([m]) => m === 'engine.closeAll')).toHaveLength(0);
      await relay.handle('media.retain', { pcIds: ['pc-1'] });
      expect(calls.at(-1)).toEqual(['media.retain', { pcIds: ['pc-1'] }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends changed devices to a running engine only', async () => {
    const { relay, calls } = setup();
    relay.setDevices({ micId: 'x', speakerId: '', ringerId: '' });
    expect(calls).toEqual([]);
    await relay.handle('media.ring', { on: false });
    relay.setDevices({ micId: 'y', speakerId: '', ringerId: '' });
    relay.setDevices({ micId: 'y', speakerId: '', ringerId: '' });
    expect(calls.filter(([m]) => m === 'engine.setDevices')).toEqual([['engine.setDevices', { micId: 'y', speakerId: '', ringerId: '' }]]);
  });

  it('when the engine is lost, tells the host every live peer connection is closed', async () => {
    const { relay, backend, hooks, pushed } = setup();
    const offer = { type: 'offer' as const, sdp: 'v=0' };
    backend.results.set('media.pc.create', { snapshot: snap() });
    await relay.handle('media.pc.create', { pcId: 'pc-1', iceServers: [] });
    await relay.handle('media.pc.create', { pcId: 'pc-2', iceServers: [] });
    await relay.handle('media.pc.create', { pcId: 'pc-3', iceServers: [] });
    backend.results.set('media.pc.setLocalDescription', { snapshot: snap({ localDescription: offer, signalingState: 'have-local-offer' }) });
    await relay.handle('media.pc.setLocalDescription', { pcId: 'pc-1', description: offer });
    backend.results.set('media.pc.close', {});
    await relay.handle('media.pc.close', { pcId: 'pc-2' });
    hooks.event({ pcId: 'pc-3', type: 'closed', snapshot: snap({ signalingState: 'closed' }) });
    pushed.length = 0;
    hooks.lost('the media document closed');
    expect(pushed).toEqual([{ pcId: 'pc-1', type: 'closed', snapshot: expect.objectContaining({ signalingState: 'closed', iceConnectionState: 'closed', connectionState: 'closed', localDescription: offer }) }]);
    expect(relay.livePcIds).toEqual([]);
  });

  it('when the engine is lost, tells the host its announced spares are withdrawn; one a call took, or one withdrawn, is not', async () => {
    const { relay, hooks, pushed } = setup();
    const ready = snap({ signalingState: 'have-local-offer', iceGatheringState: 'complete', localDescription: { type: 'offer', sdp: 'v=0' } });
    for (const id of ['spare-1', 'spare-2', 'spare-3']) hooks.event({ pcId: id, type: 'prepared', iceServers: [], snapshot: ready });
    await relay.handle('media.pc.create', { pcId: 'pc-1', iceServers: [], spare: 'spare-1' });
    hooks.event({ pcId: 'spare-2', type: 'withdrawn', snapshot: ready });
    expect(pushed.map((e) => `${e.type} ${e.pcId}`)).toEqual(['prepared spare-1', 'prepared spare-2', 'prepared spare-3', 'withdrawn spare-2']);
    pushed.length = 0;
    hooks.lost('the media document closed');
    expect(pushed.map((e) => `${e.type} ${e.pcId}`)).toEqual(['closed pc-1', 'withdrawn spare-3']);
  });

  it('warm asks the engine to prepare the next call, only while a host is connected', async () => {
    const { relay, calls } = setup();
    relay.warm();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual([]);
    relay.connectionChanged(true);
    relay.warm();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual([['engine.warm', {}]]);
  });
});
