import { randomInt } from 'node:crypto';
import type { Logger } from '../log';
import type { BridgedPeerConnection, BridgedTrack } from '../sip/bridged-peer-connection';
import { MediaCause, type MediaCauseValue } from '../sip/end-reason';
import type { BrowserLeg } from './browser-leg';
import type { Choice, Codec } from './codecs';
import { asSeenBy, chooseForOffer, chooseFromAnswer, NegotiationError, offerForPbx, routeFor } from './negotiation';
import { PbxLeg } from './pbx-leg';
import { answerDirection, choiceCodecs, readPlainSdp, writePlainSdp, type Direction, type PlainMedia, type SdesKey } from './plain-sdp';
import type { PortRange } from './port-range';
import { CallRelay } from './relay';
import { hasLegCandidate } from './leg-address';
import { rtcpReport } from './rtcp-report';
import { webrtcAudioCodecs } from './webrtc-sdp';

type Listener = (event: Record<string, unknown>) => void;

/** RFC 3550's minimum report interval; one call's RTCP is tiny, so no scaling. */
const RTCP_INTERVAL_MS = 5000;
interface Description {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  sdp: string;
}

export interface GatewayDeps {
  log: Logger;
  rtpPorts(): PortRange;
  /** The local address the PBX is to send media to, for a PBX media address (undefined: its SIP server). */
  localAddress(remote: string | undefined): Promise<string>;
  /** A call we place offers SDES-SRTP (RTP/SAVP + a=crypto) rather than plain RTP/AVP. */
  offerSrtp(): boolean;
}

/**
 * What JsSIP holds for a call on a plain SIP PBX (DESIGN section 11): the same RTCPeerConnection
 * surface as BridgedPeerConnection, but the SDP JsSIP reads and writes is plain RTP toward the
 * PBX, while behind it the browser's peer connection (driven through the bridge) talks WebRTC to
 * a werift peer connection on loopback, and CallRelay moves RTP between that and a UDP port pair.
 * The browser always offers and the gateway answers it, once the PBX side has fixed the codec, so
 * the browser sends exactly what the PBX chose and nothing is transcoded.
 */
export class GatewayPeerConnection {
  readonly relay = new CallRelay();
  failure: MediaCauseValue | undefined;
  private signaling: 'stable' | 'have-local-offer' | 'have-remote-offer' | 'closed' = 'stable';
  private local: Description | null = null;
  private remote: Description | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private browserOffer: { sdp: string; codecs: Codec[] } | undefined;
  private pbx: PbxLeg | undefined;
  private leg: BrowserLeg | undefined;
  /** Our numbering written to the PBX (offer codecs, or the answer's choice), the PBX's, the browser's. */
  private ours: Codec[] = [];
  private pbxChoice: Choice | undefined;
  private browserChoice: Choice | undefined;
  private remoteOffer: PlainMedia | undefined;
  private localKey: SdesKey | undefined;
  private remoteKey: Buffer | undefined;
  private readonly sessionId = String(randomInt(1, 2 ** 47));
  private version = 0;
  private readonly log: Logger;

  constructor(
    private readonly browser: BridgedPeerConnection,
    private readonly deps: GatewayDeps,
    private readonly onClose: (pc: GatewayPeerConnection) => void,
  ) {
    this.log = deps.log.child({ module: 'media-gateway', pcId: browser.pcId });
    browser.addEventListener('iceconnectionstatechange', () => {
      if (browser.iceConnectionState === 'failed') this.fail(browser.failure ?? MediaCause.MEDIA_ERROR, new Error('the browser side failed'));
      else this.dispatch('iceconnectionstatechange');
    });
  }

  get pcId(): string {
    return this.browser.pcId;
  }
  get signalingState(): string {
    return this.signaling;
  }
  /** There is no ICE toward the PBX: the local SDP is complete when set, so JsSIP never waits. */
  get iceGatheringState(): string {
    return 'complete';
  }
  get iceConnectionState(): string {
    return this.failure ? 'failed' : this.browser.iceConnectionState;
  }
  get connectionState(): string {
    return this.failure ? 'failed' : this.browser.connectionState;
  }
  get localDescription(): Description | null {
    return this.local;
  }
  get remoteDescription(): Description | null {
    return this.remote;
  }
  /** The PBX leg's counters (RTP in/out, RTCP in, datagrams dropped), for logs and tests. */
  get pbxStats(): PbxLeg['stats'] | undefined {
    return this.pbx?.stats;
  }

  addTrack(track: BridgedTrack): ReturnType<BridgedPeerConnection['addTrack']> {
    return this.browser.addTrack(track);
  }
  getSenders(): ReturnType<BridgedPeerConnection['getSenders']> {
    return this.browser.getSenders();
  }
  getReceivers(): never[] {
    return [];
  }

