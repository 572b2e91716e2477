import type { IncomingRequest, IncomingResponse, OutgoingRequest } from 'jssip/lib/SIPMessage';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { UA } from 'jssip/lib/UA';
import { ErrorCode, ProtocolError, type CallInfo, type ContactMatch, type DialSource } from '../../../shared/protocol';
import type { DialFormat, DialTarget } from '../../../shared/phone/dial-string';
import type { Logger } from '../log';
import { placeholderStream, type BridgedPeerConnection } from './bridged-peer-connection';
import type { PcConfig } from './webrtc-globals';
import { callEnd, DND_CAUSE, MediaCause, sipMessage } from './end-reason';
import { newCall, sessionCallId } from './call-id';
import { DTMF_GAP_MS, dtmfDurationMs } from './dtmf-timing';
import { readFactHeaders, type SipFacts } from './sip-facts';
import { describeRemote } from './remote-party';
import { withTotalDecoding } from './jssip-total-decoding';
import { blindTransfer } from './blind-transfer';
import { EXT_ID, failedError, resolveDial } from './dial-checks';
import type { CallManagerDeps, DialOptions } from './call-manager-deps';
import { HoldIntent, type HoldableSession } from './hold-intent';
import { CallListeners, type CallListener } from './call-listeners';

export type { CallListener } from './call-listeners';
export type { CallManagerDeps, DialOptions } from './call-manager-deps';

interface Live {
  info: CallInfo;
  session: RTCSession;
  /** Hold/Resume as the user last asked, sent when the session can re-offer. */
  holding: HoldIntent;
}

/**
 * Owns every call: turns JsSIP sessions into our CallInfo records and call states (DESIGN
 * section 4), and executes the user's call controls. Only this folder imports JsSIP.
 */
