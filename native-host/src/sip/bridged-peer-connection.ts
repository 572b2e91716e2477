import { pcSnapshot, supersedes, type PcSnapshot } from '../../../shared/protocol/media';
import { mediaCauseOf, MediaCause, type MediaCauseValue } from './end-reason';
import type { MediaBridge, PcEvent } from './media-bridge';
import type { PreparedOffer } from './prepared-offers';
import type { BridgedTrack } from './bridged-track';

export { BridgedTrack, placeholderStream } from './bridged-track';

type Listener = (event: Record<string, unknown>) => void;

interface Description {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  sdp: string;
}

const GATHERING_DEADLINE_MS = 3000;

/**
 * A spare's claim waits for the far end's answer (or a close), at most this long: until then the
 * browser has nothing to do for the call, and its work (the claim, the microphone's replaceTrack)
 * overlapped the INVITE transaction on a 2-core machine, doubling our INVITE → 200 OK (issue 19's
 * bench: ~10 ms against ~5 ms with the browser idle). Far below the engine's 10 s grace for a
 * withdrawn spare and the microphone's 3 s hold after a press on Call.
 */
const CLAIM_AFTER_MS = 1000;

class BridgedSender {
  readonly dtmf: { insertDTMF(tones: string, duration?: number, gap?: number): void; readonly toneBuffer: string };

  constructor(
    readonly track: BridgedTrack,
    pc: BridgedPeerConnection,
  ) {
    this.dtmf = {
      insertDTMF: (tones, duration = 100, gap = 70) => pc.insertDtmf(tones, duration, gap),
      get toneBuffer() {
        return pc.toneBuffer;
      },
    };
  }
}

/**
 * The RTCPeerConnection surface JsSIP uses (NOTES-ENV lists it), mirrored from a real peer
 * connection in the browser. Every reply and event carries a snapshot of the browser-side state,
 * applied before a promise resolves or an event is dispatched, so JsSIP's synchronous reads of
 * `iceGatheringState` or `localDescription` see current values. Operations reach the browser in
 * call order and run there in that order.
 */
export class BridgedPeerConnection {
  readonly pcId: string;
  private snap: PcSnapshot = pcSnapshot();
  private closedLocally = false;
  /**
   * Why the browser's side failed, the first time it did: JsSIP only learns "ICE failed" and files
   * an unplaced call as Canceled, so the call manager reads the real reason here.
   */
  failure: MediaCauseValue | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly senders: BridgedSender[] = [];
  /** setLocalDescription calls whose reply has not come yet; candidates wait for them (see onEvent). */
  private settingLocal = 0;
  private heldCandidates: PcEvent[] = [];
  /**
   * The offer or answer the browser made and already set as local in the same request; JsSIP's
   * setLocalDescription with it then costs no round trip. `presetPending` from the request until
   * that setLocalDescription: the description's candidates wait for it like for a real one.
   */
  private preset: Description | undefined;
  private presetPending = false;
  /** The spare this peer connection took (prepared-offers.ts) until its offer is asked for. */
  private spare: PreparedOffer | undefined;
  /** The spare the browser's peer connection was prepared as, if any (logs and tests). */
  readonly preparedAs: string | undefined;
  /** Requests waiting for the spare's claim to go first (see CLAIM_AFTER_MS); undefined once it went. */
  private held: (() => void)[] | undefined;
  private claimTimer: ReturnType<typeof setTimeout> | undefined;
  private sendClaim: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  /**
   * `takeSpare`: for an outgoing call's peer connection, a spare the browser prepared with these
   * ICE servers, if there is one: the browser's peer connection is that spare, and the first
   * createOffer is its local description, with no round trip (issue 19).
   */
  constructor(
    private readonly bridge: MediaBridge,
    config: { iceServers?: { urls: string | string[]; username?: string; credential?: string }[] } | undefined,
    private readonly onError: (err: unknown, what: string) => void,
    takeSpare?: (iceServers: { urls: string | string[]; username?: string; credential?: string }[]) => PreparedOffer | undefined,
  ) {
    this.pcId = bridge.nextPcId();
    this.unsubscribe = bridge.subscribe(this.pcId, (e) => this.onEvent(e));
    const iceServers = (config?.iceServers ?? []).slice(0, 8).map((s) => ({
      urls: s.urls,
      ...(s.username ? { username: s.username } : {}),
      ...(s.credential ? { credential: s.credential } : {}),
    }));
    this.spare = takeSpare?.(iceServers);
    this.preparedAs = this.spare?.spareId;
    if (!this.spare) {
      this.run('create', () => this.bridge.request('media.pc.create', { pcId: this.pcId, iceServers })).catch((err) => this.fail(err));
      return;
    }
    this.snap = this.spare.snapshot;
    const spare = this.spare.spareId;
    this.held = [];
    this.sendClaim = () => void this.bridge.request('media.pc.create', { pcId: this.pcId, iceServers, spare }).catch((err) => this.fail(err));
    this.claimTimer = setTimeout(() => this.claimNow(), CLAIM_AFTER_MS);
    this.claimTimer.unref?.();
  }