  async createOffer(): Promise<Description> {
    return this.guard(async () => {
      if (!this.pbx) {
        const browser = await this.browserCodecs();
        this.ours = offerForPbx(browser);
        this.pbx = await this.openPbx(undefined, { address: '0.0.0.0', port: 9, rtcpPort: 9 });
        if (this.deps.offerSrtp()) {
          // Our key (tag 1) goes in every offer of the call; the PBX's key arrives in its answer (rekey).
          const { newSdesKey } = await import('./sdes');
          this.localKey = newSdesKey(1);
        }
      }
      const codecs = this.pbxChoice ? choiceCodecs(asSeenBy(this.pbxChoice, this.ours) ?? this.pbxChoice) : this.ours;
      return { type: 'offer', sdp: this.writeSdp(codecs, 'sendrecv') };
    });
  }

  async createAnswer(): Promise<Description> {
    return this.guard(async () => {
      const offer = this.remoteOffer;
      if (!offer || this.signaling !== 'have-remote-offer') throw new Error('createAnswer without a remote offer');
      if (!this.pbx) {
        const browser = await this.browserCodecs();
        const choice = chooseForOffer(offer, browser);
        this.pbx = await this.openPbx(offer.address, offer);
        if (offer.crypto) {
          const { newSdesKey, SdesCipher } = await import('./sdes');
          this.localKey = newSdesKey(offer.crypto.tag);
          this.pbx.setCipher(new SdesCipher(this.localKey, offer.crypto));
          this.remoteKey = offer.crypto.keySalt;
        }
        await this.connectBrowser(choice);
      } else await this.rekey(offer);
      this.ours = choiceCodecs(this.pbxChoice!);
      this.reroute(offer.direction, true);
      return { type: 'answer', sdp: this.writeSdp(this.ours, answerDirection(offer.direction)) };
    });
  }

  async setLocalDescription(desc: Description): Promise<void> {
    return this.guard(async () => {
      this.local = { type: desc.type, sdp: desc.sdp };
      this.signaling = desc.type === 'offer' ? 'have-local-offer' : 'stable';
    });
  }

  async setRemoteDescription(desc: Description): Promise<void> {
    return this.guard(async () => {
      const media = readPlainSdp(desc.sdp);
      if (media.unusableCrypto) throw new NegotiationError('the PBX wants SRTP with a key suite other than AES_CM_128_HMAC_SHA1_80', true);
      if (desc.type === 'offer') {
        if (this.pbxChoice && !media.codecs.some((c) => c.name.toLowerCase() === this.pbxChoice!.audio.name.toLowerCase())) {
          // Switching codec mid-call would need a new browser negotiation; refuse the re-INVITE instead (488, the call stays).
          throw new Error(`the PBX's new offer drops ${this.pbxChoice.audio.name}`);
        }
        this.remoteOffer = media;
        this.signaling = 'have-remote-offer';
        this.pbx?.retarget(media);
      } else {
        await this.rekey(media);
        const choice = chooseFromAnswer(media, this.ours);
        if (!this.leg) await this.connectBrowser(choice);
        else if (choice.audio.name.toLowerCase() !== this.pbxChoice!.audio.name.toLowerCase()) throw new Error(`the PBX switched to ${choice.audio.name} mid-call`);
        else this.pbxChoice = choice;
        this.pbx!.retarget(media);
        this.signaling = desc.type === 'pranswer' ? 'have-local-offer' : 'stable';
        this.reroute(media.direction, false);
      }
      this.remote = { type: desc.type, sdp: desc.sdp };
    });
  }