export class CallManager {
  private readonly calls = new Map<string, Live>();
  private readonly listeners: CallListeners;
  private pendingDial: { extId?: string; source: DialSource; number: string } | undefined;
  private ringing = false;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly deps: CallManagerDeps) {
    this.now = deps.now ?? Date.now;
    this.log = deps.log.child({ module: 'calls' });
    this.listeners = new CallListeners(this.log);
  }

  /** Facts from the SIP messages of each call, delivered before the call change they cause. */
  onSipFacts(listener: (facts: SipFacts) => void): () => void {
    return this.listeners.onSipFacts(listener);
  }

  onChange(listener: CallListener): () => void {
    return this.listeners.onChange(listener);
  }

  /** Told before the ringtone request and every onChange listener (call-listeners.ts). */
  onChangeFirst(listener: CallListener): () => void {
    return this.listeners.onChangeFirst(listener);
  }

  list(): CallInfo[] {
    return [...this.calls.values()].map((c) => c.info);
  }

  /** Wires a (new) user agent's incoming and outgoing sessions to this manager. */
  attach(ua: UA): void {
    ua.on('newRTCSession', (e: { originator: 'local' | 'remote'; session: RTCSession; request: IncomingRequest | OutgoingRequest }) => {
      try {
        if (e.originator === 'remote') this.facts(sessionCallId(e.session, e.request), 'invite', e.request);
        const unplayable = e.originator === 'remote' ? this.deps.screenOffer?.(e.request.body ?? undefined) : undefined;
        if (unplayable) this.refuse(e.session, e.request, 488, 'Not Acceptable Here', MediaCause.NO_CODEC, `incoming call refused: its media cannot be bridged (${unplayable})`);
        else if (e.originator === 'remote' && this.deps.dnd?.()) this.refuse(e.session, e.request, 486, 'Busy Here', DND_CAUSE, 'incoming call rejected: do not disturb');
        else this.track(e.session, e.originator, e.request);
      } catch (err) {
        this.log.error({ err }, 'cannot track a new session');
      }
    });
  }

  dial(options: DialOptions): CallInfo {
    const ua = this.deps.ua();
    if (!ua || !this.deps.isRegistered()) {
      throw new ProtocolError(ErrorCode.NOT_REGISTERED, 'not registered: the UI must be registered on the PBX to call');
    }
    if (options.extId !== undefined && !EXT_ID.test(options.extId)) {
      throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'the external id may contain letters, digits, spaces and . _ : / # @ + = - only (64 at most)');
    }
    const { target, uri } = this.resolve(options.number);
    const extraHeaders = [...(options.extId ? [`X-VOIspeed-ExtID: ${options.extId}`] : []), ...(options.extraHeaders ?? [])];
    this.pendingDial = { source: options.source, number: target.dial, ...(options.extId ? { extId: options.extId } : {}) };
    let session: RTCSession;
    try {
      // outgoingOffer: this peer connection may be a spare the browser prepared (webrtc-globals.ts).
      const pcConfig: PcConfig = { iceServers: this.deps.iceServers(), outgoingOffer: true };
      session = ua.call(uri, {
        mediaStream: placeholderStream('mic') as never,
        pcConfig: pcConfig as RTCConfiguration,
        extraHeaders,
        rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
      });
    } finally {
      this.pendingDial = undefined;
    }
    const live = this.findBySession(session);
    if (!live) throw new ProtocolError(ErrorCode.INTERNAL, 'the call did not start');
    this.log.info({ id: live.info.id, source: options.source, number: target.dial }, 'dial');
    return live.info;
  }

  /**
   * dial(), settled once the call has really started: the INVITE is on its way. A call that ends
   * before that (no browser, no microphone, refused by the browser) rejects with why, so no
   * caller reports a call that never left (issue 12.4).
   */
  place(options: DialOptions, onDialled?: (call: CallInfo) => void): Promise<CallInfo> {
    const info = this.dial(options);
    onDialled?.(info);
    const live = this.calls.get(info.id);
    if (!live) return Promise.reject(failedError('the call', info));
    return new Promise((resolve, reject) => {
      const session = live.session;
      const done = () => {
        session.removeListener('sending', sent);
        session.removeListener('failed', ended);
        session.removeListener('ended', ended);
      };
      const sent = () => {
        done();
        resolve(live.info);
      };
      // Registered after track()'s own listeners, so live.info already says how it ended.
      const ended = () => {
        done();
        reject(failedError('the call', live.info));
      };
      session.on('sending', sent);
      session.on('failed', ended);
      session.on('ended', ended);
    });
  }

  answer(id: string): CallInfo {
    const live = this.get(id);
    if (live.info.state !== 'ringing-in') throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'that call is not ringing');
    this.log.debug({ id }, 'answer');
    // Call waiting: the call being answered becomes the only one not on hold.
    for (const other of this.calls.values()) {
      if (other !== live && other.info.state === 'active' && !other.info.onHold) other.holding.request(true);
    }
    live.session.answer({
      mediaStream: placeholderStream('mic') as never,
      pcConfig: { iceServers: this.deps.iceServers() },
    });
    return live.info;
  }

  decline(id: string): CallInfo {
    const live = this.get(id);
    if (live.info.state !== 'ringing-in') throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'that call is not ringing');
    this.emitFacts({ id: live.info.id, message: 'local', status: 603, receivedAt: this.now(), headers: {} });
    live.session.terminate({ status_code: 603, reason_phrase: 'Decline' });
    return live.info;
  }

  /** Without an id, the first call (voispeed:D). */
  hangup(id?: string): CallInfo {
    const live = id ? this.get(id) : this.first();
    if (live.info.state === 'ringing-in') {
      this.emitFacts({ id: live.info.id, message: 'local', status: 486, receivedAt: this.now(), headers: {} });
      live.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
    } else live.session.terminate();
    return live.info;
  }

  hold(id: string, hold: boolean): CallInfo {
    const live = this.get(id);
    if (!live.session.isEstablished()) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'only an answered call can be held');
    if (!live.holding.request(hold)) throw new ProtocolError(ErrorCode.INVALID_PARAMS, `the call cannot be ${hold ? 'held' : 'resumed'} right now`);
    if (!hold) {
      // Resuming one call holds the others: one active call at a time.
      for (const other of this.calls.values()) {
        if (other !== live && other.info.state === 'active') other.holding.request(true);
      }
    }
    return live.info;
  }

  mute(id: string, mute: boolean): CallInfo {
    const live = this.get(id);
    if (mute) live.session.mute({ audio: true });
    else live.session.unmute({ audio: true });
    return live.info;
  }

  dtmf(id: string, tones: string): CallInfo {
    const live = this.get(id);
    if (!live.session.isEstablished()) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'DTMF needs an answered call');
    // One RFC 4733 event per key whatever the codec: the duration depends on it (dtmf-timing.ts).
    const duration = dtmfDurationMs(live.session.connection?.remoteDescription?.sdp);
    live.session.sendDTMF(tones, { transportType: 'RFC2833', duration, interToneGap: DTMF_GAP_MS } as never);
    return live.info;
  }

  /** Blind transfer of an answered call: settles as blind-transfer.ts says; our leg ends once the target answered. */
  transfer(target: string, id?: string): Promise<CallInfo> {
    const live = id ? this.get(id) : this.firstActive();
    if (!live.session.isEstablished()) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'only an answered call can be transferred');
    const { target: dial, uri } = this.resolve(target);
    this.log.info({ id: live.info.id, target: dial.dial }, 'blind transfer');
    return blindTransfer(live.session, uri, dial.dial, (status, why) => this.log.warn({ id: live.info.id, status }, why)).then(() => live.info);
  }

  /** For features built on calls (attended transfer): a live call's record, session, and a change to announce. */
  info = (id: string): CallInfo => this.get(id).info;
  sessionOf = (id: string): RTCSession => this.get(id).session;
  /** This call only, no others held (the conference's own choreography); same intent as hold(). */
  setHold = (id: string, hold: boolean): void => void this.get(id).holding.request(hold);
  patch(id: string, change: Partial<CallInfo>): void {
    const live = this.calls.get(id);
    if (live) this.emit((live.info = { ...live.info, ...change }));
  }
  /** Ends every call at once (host shutdown). */
  terminateAll(): void {
    for (const live of this.calls.values()) {
      try {
        live.session.terminate();
      } catch {
        // Already ending.
      }
    }
  }

  /** The caller's name found later by a lookup (directory/): announced as a change of the call. */
  setContact(id: string, contact: ContactMatch): void {
    const live = this.calls.get(id);
    if (live && live.info.state !== 'ended') (live.info = { ...live.info, contact }), this.emit(live.info);
  }

  /** A typed number or address as the dialling format wants it, and the SIP URI to send it to. */
  resolve(number: string): { target: DialTarget; uri: string } {
    return resolveDial(number, this.deps.dialFormat(), this.deps.aor());
  }

  private get(id: string): Live {
    const live = this.calls.get(id);
    if (!live) throw new ProtocolError(ErrorCode.INVALID_PARAMS, `no call with id ${id.slice(0, 128)}`);
    return live;
  }

  private first(): Live {
    const first = this.calls.values().next();
    if (first.done) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'there is no call');
    return first.value;
  }

  private firstActive(): Live {
    for (const live of this.calls.values()) if (live.info.state === 'active') return live;
    throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'there is no active call');
  }

  /** The far end of a session, read totally (a caller id JsSIP could not fully decode is logged). */
  private remoteOf(id: string, session: RTCSession, dialled?: string): CallInfo['remote'] {
    return describeRemote(session.remote_identity, dialled, (err) => this.log.warn({ id, err }, 'caller id not fully readable'));
  }

  private findBySession(session: RTCSession): Live | undefined {
    for (const live of this.calls.values()) if (live.session === session) return live;
    return undefined;
  }

  /**
   * An incoming call turned down before it rings, reported as one ended event, so Integra sees it
   * and the history keeps it while nothing rings: do-not-disturb (486, CALL_BUSY), or for a
   * media-gateway account an offer it can never bridge (488, "no common codec").
   */
  private refuse(session: RTCSession, request: IncomingRequest | OutgoingRequest, status: number, phrase: string, cause: string, logLine: string): void {
    const id = sessionCallId(session, request);
    const now = this.now();
    session.terminate({ status_code: status, reason_phrase: phrase });
    this.log.info({ id }, logLine);
    this.emit({ ...newCall(id, 'in', 'ended', this.remoteOf(id, session), now), endedAt: now, end: callEnd('local', cause, status) });
  }

  private track(session: RTCSession, originator: 'local' | 'remote', request: IncomingRequest | OutgoingRequest): void {
    const id = sessionCallId(session, request);
    const dialInfo = originator === 'local' ? this.pendingDial : undefined;
    const remote = this.remoteOf(id, session, dialInfo?.number);
    const contact = remote.number ? this.deps.contactOf?.(remote.number) : undefined;
    const info: CallInfo = {
      ...newCall(id, originator === 'local' ? 'out' : 'in', originator === 'local' ? 'dialing' : 'ringing-in', remote, this.now()),
      ...(dialInfo?.extId ? { extId: dialInfo.extId } : {}),
      ...(originator === 'remote' ? this.deps.autoAnswer?.(request as IncomingRequest, this.list()) : undefined),
      ...(contact ? { contact } : {}),
    };
    const live: Live = {
      info,
      session,
      holding: new HoldIntent(session as unknown as HoldableSession, {
        onGiveUp: (wanted) => this.log.warn({ id, wanted }, 'hold/resume not sent: the call could not re-offer for 10 s'),
      }),
    };
    // Registered before the listeners that change the call, so facts arrive first.
    session.on('accepted', (e: { response?: IncomingResponse | null }) => e?.response && this.facts(id, 'response', e.response));
    for (const ending of ['failed', 'ended'] as const) {
      session.on(ending, (e: { message?: unknown }) => {
        const m = sipMessage(e?.message);
        if (m) this.facts(id, 'status_code' in m ? 'response' : 'request', m);
      });
    }
    this.calls.set(id, live);
    const update = (change: Partial<CallInfo>) => {
      live.info = { ...live.info, ...change };
      this.emit(live.info);
    };

    // The latency benches' per-stage trace: the INVITE (or 200 OK's SDP) handed to the transport.
    session.on('sending', () => this.log.debug({ id }, 'INVITE sending'));
    session.on('sdp', (e: { originator: string; type: string }) => e.originator === 'local' && this.log.debug({ id, type: e.type }, 'local sdp ready'));
    session.on('progress', () => {
      if (live.info.direction === 'out' && live.info.state === 'dialing') update({ state: 'ringing-out' });
    });
    session.on('accepted', () => update({ state: live.info.onHold ? 'held' : 'active', answeredAt: this.now() }));
    session.on('hold', (e: { originator: string }) => {
      if (e.originator === 'local') update({ onHold: true, state: 'held' });
      else update({ remoteHold: true });
    });
    session.on('unhold', (e: { originator: string }) => {
      if (e.originator === 'local') update({ onHold: false, state: 'active' });
      else update({ remoteHold: false });
    });
    session.on('muted', () => update({ muted: true }));
    session.on('unmuted', () => update({ muted: false }));
    session.on('icecandidate', (e: { candidate: { candidate?: string }; ready(): void }) => {
      // Without STUN/TURN servers nothing better than host candidates will come: send the INVITE
      // on the first one instead of waiting ~120 ms for Chromium's TCP candidates (NOTES-ENV).
      if (this.deps.iceServers().length === 0) e.ready();
    });
    const end = (e: { originator: string; cause?: string; message?: unknown }) => {
      if (live.info.state === 'ended') return;
      const m = sipMessage(e.message);
      const code = m && 'status_code' in m ? m.status_code : undefined;
      // The browser's side failed (no microphone, no browser): JsSIP calls that "Canceled" or "Rejected".
      const media = (session.connection as unknown as BridgedPeerConnection | undefined)?.failure;
      this.calls.delete(id);
      live.holding.dispose();
      update({
        state: 'ended',
        endedAt: this.now(),
        end: media
          ? callEnd('system', media)
          : callEnd(e.originator === 'local' ? 'local' : e.originator === 'remote' ? 'remote' : 'system', String(e.cause ?? 'Terminated'), typeof code === 'number' ? code : undefined),
      });
    };
    for (const failure of ['peerconnection:createofferfailed', 'peerconnection:createanswerfailed', 'peerconnection:setlocaldescriptionfailed', 'peerconnection:setremotedescriptionfailed'] as const) {
      session.on(failure, (err: unknown) => this.log.warn({ id, err: String((err as Error)?.message ?? err) }, failure));
    }
    session.on('failed', end);
    session.on('ended', end);
    session.on('refer', ((e: { accept(cb?: unknown, options?: unknown): void }) => {
      // The far end transfers us: follow it with a new call carrying the same media setup.
      // JsSIP decodes a Replaces header of the Refer-To itself: totally, like every network value.
      withTotalDecoding(() => e.accept(undefined, { mediaStream: placeholderStream('mic'), pcConfig: { iceServers: this.deps.iceServers() } }));
    }) as never);
    this.emit(info);
  }

  private facts(id: string, message: SipFacts['message'], sip: IncomingRequest | IncomingResponse | OutgoingRequest): void {
    if (!this.listeners.wantsFacts) return;
    let headers: SipFacts['headers'] = {};
    try {
      headers = readFactHeaders(sip);
    } catch (err) {
      this.log.warn({ id, err }, 'unreadable SIP headers');
    }
    this.emitFacts({ id, message, receivedAt: this.now(), headers });
  }

  private emitFacts(facts: SipFacts): void {
    this.listeners.emitFacts(facts);
  }

  private emit(info: CallInfo): void {
    this.listeners.emit(info, () => {
      const ringing = [...this.calls.values()].some((c) => c.info.state === 'ringing-in');
      if (ringing !== this.ringing) {
        this.ringing = ringing;
        this.deps.ring(ringing);
      }
    });
  }
}
