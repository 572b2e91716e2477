import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, extensionEvents, extensionMethods, ProtocolError } from '../../shared/protocol';
import { MediaEngine } from './engine';
import { deferred, FakeStream, FakeTrack, fakeDeps, type FakeAudio, type FakePeerConnection } from './fake-webrtc';

const offer = { type: 'offer' as const, sdp: 'v=0\nm=audio remote-offer' };

async function engineWithPc(pcId = 'pc-1') {
  const f = fakeDeps();
  const engine = new MediaEngine(f.deps);
  await engine.create({ pcId, iceServers: [{ urls: 'stun:stun.example' }] });
  return { ...f, engine, pc: f.pcs[0] as FakePeerConnection };
}

describe('MediaEngine', () => {
  it('creates a balanced-bundle, rtcp-mux peer connection with the given ICE servers', async () => {
    const { pc } = await engineWithPc();
    expect(pc.config).toEqual({ iceServers: [{ urls: 'stun:stun.example' }], bundlePolicy: 'balanced', rtcpMuxPolicy: 'require' });
  });

  it('answers every method with a snapshot the protocol accepts', async () => {
    const { engine } = await engineWithPc();
    const results: [keyof typeof extensionMethods, unknown][] = [];
    results.push(['media.pc.addMicrophone', await engine.addMicrophone({ pcId: 'pc-1' })]);
    const o = await engine.createOffer({ pcId: 'pc-1' });
    results.push(['media.pc.createOffer', o]);
    results.push(['media.pc.setLocalDescription', await engine.setLocalDescription({ pcId: 'pc-1', description: o.description })]);
    results.push(['media.pc.setRemoteDescription', await engine.setRemoteDescription({ pcId: 'pc-1', description: { type: 'answer', sdp: 'v=0' } })]);
    results.push(['media.pc.setMicEnabled', await engine.setMicEnabled({ pcId: 'pc-1', enabled: false })]);
    results.push(['media.pc.insertDtmf', await engine.insertDtmf({ pcId: 'pc-1', tones: '12#', duration: 100, gap: 70 })]);
    results.push(['media.ring', await engine.ring({ on: true })]);
    results.push(['media.pc.close', await engine.close({ pcId: 'pc-1' })]);
    for (const [method, result] of results) {
      const parsed = extensionMethods[method].result.safeParse(result);
      expect(parsed.success, `${method}: ${JSON.stringify(result)}`).toBe(true);
    }
    const snapshot = (results[2]![1] as { snapshot: object }).snapshot;
    expect(Object.keys(snapshot).sort()).toEqual(
      ['connectionState', 'iceConnectionState', 'iceGatheringState', 'localDescription', 'remoteDescription', 'seq', 'signalingState', 'toneBuffer'].sort(),
    );
    // Numbered in the order they were taken, so the host can tell a late reply from a newer event.
    const seqs = results.flatMap(([, r]) => ((r as { snapshot?: { seq: number } }).snapshot ? [(r as { snapshot: { seq: number } }).snapshot.seq] : []));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(snapshot).toMatchObject({ signalingState: 'have-local-offer', iceGatheringState: 'gathering', localDescription: o.description });
  });

  it('runs one peer connection’s requests strictly in order: an offer waits for the microphone', async () => {
    const gum = deferred<MediaStream>();
    const f = fakeDeps({ getUserMedia: () => gum.promise });
    const engine = new MediaEngine(f.deps);
    await engine.create({ pcId: 'pc-1', iceServers: [] });
    const added = engine.addMicrophone({ pcId: 'pc-1' });
    const offered = engine.createOffer({ pcId: 'pc-1' });
    await new Promise((r) => setTimeout(r, 10));
    expect(f.log).not.toContain('createOffer');
    const mic = new FakeTrack();
    gum.resolve(new FakeStream([mic]) as unknown as MediaStream);
    await added;
    const { description } = await offered;
    expect(f.log.indexOf(f.log.find((l) => l.startsWith('addTrack'))!)).toBeLessThan(f.log.indexOf('createOffer'));
    // The offer carries the microphone's clone, not a recvonly placeholder.
    expect(description.sdp).toMatch(/m=audio sendrecv track=track-\d+/);
    expect(description.sdp).not.toMatch(/recvonly/);
  });

  it('a failed request does not block the ones behind it', async () => {
    const { engine, pc } = await engineWithPc();
    pc.failNext = { method: 'setRemoteDescription', name: 'InvalidAccessError' };
    const failed = engine.setRemoteDescription({ pcId: 'pc-1', description: offer });
    const next = engine.createAnswer({ pcId: 'pc-1' });
    await expect(failed).rejects.toMatchObject({ code: ErrorCode.INTERNAL, data: { name: 'InvalidAccessError' } });
    await expect(next).resolves.toHaveProperty('description.type', 'answer');
  });

  it('refuses an unknown pcId with a ProtocolError naming it, for every method', async () => {
    const { engine } = await engineWithPc();
    const calls: Promise<unknown>[] = [
      engine.createOffer({ pcId: 'pc-9' }),
      engine.createAnswer({ pcId: 'pc-9' }),
      engine.setLocalDescription({ pcId: 'pc-9', description: offer }),
      engine.setRemoteDescription({ pcId: 'pc-9', description: offer }),
      engine.addMicrophone({ pcId: 'pc-9' }),
      engine.setMicEnabled({ pcId: 'pc-9', enabled: true }),
      engine.insertDtmf({ pcId: 'pc-9', tones: '1', duration: 100, gap: 70 }),
      engine.close({ pcId: 'pc-9' }),
    ];
    for (const call of calls) {
      const err = await call.then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code).toBe(ErrorCode.INVALID_PARAMS);
      expect((err as ProtocolError).message).toMatch(/no peer connection pc-9/);
    }
  });

  it('refuses a second create with the same pcId', async () => {
    const { engine } = await engineWithPc();
    await expect(engine.create({ pcId: 'pc-1', iceServers: [] })).rejects.toMatchObject({ code: ErrorCode.INVALID_PARAMS });
  });

  it('shares one getUserMedia between calls, with a clone each: mute is per call', async () => {
    const f = fakeDeps();
    const engine = new MediaEngine(f.deps);
    await engine.create({ pcId: 'pc-1', iceServers: [] });
    await engine.create({ pcId: 'pc-2', iceServers: [] });
    await Promise.all([engine.addMicrophone({ pcId: 'pc-1' }), engine.addMicrophone({ pcId: 'pc-2' })]);
    expect(f.deps.getUserMedia).toHaveBeenCalledTimes(1);
    expect(JSON.parse(f.log[f.log.findIndex((l) => l.startsWith('getUserMedia'))]!.slice(13))).toEqual({
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    });
    const [a, b] = f.pcs.map((pc) => pc.getSenders()[0]!.track!) as [FakeTrack, FakeTrack];
    expect(a).not.toBe(b);
    expect(a.source).toBe(f.mics[0]);
    expect(b.source).toBe(f.mics[0]);
    await engine.setMicEnabled({ pcId: 'pc-1', enabled: false });
    expect([a.enabled, b.enabled]).toEqual([false, true]);

    await engine.close({ pcId: 'pc-1' });
    expect(a.readyState).toBe('ended');
    expect(f.mics[0]!.readyState).toBe('live');
    await engine.close({ pcId: 'pc-2' });
    // The last call is over: the source goes too, so the browser's microphone indicator turns off.
    expect(f.mics[0]!.readyState).toBe('ended');
  });

  it('keeps a mute that arrives before the microphone', async () => {
    const { engine, pc } = await engineWithPc();
    await engine.setMicEnabled({ pcId: 'pc-1', enabled: false });
    await engine.addMicrophone({ pcId: 'pc-1' });
    expect(pc.getSenders()[0]!.track!.enabled).toBe(false);
  });

  it('offers a recvonly audio line when there is no microphone', async () => {
    const { engine } = await engineWithPc();
    const { description } = await engine.createOffer({ pcId: 'pc-1' });
    expect(description.sdp).toContain('m=audio recvonly');
  });

  it('reports peer-connection events with a fresh snapshot, including the end of candidates', async () => {
    const { engine, pc, events } = await engineWithPc();
    await engine.setLocalDescription({ pcId: 'pc-1', description: offer });
    pc.fire('icecandidate', { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
    pc.iceGatheringState = 'complete';
    pc.fire('icegatheringstatechange');
    pc.fire('icecandidate', { candidate: null });
    pc.iceConnectionState = 'connected';
    pc.fire('iceconnectionstatechange');
    pc.connectionState = 'connected';
    pc.fire('connectionstatechange');
    pc.fire('signalingstatechange');
    expect(events.map((e) => e.type)).toEqual([
      'icecandidate',
      'icegatheringstatechange',
      'icecandidate',
      'iceconnectionstatechange',
      'connectionstatechange',
      'signalingstatechange',
    ]);
    expect(events[0]!.candidate).toEqual({ candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 });
    expect(events[2]!.candidate).toBeNull();
    expect(events[1]!.snapshot.iceGatheringState).toBe('complete');
    expect(events[3]!.snapshot.iceConnectionState).toBe('connected');
    for (const e of events) expect(extensionEvents['media.pc'].data.safeParse(e).success).toBe(true);
    expect(events[1]).not.toHaveProperty('candidate');
  });

  it('plays remote audio from its own stream of event.track, on the speaker device', async () => {
    const f = fakeDeps();
    const tap = { attach: vi.fn(), detach: vi.fn() };
    const engine = new MediaEngine({ ...f.deps, tap });
    await engine.setDevices({ micId: '', speakerId: 'spk-2', ringerId: '' });
    await engine.create({ pcId: 'pc-1', iceServers: [] });
    const track = new FakeTrack('audio', 'remote');
    const theirStream = new FakeStream([]);
    f.pcs[0]!.fire('track', { track, streams: [theirStream] });
    await new Promise((r) => setTimeout(r, 0));
    const audio = f.audios[0] as FakeAudio;
    expect(audio.srcObject).not.toBe(theirStream);
    expect((audio.srcObject as FakeStream).tracks).toEqual([track]);
    expect(audio.sinkId).toBe('spk-2');
    expect(audio.paused).toBe(false);
    expect(tap.attach).toHaveBeenCalledWith('pc-1', audio.srcObject);
    // After a hold the same track comes back: playback resumes, the stream stays.
    const before = audio.srcObject;
    audio.pause();
    f.pcs[0]!.fire('track', { track, streams: [] });
    await new Promise((r) => setTimeout(r, 0));
    expect(audio.srcObject).toBe(before);
    expect(audio.paused).toBe(false);
    await engine.close({ pcId: 'pc-1' });
    expect(audio.paused).toBe(true);
    expect(audio.srcObject).toBeNull();
    expect(tap.detach).toHaveBeenCalledWith('pc-1');
  });

  it('inserts DTMF on the audio sender and reports the tone buffer', async () => {
    const { engine, pc } = await engineWithPc();
    await engine.addMicrophone({ pcId: 'pc-1' });
    const { snapshot } = await engine.insertDtmf({ pcId: 'pc-1', tones: '34*', duration: 100, gap: 500 });
    expect(snapshot.toneBuffer).toBe('34*');
    expect((pc.getSenders()[0]!.dtmf as unknown as { calls: unknown[] }).calls).toEqual([{ tones: '34*', duration: 100, gap: 500 }]);
  });

  it('queues DTMF after the tones not played yet (insertDTMF alone would drop them)', async () => {
    const { engine, pc } = await engineWithPc();
    await engine.addMicrophone({ pcId: 'pc-1' });
    const dtmf = pc.getSenders()[0]!.dtmf as unknown as { toneBuffer: string; calls: { tones: string }[] };
    await engine.insertDtmf({ pcId: 'pc-1', tones: '1', duration: 240, gap: 70 });
    // The browser started '1' (it left the buffer) and '5' is waiting for its turn.
    dtmf.toneBuffer = '5';
    const { snapshot } = await engine.insertDtmf({ pcId: 'pc-1', tones: '#', duration: 240, gap: 70 });
    expect(dtmf.calls.map((c) => c.tones)).toEqual(['1', '5#']);
    expect(snapshot.toneBuffer).toBe('5#');
  });

  it('closeAll closes everything at once, fails queued requests, and forgets the pcIds', async () => {
    const gum = deferred<MediaStream>();
    const f = fakeDeps({ getUserMedia: () => gum.promise });
    const engine = new MediaEngine(f.deps);
    await engine.create({ pcId: 'pc-1', iceServers: [] });
    await engine.create({ pcId: 'pc-2', iceServers: [] });
    await engine.ring({ on: true });
    const pendingMic = engine.addMicrophone({ pcId: 'pc-1' });
    const queued = engine.createOffer({ pcId: 'pc-1' });
    await new Promise((r) => setTimeout(r, 1)); // getUserMedia is now pending
    expect(engine.closeAll()).toBe(2);
    expect(f.pcs.map((pc) => pc.signalingState)).toEqual(['closed', 'closed']);
    expect(f.events.filter((e) => e.type === 'closed').map((e) => e.pcId)).toEqual(['pc-1', 'pc-2']);
    expect(engine.state().ringing).toBe(false);
    const mic = new FakeTrack();
    gum.resolve(new FakeStream([mic]) as unknown as MediaStream);
    await expect(pendingMic).rejects.toMatchObject({ message: expect.stringMatching(/pc-1 was closed/) });
    await expect(queued).rejects.toMatchObject({ message: expect.stringMatching(/pc-1 was closed/) });
    // The clone and the source were let go even though getUserMedia finished after the close.
    expect(mic.readyState).toBe('ended');
    await expect(engine.createOffer({ pcId: 'pc-2' })).rejects.toMatchObject({ code: ErrorCode.INVALID_PARAMS });
    expect(engine.state().pcs).toEqual([]);
  });

  it('retain keeps the peer connections the attaching host owns and closes the orphans', async () => {
    const f = fakeDeps();
    const engine = new MediaEngine(f.deps);
    for (const pcId of ['pc-1', 'pc-2', 'pc-3']) await engine.create({ pcId, iceServers: [] });
    expect(engine.retain({ pcIds: ['pc-2', 'pc-9'] })).toEqual({ closed: 2, kept: 1 });
    expect(f.pcs.map((pc) => pc.signalingState)).toEqual(['closed', 'stable', 'closed']);
    expect(f.events.filter((e) => e.type === 'closed').map((e) => e.pcId)).toEqual(['pc-1', 'pc-3']);
    expect(engine.liveCount).toBe(1);
    await expect(engine.createOffer({ pcId: 'pc-2' })).resolves.toBeTruthy();
    expect(engine.retain({ pcIds: [] })).toEqual({ closed: 1, kept: 0 });
  });

  it('closeAll reports every PC closed even where the browser throws from a closed sender (Firefox)', async () => {
    const f = fakeDeps();
    const engine = new MediaEngine(f.deps);
    for (const pcId of ['pc-1', 'pc-2']) {
      await engine.create({ pcId, iceServers: [] });
      await engine.addMicrophone({ pcId });
    }
    expect(engine.closeAll()).toBe(2);
    const closed = f.events.filter((e) => e.type === 'closed');
    expect(closed.map((e) => e.pcId)).toEqual(['pc-1', 'pc-2']);
    expect(closed[0]!.snapshot).toMatchObject({ signalingState: 'closed', toneBuffer: '', localDescription: null });
  });

  it('rings on the ringer device until told to stop', async () => {
    const f = fakeDeps();
    const engine = new MediaEngine(f.deps);
    await engine.setDevices({ micId: '', speakerId: '', ringerId: 'ring-1' });
    await engine.ring({ on: true });
    const ringer = f.audios[0] as FakeAudio;
    expect(ringer.src).toBe('blob:ringtone');
    expect(ringer.loop).toBe(true);
    expect(ringer.sinkId).toBe('ring-1');
    expect(engine.state().ringing).toBe(true);
    await engine.ring({ on: false });
    expect(ringer.paused).toBe(true);
    expect(engine.state().ringing).toBe(false);
  });

  it('applies new devices to live calls: speaker sink, microphone replaced on the sender', async () => {
    const { engine, pc, audios, mics } = await engineWithPc();
    await engine.addMicrophone({ pcId: 'pc-1' });
    await engine.setMicEnabled({ pcId: 'pc-1', enabled: false });
    const sender = pc.getSenders()[0]!;
    const first = sender.track as FakeTrack;
    await engine.setDevices({ micId: 'mic-2', speakerId: 'spk-3', ringerId: '' });
    expect((audios[0] as FakeAudio).sinkId).toBe('spk-3');
    const second = sender.track as FakeTrack;
    expect(second).not.toBe(first);
    expect(second.source).toBe(mics[1]);
    expect(second.enabled).toBe(false);
    expect(first.readyState).toBe('ended');
    expect(mics[0]!.readyState).toBe('ended');
  });

  it('a speaker that is gone falls back to the default one', async () => {
    const { engine, audios } = await engineWithPc();
    await engine.setDevices({ micId: '', speakerId: 'gone', ringerId: '' });
    expect((audios[0] as FakeAudio).sinkId).toBe('');
  });
});

describe('MediaEngine spares (a peer connection prepared for the next outgoing call)', () => {
  const flush = () => new Promise((r) => setTimeout(r, 0));

  /** warm() (the popup opened), the browser completes gathering; then a press on Call opens the microphone: the spare is announced. */
  async function withSpare() {
    const f = fakeDeps();
    const engine = new MediaEngine(f.deps);
    engine.warm();
    await flush();
    const pc = f.pcs[0] as FakePeerConnection;
    expect(f.events).toEqual([]);
    pc.iceGatheringState = 'complete';
    pc.fire('icegatheringstatechange');
    await flush();
    // Made without the microphone, and not offered while no microphone ever opened here.
    expect(f.deps.getUserMedia).not.toHaveBeenCalled();
    expect(engine.state()).toMatchObject({ spare: 'spare-1', pcs: [], micActive: false, micOpened: 0 });
    expect(engine.state().spareAnnounced).toBeUndefined();
    expect(f.events).toEqual([]);
    engine.prepare();
    await flush();
    return { ...f, engine, pc };
  }

  it('makes an offer with an audio transceiver and no microphone, and announces it once gathering completed and a microphone opened', async () => {
    const { engine, log, events, pc } = await withSpare();
    expect(log).toEqual(['addTransceiver sendrecv', 'createOffer', 'setLocalDescription', 'getUserMedia {"echoCancellation":true,"noiseSuppression":true,"autoGainControl":true}']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ pcId: 'spare-1', type: 'prepared', iceServers: [], snapshot: { signalingState: 'have-local-offer', iceGatheringState: 'complete', localDescription: pc.localDescription } });
    expect(extensionEvents['media.pc'].data.safeParse(events[0]).success).toBe(true);
    expect(engine.state()).toMatchObject({ spare: 'spare-1', spareAnnounced: 'spare-1', pcs: [] });
    // Not a call's: the worker may let the document go.
    expect(engine.liveCount).toBe(0);
    engine.closeAll();
  });

  it('a call takes it under its pcId: no new peer connection, the microphone takes the prepared sender, events carry the pcId', async () => {
    const { engine, log, events, pcs, pc } = await withSpare();
    const created = await engine.create({ pcId: 'pc-1', iceServers: [], spare: 'spare-1' });
    expect(pcs).toHaveLength(1);
    expect(created.snapshot).toMatchObject({ signalingState: 'have-local-offer', localDescription: pc.localDescription });
    expect(created.snapshot.seq).toBeGreaterThan(events[0]!.snapshot.seq!);
    await engine.addMicrophone({ pcId: 'pc-1' });
    expect(log.some((l) => l.startsWith('addTrack'))).toBe(false);
    expect(pc.transceivers).toHaveLength(1);
    expect(pc.transceivers[0]!.sender.track).not.toBeNull();
    // DTMF goes on that sender.
    await engine.insertDtmf({ pcId: 'pc-1', tones: '1', duration: 100, gap: 70 });
    pc.fire('iceconnectionstatechange');
    expect(events.at(-1)).toMatchObject({ pcId: 'pc-1', type: 'iceconnectionstatechange' });
    expect(engine.state().spare).toBeUndefined();
    engine.closeAll();
  });

  it('is taken once: a second claim, or one for a spare never made, is refused', async () => {
    const { engine } = await withSpare();
    await engine.create({ pcId: 'pc-1', iceServers: [], spare: 'spare-1' });
    await expect(engine.create({ pcId: 'pc-2', iceServers: [], spare: 'spare-1' })).rejects.toMatchObject({ code: ErrorCode.INTERNAL });
    await expect(engine.create({ pcId: 'pc-3', iceServers: [], spare: 'spare-7' })).rejects.toMatchObject({ code: ErrorCode.INTERNAL });
    engine.closeAll();
  });

  it('says nothing of an unclaimed spare’s own events', async () => {
    const { engine, events, pc } = await withSpare();
    pc.fire('iceconnectionstatechange');
    pc.fire('icecandidate', { candidate: null });
    expect(events.map((e) => e.type)).toEqual(['prepared']);
    engine.closeAll();
  });

  it('closeAll withdraws and closes it; retain announces it again to a host that attached', async () => {
    const { engine, events, log } = await withSpare();
    engine.retain({ pcIds: [] });
    expect(events.map((e) => `${e.type} ${e.pcId}`)).toEqual(['prepared spare-1', 'prepared spare-1']);
    engine.closeAll();
    expect(events.at(-1)).toMatchObject({ type: 'withdrawn', pcId: 'spare-1' });
    expect(log.at(-1)).toBe('close');
  });

  it('a call with no spare (a CLI call, a voispeed: link) ends: the next call’s spare is made, and announced since that call opened the microphone', async () => {
    const f = fakeDeps();
    const engine = new MediaEngine(f.deps);
    await engine.create({ pcId: 'pc-1', iceServers: [] });
    await engine.addMicrophone({ pcId: 'pc-1' });
    expect(engine.state().spare).toBeUndefined();
    await engine.close({ pcId: 'pc-1' });
    await flush();
    const spare = f.pcs[1] as FakePeerConnection;
    expect(f.log).toContain('addTransceiver sendrecv');
    spare.iceGatheringState = 'complete';
    spare.fire('icegatheringstatechange');
    await flush();
    expect(f.events.at(-1)).toMatchObject({ pcId: 'spare-1', type: 'prepared' });
    expect(engine.state()).toMatchObject({ spare: 'spare-1', spareAnnounced: 'spare-1' });
    engine.closeAll();
  });

  it('prepare (a press on Call) makes one once the microphone is open', async () => {
    const gum = deferred<MediaStream>();
    const f = fakeDeps({ getUserMedia: () => gum.promise });
    const engine = new MediaEngine(f.deps);
    engine.prepare();
    await flush();
    expect(f.log).not.toContain('addTransceiver sendrecv');
    gum.resolve(new FakeStream([new FakeTrack()]) as unknown as MediaStream);
    await flush();
    expect(f.log).toContain('addTransceiver sendrecv');
    engine.closeAll();
  });

  it('an offer whose candidates are mDNS names (a page not capturing, Firefox) is not announced, and is closed', async () => {
    const f = fakeDeps();
    const engine = new MediaEngine(f.deps);
    engine.warm();
    await flush();
    const pc = f.pcs[0] as FakePeerConnection;
    const local = pc.localDescription!;
    Object.assign(local, { sdp: `${local.sdp}\r\na=candidate:0 1 UDP 2122252543 2b1c9a4e-2e7f-4d0a-9d3e-1f0a8e6b7c21.local 50123 typ host\r\n` });
    pc.iceGatheringState = 'complete';
    pc.fire('icegatheringstatechange');
    await flush();
    expect(f.events).toEqual([]);
    expect(pc.signalingState).toBe('closed');
    expect(engine.state().spare).toBeUndefined();
    engine.closeAll();
  });
});
