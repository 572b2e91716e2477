/**
 * Just enough of RTCPeerConnection, MediaStreamTrack and <audio> for the engine's unit tests,
 * under Node. Every operation is written to `log`, so tests can check what ran in which order.
 * Not bundled: only *.test.ts files import it.
 */
import { vi } from 'vitest';
import type { MediaEngineDeps } from './engine';
import type { PcEventData } from './snapshot';

export class FakeTrack extends EventTarget {
  static next = 1;
  readonly id = `track-${FakeTrack.next++}`;
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  constructor(
    readonly kind: 'audio' | 'video' = 'audio',
    readonly label = 'fake mic',
    readonly source?: FakeTrack,
  ) {
    super();
  }
  clone(): FakeTrack {
    return new FakeTrack(this.kind, this.label, this);
  }
  stop(): void {
    this.readyState = 'ended';
  }
}

export class FakeStream {
  constructor(readonly tracks: FakeTrack[]) {}
  getTracks() {
    return this.tracks;
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
}

class FakeDtmf {
  toneBuffer = '';
  /** Like the real one: the new tones replace the buffer. */
  insertDTMF(tones: string, duration: number, gap: number) {
    this.toneBuffer = tones;
    this.calls.push({ tones, duration, gap });
  }
  readonly calls: { tones: string; duration: number; gap: number }[] = [];
}

export class FakeSender {
  private readonly dtmfSender = new FakeDtmf();
  /** Like Firefox: reading it on a closed peer connection throws. */
  closed = false;
  get dtmf() {
    if (this.closed) throw Object.assign(new Error('Peer connection is closed'), { name: 'InvalidStateError' });
    return this.dtmfSender;
  }
  constructor(public track: FakeTrack | null) {}
  async replaceTrack(track: FakeTrack | null) {
    this.track = track;
  }
}

class FakeTransceiver {
  readonly receiver = { track: new FakeTrack('audio', 'remote') };
  constructor(
    readonly sender: FakeSender,
    public direction: string,
  ) {}
}

type Desc = { type: RTCSdpType; sdp: string };

export class FakePeerConnection extends EventTarget {
  signalingState: RTCSignalingState = 'stable';
  iceGatheringState: RTCIceGatheringState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  private local: Desc | null = null;
  private remote: Desc | null = null;
  /** Like Firefox: the descriptions throw once the peer connection is closed. */
  get localDescription() {
    if (this.signalingState === 'closed') throw Object.assign(new Error('Peer connection is closed'), { name: 'InvalidStateError' });
    return this.local;
  }
  get remoteDescription() {
    if (this.signalingState === 'closed') throw Object.assign(new Error('Peer connection is closed'), { name: 'InvalidStateError' });
    return this.remote;
  }
  readonly transceivers: FakeTransceiver[] = [];
  /** Makes the next call to a method fail with a DOMException-like error. */
  failNext: { method: string; name: string } | undefined;

  constructor(
    readonly config: RTCConfiguration,
    readonly log: string[],
  ) {
    super();
  }

  private check(method: string) {
    this.log.push(`${method}`);
    if (this.failNext?.method === method) {
      const { name } = this.failNext;
      this.failNext = undefined;
      throw Object.assign(new Error(`${method} refused`), { name });
    }
  }

  getTransceivers() {
    return this.transceivers;
  }
  getSenders() {
    return this.transceivers.map((t) => t.sender);
  }
  addTransceiver(_kind: string, init: { direction: string }) {
    this.log.push(`addTransceiver ${init.direction}`);
    const t = new FakeTransceiver(new FakeSender(null), init.direction);
    this.transceivers.push(t);
    return t;
  }
  addTrack(track: FakeTrack) {
    this.log.push(`addTrack ${track.id}`);
    const free = this.transceivers.find((t) => !t.sender.track);
    if (free) {
      free.sender.track = track;
      free.direction = 'sendrecv';
      return free.sender;
    }
    const t = new FakeTransceiver(new FakeSender(track), 'sendrecv');
    this.transceivers.push(t);
    return t.sender;
  }
  async createOffer() {
    this.check('createOffer');
    const lines = this.transceivers.map((t) => `m=audio ${t.direction}${t.sender.track ? ` track=${t.sender.track.id}` : ''}`);
    return { type: 'offer' as const, sdp: ['v=0', ...lines].join('\n') };
  }
  async createAnswer() {
    this.check('createAnswer');
    return { type: 'answer' as const, sdp: 'v=0\nm=audio answer' };
  }
  async setLocalDescription(d: Desc) {
    this.check('setLocalDescription');
    this.local = { ...d };
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
    this.iceGatheringState = 'gathering';
  }
  async setRemoteDescription(d: Desc) {
    this.check('setRemoteDescription');
    this.remote = { ...d };
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
    if (!this.transceivers.length) this.transceivers.push(new FakeTransceiver(new FakeSender(null), 'recvonly'));
  }
  close() {
    this.log.push('close');
    for (const t of this.transceivers) t.sender.closed = true;
    this.signalingState = 'closed';
    this.iceConnectionState = 'closed';
    this.connectionState = 'closed';
  }
  /** Simulates the browser firing an event. */
  fire(type: string, extra: Record<string, unknown> = {}) {
    this.dispatchEvent(Object.assign(new Event(type), extra));
  }
}

export class FakeAudio extends EventTarget {
  paused = true;
  srcObject: unknown = null;
  src = '';
  sinkId = '';
  autoplay = false;
  loop = false;
  currentTime = 0;
  readonly play = vi.fn(async () => {
    this.paused = false;
  });
  pause() {
    this.paused = true;
  }
  readonly setSinkId = vi.fn(async (id: string) => {
    if (id === 'gone') throw Object.assign(new Error('not found'), { name: 'NotFoundError' });
    this.sinkId = id;
  });
}

/** A deferred getUserMedia, so a test can hold it pending. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function fakeDeps(overrides: Partial<MediaEngineDeps> = {}) {
  const log: string[] = [];
  const pcs: FakePeerConnection[] = [];
  const audios: FakeAudio[] = [];
  const events: PcEventData[] = [];
  const mics: FakeTrack[] = [];
  const deps: MediaEngineDeps = {
    createPeerConnection: (config) => {
      const pc = new FakePeerConnection(config, log);
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    getUserMedia: vi.fn(async (c: MediaStreamConstraints) => {
      log.push(`getUserMedia ${JSON.stringify(c.audio)}`);
      const track = new FakeTrack();
      mics.push(track);
      return new FakeStream([track]) as unknown as MediaStream;
    }),
    createMediaStream: (tracks) => new FakeStream(tracks as unknown as FakeTrack[]) as unknown as MediaStream,
    createAudioElement: () => {
      const a = new FakeAudio();
      audios.push(a);
      return a as unknown as HTMLAudioElement;
    },
    createObjectUrl: () => 'blob:ringtone',
    onEvent: (data) => void events.push(data),
    log: () => undefined,
    ...overrides,
  };
  return { deps, log, pcs, audios, events, mics };
}