  close(): void {
    if (this.signaling === 'closed') return;
    this.signaling = 'closed';
    this.browser.close();
    this.pbx?.close();
    void this.leg?.close();
    this.log.info({ relay: this.relay.stats, pbx: this.pbx?.stats }, 'gateway closed');
    this.onClose(this);
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  /**
   * The browser's offer, made once per call (the gateway answers it when the codec is known). Its
   * codecs are all the PBX side needs, so the INVITE does not wait for the browser's candidates
   * (issue 19: waiting for the end of gathering put ~130 ms before every INVITE); the leg waits
   * for the one it uses in connectBrowser.
   */
  private async browserCodecs(): Promise<Codec[]> {
    if (!this.browserOffer) {
      const offer = await this.browser.createOffer();
      await this.browser.setLocalDescription(offer);
      this.browserOffer = { sdp: offer.sdp, codecs: webrtcAudioCodecs(offer.sdp) };
    }
    return this.browserOffer.codecs;
  }

  /**
   * The browser's offer as it is once it has the candidate the WebRTC leg uses (hasLegCandidate),
   * or once gathering ended without one (the leg then falls back as before). Trickle-less: the
   * leg is given exactly the candidates this SDP lists.
   */
  private browserCandidates(): Promise<string> {
    const current = () => this.browser.localDescription?.sdp ?? this.browserOffer!.sdp;
    const ready = () => this.browser.iceGatheringState === 'complete' || this.signaling === 'closed' || hasLegCandidate(current());
    if (ready()) return Promise.resolve(current());
    return new Promise((resolve) => {
      // The bridged mirror ends every wait by its own deadline (GATHERING_DEADLINE_MS).
      const check = () => {
        if (!ready()) return;
        this.browser.removeEventListener('icegatheringstatechange', check);
        this.browser.removeEventListener('icecandidate', check);
        resolve(current());
      };
      this.browser.addEventListener('icegatheringstatechange', check);
      this.browser.addEventListener('icecandidate', check);
    });
  }

  /** Answers the browser's offer with the PBX's codec (in the browser's numbering) and starts the relay. */
  private async connectBrowser(pbxChoice: Choice): Promise<void> {
    const browserChoice = asSeenBy(pbxChoice, this.browserOffer!.codecs);
    if (!browserChoice) throw new NegotiationError(`the browser cannot send ${pbxChoice.audio.name}`, true);
    this.browserOffer = { ...this.browserOffer!, sdp: await this.browserCandidates() };
    // werift (with its DTLS and X.509 code) is loaded with the first gateway call, not at host start.
    const { BrowserLeg } = await import('./browser-leg');
    const { leg, answerSdp } = await BrowserLeg.answer(
      this.browserOffer!.sdp,
      browserChoice,
      (rtp) => this.relay.fromBrowser(rtp),
      () => this.fail(MediaCause.MEDIA_ERROR, new Error('the WebRTC connection to the browser failed')),
    );
    if (this.signaling === 'closed') {
      await leg.close();
      throw new Error('closed');
    }
    this.leg = leg;
    this.relay.browser = leg;
    this.pbxChoice = pbxChoice;
    this.browserChoice = browserChoice;
    await this.browser.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  }

  /**
   * SDES keys in a later SDP (a re-INVITE, or the answer to ours while the call is SRTP): the
   * PBX may change its key, which then keys what it sends from now on; it may not switch SRTP on
   * or off mid-call, which would mean sending in clear what was encrypted (or the reverse).
   */
  private async rekey(media: PlainMedia): Promise<void> {
    if (!media.crypto !== !this.localKey) {
      const why = media.crypto ? 'the PBX answered with SRTP to a plain RTP offer' : this.remoteKey ? 'the PBX dropped SRTP mid-call' : 'the PBX answered our SRTP offer without a usable key';
      throw new NegotiationError(why, true);
    }
    if (!media.crypto || !this.localKey || !this.pbx) return;
    if (this.remoteKey?.equals(media.crypto.keySalt)) return;
    const { SdesCipher } = await import('./sdes');
    this.pbx.setCipher(new SdesCipher(this.localKey, media.crypto));
    this.remoteKey = media.crypto.keySalt;
  }

  private reroute(remote: Direction, remoteOffered: boolean): void {
    if (!this.pbxChoice || !this.browserChoice) return;
    const ours = asSeenBy(this.pbxChoice, this.ours) ?? this.pbxChoice;
    this.relay.setRoute(routeFor(this.pbxChoice, ours, this.browserChoice, remote, remoteOffered));
  }

  private async openPbx(remoteAddress: string | undefined, remote: { address: string; port: number; rtcpPort: number }): Promise<PbxLeg> {
    const address = await this.deps.localAddress(remoteAddress);
    const pbx = await PbxLeg.open(this.deps.rtpPorts(), address, remote, this.log, (view, datagram) => this.relay.fromPbx(view, datagram));
    if (this.signaling === 'closed') {
      pbx.close();
      throw new Error('closed');
    }
    this.relay.pbx = pbx;
    const cname = `voispeed-${this.sessionId}@${address}`;
    pbx.reportEvery(RTCP_INTERVAL_MS, () => (this.relay.sender ? rtcpReport(this.relay.sender, cname, Date.now()) : undefined));
    return pbx;
  }

  private writeSdp(codecs: Codec[], direction: Direction): string {
    this.version += 1;
    return writePlainSdp({ sessionId: this.sessionId, version: this.version, address: this.pbx!.address, port: this.pbx!.port, codecs, direction, ...(this.localKey ? { crypto: this.localKey } : {}) });
  }

  /** A failure the call cannot survive is reported the way a browser reports it (JsSIP then ends the call). */
  private async guard<T>(op: () => Promise<T>): Promise<T> {
    if (this.signaling === 'closed') throw new Error('the peer connection is closed');
    try {
      return await op();
    } catch (err) {
      // Only a call that never got its media ends for "no codec": a refused re-INVITE leaves the call as it was.
      if (err instanceof NegotiationError && err.noCodec && !this.leg) this.failure ??= MediaCause.NO_CODEC;
      this.log.warn({ err: String((err as Error)?.message ?? err) }, 'media gateway negotiation failed');
      throw err;
    }
  }

  private fail(cause: MediaCauseValue, err: unknown): void {
    if (this.signaling === 'closed') return;
    this.log.warn({ err: String((err as Error)?.message ?? err) }, 'media gateway failed');
    this.failure ??= cause;
    this.dispatch('iceconnectionstatechange');
  }

  private dispatch(type: string): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) {
      try {
        l({ type });
      } catch (err) {
        this.log.warn({ err }, `${type} listener failed`);
      }
    }
  }
}