  /** Sends the spare's claim, then every request held behind it, in call order. */
  private claimNow(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearTimeout(this.claimTimer);
    this.sendClaim?.();
    for (const send of held) send();
  }


  get signalingState(): string {
    return this.closedLocally ? 'closed' : this.snap.signalingState;
  }
  get iceGatheringState(): string {
    return this.snap.iceGatheringState;
  }
  get iceConnectionState(): string {
    return this.closedLocally ? 'closed' : this.snap.iceConnectionState;
  }
  get connectionState(): string {
    return this.closedLocally ? 'closed' : this.snap.connectionState;
  }
  get localDescription(): Description | null {
    return this.snap.localDescription;
  }
  get remoteDescription(): Description | null {
    return this.snap.remoteDescription;
  }
  /**
   * JsSIP prepends this to every new key (RFC 4733). The browser's engine keeps the tones it has
   * not played yet itself (media.pc.insertDtmf queues after them, read and written in one task),
   * so from here every key is new: a copy of the browser's buffer, always a guess of its timing,
   * sent keys twice or dropped them (Linphone reported "115" and "15#4*" for "15#24*").
   */
  get toneBuffer(): string {
    return '';
  }

  createOffer(options?: { iceRestart?: boolean } | null): Promise<Description> {
    const spare = this.spare;
    this.spare = undefined;
    if (spare && !options?.iceRestart) {
      // The spare's offer, already its local description in the browser (the mirror shows it,
      // gathering complete): JsSIP's setLocalDescription with it then costs nothing either.
      this.preset = spare.description;
      this.presetPending = true;
      return Promise.resolve(spare.description);
    }
    return this.createPreset('createOffer', () => this.bridge.request('media.pc.createOffer', { pcId: this.pcId, setLocal: true, ...(options?.iceRestart ? { iceRestart: true } : {}) }));
  }

  createAnswer(): Promise<Description> {
    // Made (and set) already with the remote offer (setRemoteDescription): nothing to ask.
    if (this.preset?.type === 'answer' && this.presetPending) return Promise.resolve(this.preset);
    return this.createPreset('createAnswer', () => this.bridge.request('media.pc.createAnswer', { pcId: this.pcId, setLocal: true }));
  }

  /**
   * createOffer/createAnswer, with the browser setting the result as local at once (JsSIP always
   * does so next, unchanged): issue 19's trace showed that round trip as ~4–7 ms of every INVITE.
   */
  private createPreset(what: string, request: () => Promise<{ description: Description; snapshot: PcSnapshot }>): Promise<Description> {
    this.preset = undefined;
    this.presetPending = true;
    return this.run(what, async () => {
      const r = await request();
      this.apply(r.snapshot);
      // An extension from before issue 19 ignores setLocal: then JsSIP's setLocalDescription goes to the browser.
      if (r.snapshot.signalingState === (r.description.type === 'offer' ? 'have-local-offer' : 'stable')) this.preset = r.description;
      else this.presetPending = false;
      return r.description;
    }).catch((err: unknown) => {
      this.presetPending = false;
      this.localSettled();
      throw err;
    });
  }

