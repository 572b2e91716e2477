import type * as z from 'zod';
import { ErrorCode, ProtocolError, type MediaMethodName, type mediaMethods } from '../../shared/protocol';
import { defaultDevicePrefs, type AudioDevicePrefs } from './device-prefs';
import { Microphone } from './microphone';
import { RemoteAudio, type RemoteAudioTap } from './remote-audio';
import { Ringer } from './ringtone';
import { SerialQueue } from './serial-queue';
import { ConferenceMixer } from './conference-mixer';
import { takeSnapshot, type PcEventData, type PcEventType } from './snapshot';
import { DtlsCertificate } from './dtls-certificate';
import { asProtocolError, closedError, unknownPc } from './engine-errors';
import type { Spares } from './spares';
import { engineSpares } from './spare-offer';
import { attachMicrophone, audioSender, inboundAudioOf, watchPc, type PcEntry } from './pc-entry';

export type MediaParams<K extends MediaMethodName> = z.output<(typeof mediaMethods)[K]['params']>;
export type MediaResult<K extends MediaMethodName> = z.output<(typeof mediaMethods)[K]['result']>;

/** Everything the engine takes from the browser, so unit tests can hand it fakes. */
export interface MediaEngineDeps {
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  /** A DTLS certificate for the peer connections; without it each makes its own. */
  generateCertificate?(): Promise<RTCCertificate>;
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  createMediaStream(tracks: MediaStreamTrack[]): MediaStream;
  createAudioElement(): HTMLAudioElement;
  createObjectUrl(blob: Blob): string;
  /** Peer-connection events for the host (`media.pc` pushes). */
  onEvent(data: PcEventData): void;
  log(message: string, err?: unknown): void;
  /** Test builds listen to the remote audio here; production passes nothing. */
  tap?: RemoteAudioTap;
  /** For the conference mix; without it, no conference. */
  createAudioContext?(): AudioContext;
  /** Test builds: each step of a peer connection as it happens (the latency benches' per-stage trace). */
  trace?(pcId: string, stage: string): void;
}

/** No one answers faster than this after the call shows: the microphone opens then. */
const RING_MIC_DELAY_MS = 150;

/** How long the microphone stays open for a call about to be made (`prepare`: a press on Call) that does not come. */
export const PREPARED_MS = 3_000;

/**
 * The browser half of the media bridge (DESIGN section 2): real RTCPeerConnections, keyed by the
 * host's pcId, driven one request at a time per peer connection. Every reply and every event
 * carries a snapshot taken right before it leaves, so the host's mirror is never behind.
 */
export class MediaEngine {
  private readonly pcs = new Map<string, PcEntry>();
  private readonly mic: Microphone;
  private readonly ringer: Ringer;
  private devices: AudioDevicePrefs = defaultDevicePrefs;
  private mixer: ConferenceMixer | undefined;
  private readonly certificate: DtlsCertificate;
  private ringHold: ReturnType<typeof setTimeout> | undefined;
  private readonly spares: Spares<PcEntry>;

  constructor(private readonly deps: MediaEngineDeps) {
    this.mic = new Microphone({ getUserMedia: (c) => deps.getUserMedia(c), log: deps.log });
    this.ringer = new Ringer({ createAudioElement: deps.createAudioElement, createObjectUrl: deps.createObjectUrl, log: deps.log });
    this.certificate = new DtlsCertificate(deps.generateCertificate, deps.log);
    this.spares = engineSpares({
      newEntry: (id) => this.newEntry(id, [], undefined),
      shutdown: (e) => this.shutdown(e),
      snapshot: (e) => this.snapshot(e),
      onEvent: deps.onEvent,
      micOpened: () => this.mic.opened > 0,
      log: deps.log,
      ...(deps.trace ? { trace: deps.trace } : {}),
    });
  }

  create(p: MediaParams<'media.pc.create'>): Promise<MediaResult<'media.pc.create'>> {
    if (this.pcs.has(p.pcId)) return Promise.reject(new ProtocolError(ErrorCode.INVALID_PARAMS, `peer connection ${p.pcId} already exists`));
    let entry: PcEntry | undefined;
    if (p.spare !== undefined) {
      // The spare the host was told of, under the call's pcId. The host sent its offer already,
      // so there is no other peer connection this call could use instead.
      entry = this.spares.claim(p.spare);
      if (!entry || entry.closed) return Promise.reject(new ProtocolError(ErrorCode.INTERNAL, `media.pc.create: the prepared peer connection ${p.spare} is gone`));
      Object.assign(entry, { pcId: p.pcId, callId: p.callId, spare: false });
      // The user may have picked another speaker since it was made.
      void entry.audio.setSink(this.devices.speakerId);
    } else {
      try {
        entry = this.newEntry(p.pcId, p.iceServers, p.callId);
      } catch (err) {
        return Promise.reject(asProtocolError(err, 'media.pc.create', p.pcId));
      }
    }
    const made = entry;
    this.deps.trace?.(p.pcId, p.spare ? `create (prepared ${p.spare})` : this.certificate.ready() ? 'create' : 'create (no certificate ready)');
    this.pcs.set(p.pcId, made);
    return made.queue.run(() => ({ snapshot: this.snapshot(made) }));
  }

