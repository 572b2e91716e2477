import type { BrowserRtp } from './browser-leg';
import { writeRtp, type RtpView } from './rtp-packet';
import type { SenderState } from './rtcp-report';
import { StreamContinuity } from './stream-continuity';

/** Where a packet goes next: the two legs as the relay sees them (small, so tests and the bench can fake them). */
export interface ToBrowser {
  send(h: { pt: number; marker: boolean; seq: number; timestamp: number }, payload: Buffer): void;
}
export interface ToPbx {
  send(rtp: Buffer): void;
}

/** The negotiated route of one call: payload types each way and which ways are open (hold). */
export interface Route {
  /** PBX payload type → browser payload type; a type not here is dropped. */
  fromPbx: Map<number, number>;
  /** Browser payload type → PBX payload type. */
  toPbx: Map<number, number>;
  toBrowserOpen: boolean;
  toPbxOpen: boolean;
  /** Timestamp units per 20 ms of the audio codec (160 for G.711, 960 for Opus). */
  frameTicks: number;
}

export interface RelayStats {
  toBrowser: number;
  toPbx: number;
  unmapped: number;
}

/**
 * Moves RTP between the legs without touching the audio: only the payload type is renumbered for
 * the other side (telephone-event is 126 in Chromium, 101 at most PBXs), and the browser-bound
 * stream is kept continuous across PBX source changes. The browser's own stream is already
 * continuous, so its SSRC, sequence and timestamp go to the PBX as they are (its RTCP, were it
 * forwarded, would then still describe the stream the PBX receives).
 */
export class CallRelay {
  readonly stats: RelayStats = { toBrowser: 0, toPbx: 0, unmapped: 0 };
  private route: Route | undefined;
  private continuity: StreamContinuity | undefined;
  browser: ToBrowser | undefined;
  pbx: ToPbx | undefined;
  /** What went to the PBX, for the RTCP sender reports (undefined until the first packet). */
  sender: SenderState | undefined;

  setRoute(route: Route): void {
    if (!this.continuity || this.route?.frameTicks !== route.frameTicks) this.continuity = new StreamContinuity(route.frameTicks);
    this.route = route;
  }

  fromPbx(view: RtpView, datagram: Buffer): void {
    const route = this.route;
    if (!route?.toBrowserOpen || !this.browser) return;
    const pt = route.fromPbx.get(view.pt);
    if (pt === undefined) {
      this.stats.unmapped += 1;
      return;
    }
    const { seq, timestamp } = this.continuity!.next(view.ssrc, view.seq, view.timestamp);
    this.stats.toBrowser += 1;
    this.browser.send({ pt, marker: view.marker, seq, timestamp }, datagram.subarray(view.payloadOffset, view.payloadEnd));
  }

  fromBrowser(rtp: BrowserRtp): void {
    const route = this.route;
    if (!route?.toPbxOpen || !this.pbx) return;
    const pt = route.toPbx.get(rtp.pt);
    if (pt === undefined) {
      this.stats.unmapped += 1;
      return;
    }
    this.stats.toPbx += 1;
    const s = (this.sender ??= { ssrc: rtp.ssrc, packets: 0, octets: 0, lastTimestamp: 0, lastSentAtMs: 0, clockRate: route.frameTicks * 50 });
    s.ssrc = rtp.ssrc;
    s.packets += 1;
    s.octets += rtp.payload.length;
    s.lastTimestamp = rtp.timestamp;
    s.lastSentAtMs = Date.now();
    // Header extensions (mid, audio level) are WebRTC's: a plain PBX gets a bare 12-byte header.
    this.pbx.send(writeRtp({ pt, marker: rtp.marker, seq: rtp.seq, timestamp: rtp.timestamp, ssrc: rtp.ssrc }, rtp.payload));
  }
}