  setLocalDescription(description: Description): Promise<void> {
    const preset = this.preset;
    this.preset = undefined;
    if (preset && preset.type === description.type && preset.sdp === description.sdp) {
      // Already the browser's local description (createPreset); the mirror shows it.
      this.gatheringDeadline();
      return Promise.resolve().finally(() => {
        this.presetPending = false;
        this.localSettled();
      });
    }
    this.presetPending = false;
    this.settingLocal += 1;
    return this.run('setLocalDescription', async () => {
      const r = await this.bridge.request('media.pc.setLocalDescription', { pcId: this.pcId, description: { type: description.type, sdp: description.sdp } });
      this.apply(r.snapshot);
      this.gatheringDeadline();
    }).finally(() => {
      this.settingLocal -= 1;
      this.localSettled();
    });
  }

  /** A local description is in place: held candidates go out after the caller's continuation (JsSIP starts listening there), so in a macrotask. */
  private localSettled(): void {
    if (!this.holdingCandidates && this.heldCandidates.length) setImmediate(() => this.releaseCandidates());
  }

  private get holdingCandidates(): boolean {
    return this.settingLocal > 0 || this.presetPending;
  }

  /**
   * JsSIP waits for the end of ICE gathering with no time limit; a browser that never finishes
   * (Firefox with no usable interface, an unreachable STUN server) would leave the call hanging
   * silently. After the deadline it goes ahead with the candidates it has.
   */
  private gatheringDeadline(): void {
    if (this.snap.iceGatheringState === 'complete') return;
    const timer = setTimeout(() => {
      // Someone still waiting is woken whatever the mirror shows: a wait must never outlive this.
      const waiting = (this.listeners.get('icegatheringstatechange')?.size ?? 0) > 0;
      if (this.closedLocally || (this.snap.iceGatheringState === 'complete' && !waiting)) return;
      this.onError(new Error(`ICE gathering still ${this.snap.iceGatheringState} after ${GATHERING_DEADLINE_MS} ms; going on`), 'ice');
      // Keeps the seq it was made from: only a state the browser reports later replaces it.
      this.snap = { ...this.snap, iceGatheringState: 'complete' };
      this.dispatch('icegatheringstatechange', { type: 'icegatheringstatechange' });
    }, GATHERING_DEADLINE_MS);
    timer.unref();
  }

  /**
   * A remote offer is answered in the same request (JsSIP always creates the answer and sets it
   * next, unchanged): its createAnswer and setLocalDescription then cost no round trip.
   */
  setRemoteDescription(description: Description): Promise<void> {
    // The far end answered: the browser's turn (see CLAIM_AFTER_MS).
    this.claimNow();
    const offer = description.type === 'offer';
    if (offer) {
      this.preset = undefined;
      this.presetPending = true;
    }
    return this.run('setRemoteDescription', async () => {
      const r = await this.bridge.request('media.pc.setRemoteDescription', { pcId: this.pcId, description: { type: description.type, sdp: description.sdp }, ...(offer ? { answer: true } : {}) });
      this.apply(r.snapshot);
      if (offer) {
        // Without `answer` (an extension from before issue 19), JsSIP's createAnswer asks as usual.
        this.preset = r.answer && r.snapshot.signalingState === 'stable' ? r.answer : undefined;
        if (!this.preset) (this.presetPending = false), this.localSettled();
      }
    }).catch((err: unknown) => {
      if (offer) (this.presetPending = false), this.localSettled();
      throw err;
    });
  }

  /** Synchronous in a browser: acts locally now and tells the browser without waiting. */
  addTrack(track: BridgedTrack): BridgedSender {
    const sender = new BridgedSender(track, this);
    this.senders.push(sender);
    track.bind((enabled) => {
      this.run('setMicEnabled', () => this.bridge.request('media.pc.setMicEnabled', { pcId: this.pcId, enabled })).then(
        (r) => this.apply(r.snapshot),
        (err) => this.onError(err, 'mute'),
      );
    });
    this.run('addMicrophone', () => this.bridge.request('media.pc.addMicrophone', { pcId: this.pcId })).then(
      (r) => this.apply(r.snapshot),
      (err) => this.fail(err),
    );
    return sender;
  }