  private newEntry(pcId: string, iceServers: RTCIceServer[], callId: string | undefined): PcEntry {
    // rtcp-mux: one port for RTP and RTCP, as rtpengine's WebRTC profile expects. Not max-bundle: PBX
    // answers (rtpengine's included) often lack a BUNDLE group, which max-bundle refuses.
    const certificate = this.certificate.ready();
    const pc = this.deps.createPeerConnection({ iceServers, bundlePolicy: 'balanced', rtcpMuxPolicy: 'require', ...(certificate ? { certificates: [certificate] } : {}) });
    const entry: PcEntry = {
      pcId,
      callId,
      spare: false,
      prepared: false,
      pc,
      queue: new SerialQueue(),
      audio: new RemoteAudio(this.deps.createAudioElement(), this.deps.createMediaStream, this.deps.log),
      sender: undefined,
      mic: undefined,
      micEnabled: true,
      closed: false,
      seq: 0,
    };
    void entry.audio.setSink(this.devices.speakerId);
    this.listen(entry);
    return entry;
  }

  createOffer(p: MediaParams<'media.pc.createOffer'>): Promise<MediaResult<'media.pc.createOffer'>> {
    return this.op(p.pcId, 'media.pc.createOffer', async (e) => {
      // Without a microphone (permission refused) the call should still hear the other side.
      if (!e.pc.getTransceivers().some((t) => t.receiver.track.kind === 'audio')) e.pc.addTransceiver('audio', { direction: 'recvonly' });
      const d = await e.pc.createOffer(p.iceRestart ? { iceRestart: true } : undefined);
      if (p.setLocal) await e.pc.setLocalDescription(d);
      return { description: { type: d.type, sdp: d.sdp ?? '' }, snapshot: this.snapshot(e) };
    });
  }

  createAnswer(p: MediaParams<'media.pc.createAnswer'>): Promise<MediaResult<'media.pc.createAnswer'>> {
    return this.op(p.pcId, 'media.pc.createAnswer', async (e) => {
      const d = await e.pc.createAnswer();
      if (p.setLocal) await e.pc.setLocalDescription(d);
      return { description: { type: d.type, sdp: d.sdp ?? '' }, snapshot: this.snapshot(e) };
    });
  }

  setLocalDescription(p: MediaParams<'media.pc.setLocalDescription'>): Promise<MediaResult<'media.pc.setLocalDescription'>> {
    return this.op(p.pcId, 'media.pc.setLocalDescription', async (e) => {
      await e.pc.setLocalDescription(p.description);
      return { snapshot: this.snapshot(e) };
    });
  }

  setRemoteDescription(p: MediaParams<'media.pc.setRemoteDescription'>): Promise<MediaResult<'media.pc.setRemoteDescription'>> {
    return this.op(p.pcId, 'media.pc.setRemoteDescription', async (e) => {
      await e.pc.setRemoteDescription(p.description);
      if (!p.answer || p.description.type !== 'offer') return { snapshot: this.snapshot(e) };
      const d = await e.pc.createAnswer();
      await e.pc.setLocalDescription(d);
      return { snapshot: this.snapshot(e), answer: { type: d.type, sdp: d.sdp ?? '' } };
    });
  }

  addMicrophone(p: MediaParams<'media.pc.addMicrophone'>): Promise<MediaResult<'media.pc.addMicrophone'>> {
    return this.op(p.pcId, 'media.pc.addMicrophone', async (e) => {
      if (e.mic) return { snapshot: this.snapshot(e) };
      const lease = await this.mic.acquire((next) => {
        if (!this.mixer?.pcIds.includes(e.pcId)) return e.sender?.replaceTrack(next) ?? Promise.resolve();
        // In a conference the sender carries the mix: rebuild it once the lease holds the new
        // device (Lease.switchTo takes it after this resolves).
        setTimeout(() => void this.remix(), 0);
        return Promise.resolve();
      });
      if (e.closed) {
        // closeAll ran while getUserMedia was pending.
        lease.release();
        throw closedError(e.pcId, 'media.pc.addMicrophone');
      }
      lease.track.enabled = e.micEnabled;
      e.mic = lease;
      e.sender = await attachMicrophone(e, lease.track, this.deps.createMediaStream([lease.track]));
      return { snapshot: this.snapshot(e) };
    });
  }