  getSenders(): BridgedSender[] {
    return [...this.senders];
  }

  getReceivers(): never[] {
    return [];
  }

  insertDtmf(tones: string, duration: number, gap: number): void {
    this.run('insertDtmf', () => this.bridge.request('media.pc.insertDtmf', { pcId: this.pcId, tones, duration, gap })).then(
      (r) => this.apply(r.snapshot),
      (err) => this.onError(err, 'dtmf'),
    );
  }

  close(): void {
    if (this.closedLocally) return;
    // Claimed even now: the engine then closes the spare and makes the next one.
    this.claimNow();
    this.closedLocally = true;
    this.run('close', () => this.bridge.request('media.pc.close', { pcId: this.pcId }))
      .catch((err) => this.onError(err, 'close'))
      .finally(() => this.unsubscribe());
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  private dispatch(type: string, event: Record<string, unknown>): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) {
      try {
        l(event);
      } catch (err) {
        this.onError(err, `${type} listener`);
      }
    }
  }

  /**
   * The one way a browser snapshot enters the mirror. Replies and events reach the host in any
   * order (a busy host reads a reply and the events after it in one go, and resolves the reply's
   * promise only after dispatching them), so an older snapshot never overwrites a newer one: what
   * JsSIP reads after any await is the latest state the browser reported, and every later change
   * still comes as an event. That is what makes "gathering completed before JsSIP listened"
   * harmless: JsSIP then reads 'complete' and does not wait.
   */
  private apply(next: PcSnapshot): void {
    if (supersedes(next, this.snap)) this.snap = next;
  }

  private onEvent(e: PcEvent): void {
    this.apply(e.snapshot);
    if (e.type === 'icecandidate') {
      // A browser fires a description's candidates only after its setLocalDescription resolved;
      // over the bridge the first one can overtake the reply. Dispatched now, it would reach no
      // listener (JsSIP listens once the promise resolved) and JsSIP would wait for the end of
      // gathering instead (~120 ms more, Chromium's TCP candidates): it waits for the reply.
      if (this.holdingCandidates || this.heldCandidates.length) this.heldCandidates.push(e);
      else this.dispatchCandidate(e);
    } else if (e.type === 'closed') {
      // The browser lost this peer connection (offscreen document gone, worker restarted):
      // the call cannot go on, so JsSIP is told the way a browser tells it.
      if (!this.closedLocally) this.fail(new Error('the browser closed the peer connection'), MediaCause.NO_BROWSER);
    } else {
      this.dispatch(e.type, { type: e.type });
    }
  }

  private releaseCandidates(): void {
    if (this.holdingCandidates) return;
    const held = this.heldCandidates;
    this.heldCandidates = [];
    for (const e of held) this.dispatchCandidate(e);
  }

  private dispatchCandidate(e: PcEvent): void {
    const c = e.candidate;
    this.dispatch('icecandidate', { type: 'icecandidate', candidate: c ? { ...c, toJSON: () => c } : null });
  }

  /** A browser-side failure the call cannot survive: report it the way a browser would. */
  private fail(err: unknown, cause?: MediaCauseValue): void {
    this.onError(err, 'peer connection');
    if (this.closedLocally) return;
    const e = err as { code?: unknown; data?: { name?: unknown } } | null;
    this.failure ??= cause ?? mediaCauseOf(typeof e?.code === 'number' ? e.code : undefined, typeof e?.data?.name === 'string' ? e.data.name : undefined);
    this.snap = { ...this.snap, iceConnectionState: 'failed', connectionState: 'failed' };
    this.dispatch('iceconnectionstatechange', { type: 'iceconnectionstatechange' });
  }

  /**
   * Requests are sent at once, not after the previous reply: the browser's engine runs each peer
   * connection's requests strictly in arrival order, and one native channel keeps that order, so
   * create → addMicrophone → createOffer cost one round trip instead of three.
   */
  private run<T>(what: string, op: () => Promise<T>): Promise<T> {
    void what;
    const held = this.held;
    if (held) return new Promise<T>((resolve, reject) => held.push(() => void op().then(resolve, reject)));
    return op();
  }
}