  setMicEnabled(p: MediaParams<'media.pc.setMicEnabled'>): Promise<MediaResult<'media.pc.setMicEnabled'>> {
    return this.op(p.pcId, 'media.pc.setMicEnabled', async (e) => {
      e.micEnabled = p.enabled;
      if (e.mic) e.mic.track.enabled = p.enabled;
      return { snapshot: this.snapshot(e) };
    });
  }

  insertDtmf(p: MediaParams<'media.pc.insertDtmf'>): Promise<MediaResult<'media.pc.insertDtmf'>> {
    return this.op(p.pcId, 'media.pc.insertDtmf', async (e) => {
      const dtmf = audioSender(e)?.dtmf;
      if (!dtmf) throw new ProtocolError(ErrorCode.INTERNAL, `peer connection ${e.pcId} has no audio sender to send DTMF with`);
      // RFC 4733 events in the RTP stream. insertDTMF replaces the buffer, so the tones not yet
      // played are kept here, in the same task that reads them: no playout step can fall between
      // (the host cannot know the browser's schedule; its guess sent or lost keys under load).
      dtmf.insertDTMF(dtmf.toneBuffer + p.tones, p.duration, p.gap);
      return { snapshot: this.snapshot(e) };
    });
  }

  close(p: MediaParams<'media.pc.close'>): Promise<MediaResult<'media.pc.close'>> {
    const e = this.pcs.get(p.pcId);
    if (!e) return Promise.reject(unknownPc(p.pcId, 'media.pc.close'));
    // Gone for every later request at once; the close itself waits its turn like the rest.
    this.pcs.delete(p.pcId);
    if (e.prepared) this.spares.callEnded();
    // Who just called may call again (a script, a call back): a spare, announced now the mic opened once.
    this.spares.warm();
    return e.queue.run(() => {
      this.shutdown(e);
      return {};
    });
  }

  async ring(p: MediaParams<'media.ring'>): Promise<MediaResult<'media.ring'>> {
    // A ringing call is likely to be answered: its microphone is ready by then. Opened a moment
    // later, so it does not compete with showing the call and starting the ringtone.
    clearTimeout(this.ringHold);
    if (p.on) this.ringHold = setTimeout(() => this.mic.hold('ringing'), RING_MIC_DELAY_MS);
    else this.mic.release('ringing');
    if (p.on) await this.ringer.start();
    else this.ringer.stop();
    return {};
  }

  /**
   * The user is about to call (Call pressed, not yet released): the microphone opens now rather
   * than after the click, and closes after PREPARED_MS if no call took it.
   */
  prepare(): void {
    this.certificate.ready();
    // The offer too (spares.ts), once the microphone is open: a page that is capturing gets its
    // real addresses as candidates, not mDNS names (see makeSpare).
    // warm() also announces a spare made before the microphone ever opened (the first press).
    void this.mic.hold('prepared', PREPARED_MS).finally(() => this.spares.warm());
  }

  /** A call may come (the popup is open): its offer is prepared (spares.ts); the microphone stays shut. */
  warm(): void {
    this.certificate.ready();
    this.spares.warm();
  }

  /** The 3-way conference (conference-mixer.ts): mixes these calls, or none. */
  async conference(p: MediaParams<'media.conference'>): Promise<MediaResult<'media.conference'>> {
    const entries = p.pcIds.map((id) => this.pcs.get(id) ?? (() => { throw unknownPc(id, 'media.conference'); })());
    const createAudioContext = this.deps.createAudioContext;
    if (!createAudioContext) throw new ProtocolError(ErrorCode.INTERNAL, 'this media engine cannot mix a conference');
    this.mixer ??= new ConferenceMixer({ createAudioContext, createMediaStream: this.deps.createMediaStream, log: this.deps.log });
    const legs = entries.map((e) => ({ pcId: e.pcId, remote: () => e.audio.current, mic: () => e.mic?.track, sender: () => audioSender(e) }));
    return { mixed: await this.mixer.set(legs) };
  }

  private async remix(): Promise<void> {
    const pcIds = this.mixer?.pcIds ?? [];
    if (pcIds.length) await this.conference({ pcIds }).catch((err: unknown) => this.deps.log('conference: cannot take the new microphone', err));
  }

  /**
   * Closes every peer connection now, without waiting for queued requests (they fail): the host
   * that owned them is gone (DESIGN section 2). Also stops the ringtone and releases the mic.
   */
  closeAll(): number {
    this.spares.closeAll();
    const entries = [...this.pcs.values()];
    this.pcs.clear();
    for (const e of entries) {
      this.shutdown(e);
      this.emit(e, 'closed');
    }
    this.ringer.stop();
    clearTimeout(this.ringHold);
    this.mic.stop();
    return entries.length;
  }

  /**
   * A host attached and named the peer connections it still owns: the others belong to a host
   * that is gone, so they close. The ones kept go on carrying audio, untouched.
   */
  retain(p: MediaParams<'media.retain'>): MediaResult<'media.retain'> {
    const keep = new Set(p.pcIds);
    let closed = 0;
    for (const [pcId, e] of [...this.pcs]) {
      if (keep.has(pcId)) continue;
      this.pcs.delete(pcId);
      this.shutdown(e);
      this.emit(e, 'closed');
      closed += 1;
    }
    if (this.pcs.size === 0) {
      this.ringer.stop();
      clearTimeout(this.ringHold);
      this.mic.stop();
    }
    // The host that attached has not heard of the spare.
    this.spares.reannounce();
    return { closed, kept: this.pcs.size };
  }

  /** How many peer connections are open. */
  get liveCount(): number {
    return this.pcs.size;
  }

  /** Applies the user's devices, to live calls too. */
  async setDevices(prefs: AudioDevicePrefs): Promise<void> {
    this.devices = prefs;
    await Promise.all([
      this.mic.setDevice(prefs.micId),
      this.ringer.setSink(prefs.ringerId),
      ...[...this.pcs.values()].map((e) => e.audio.setSink(prefs.speakerId)),
    ]);
  }

  /**
   * RTP received on a call's audio, from getStats: diagnostics, and the end-to-end tests' proof
   * that audio flows where no analyser can run (headless Firefox here has no audio output).
   */
  async inboundAudio(pcId: string): Promise<{ packetsReceived: number; bytesReceived: number; packetsLost: number }> {
    const e = this.pcs.get(pcId);
    if (!e) throw unknownPc(pcId, 'inboundAudio');
    return inboundAudioOf(e.pc);
  }

  /** What is going on, for diagnostics and the end-to-end tests. */
  state() {
    return {
      pcs: [...this.pcs.values()].map((e) => ({
        pcId: e.pcId,
        callId: e.callId,
        signalingState: e.pc.signalingState,
        hasMic: !!e.mic,
        micEnabled: e.micEnabled,
        remotePlaying: !e.audio.element.paused && !!e.audio.element.srcObject,
      })),
      mixed: this.mixer?.pcIds ?? [],
      mixContext: this.mixer?.contextState ?? 'none',
      spare: this.spares.readyId,
      spareAnnounced: this.spares.announcedId,
      micActive: this.mic.active,
      micOpened: this.mic.opened,
      ringing: this.ringer.playing,
      devices: this.devices,
    };
  }

  private op<T>(pcId: string, method: MediaMethodName, job: (e: PcEntry) => Promise<T>): Promise<T> {
    const e = this.pcs.get(pcId);
    if (!e) return Promise.reject(unknownPc(pcId, method));
    return e.queue.run(async () => {
      if (e.closed) throw closedError(pcId, method);
      this.deps.trace?.(pcId, `${method} start`);
      try {
        const result = await job(e);
        this.deps.trace?.(pcId, `${method} done`);
        return result;
      } catch (err) {
        throw asProtocolError(err, method, pcId);
      }
    });
  }

  private listen(e: PcEntry): void {
    watchPc(e, { emit: (type, candidate) => this.emit(e, type, candidate), ...(this.deps.trace ? { trace: this.deps.trace } : {}), ...(this.deps.tap ? { tap: this.deps.tap } : {}) });
  }

  private emit(e: PcEntry, type: PcEventType, candidate?: PcEventData['candidate']): void {
    if ((e.closed && type !== 'closed') || e.spare) return;
    try {
      const data: PcEventData = { pcId: e.pcId, type, snapshot: this.snapshot(e) };
      if (type === 'icecandidate') data.candidate = candidate ?? null;
      this.deps.onEvent(data);
    } catch (err) {
      // Never into the browser's event dispatch, and never out of closeAll half-way.
      this.deps.log(`cannot report ${type} of ${e.pcId}`, err);
    }
  }

  private snapshot(e: PcEntry) {
    e.seq += 1;
    return takeSnapshot(e.pc, audioSender(e), e.seq);
  }

  private shutdown(e: PcEntry): void {
    if (e.closed) return;
    e.closed = true;
    try {
      e.pc.close();
    } catch (err) {
      this.deps.log(`closing ${e.pcId}`, err);
    }
    // A call leaving the conference: the others stay mixed, or get their microphone back.
    if (this.mixer?.pcIds.includes(e.pcId)) void this.mixer.remove(e.pcId);
    e.mic?.release();
    e.mic = undefined;
    e.audio.stop();
    this.deps.tap?.detach(e.pcId);
  }
}

