import type dgram from 'node:dgram';
import type { Logger } from '../log';
import { Latch, type Endpoint } from './latch';
import { bindPair, type PortRange } from './port-range';
import { looksLikeRtcp, MAX_DATAGRAM, readRtp, type RtpView } from './rtp-packet';
import type { SdesCipher } from './sdes';

export interface PbxLegStats {
  rtpIn: number;
  rtpOut: number;
  rtcpIn: number;
  dropped: number;
}

/**
 * The gateway's plain side: one UDP port pair from the configured range facing the PBX. Incoming
 * datagrams are checked (size, RTP shape, SRTP tag when keyed) and latched (symmetric RTP) before
 * `onRtp` sees them; anything else is dropped and counted. RTCP from the PBX is checked, counted
 * and latched, not forwarded: the WebRTC side has its own RTCP from werift, and the PBX's reports
 * describe a hop the browser is not on. Toward the PBX go the gateway's own reports (rtcp-report.ts).
 */
export class PbxLeg {
  readonly stats: PbxLegStats = { rtpIn: 0, rtpOut: 0, rtcpIn: 0, dropped: 0 };
  private readonly latch: Latch;
  private rtcpTarget: Endpoint;
  private cipher: SdesCipher | undefined;
  private closed = false;
  private reportTimer: NodeJS.Timeout | undefined;
  /** RTCP on the RTP port (a=rtcp-mux in the PBX's SDP). */
  private rtcpMux: boolean;
  /** RTCP has come from the PBX: reports go back to that source. */
  private rtcpLatched = false;

  private constructor(
    private readonly rtp: dgram.Socket,
    private readonly rtcp: dgram.Socket,
    readonly port: number,
    readonly address: string,
    remote: { address: string; port: number; rtcpPort: number },
    private readonly log: Logger,
    private readonly onRtp: (view: RtpView, datagram: Buffer) => void,
  ) {
    this.latch = new Latch({ address: remote.address, port: remote.port }, (ignored, from, latched) =>
      this.log.warn({ ignored, from: `${from.address}:${from.port}`, latched: `${latched.address}:${latched.port}` }, 'RTP from an unexpected source ignored'),
    );
    this.rtcpTarget = { address: remote.address, port: remote.rtcpPort };
    this.rtcpMux = remote.rtcpPort === remote.port;
    rtp.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    rtcp.on('message', (msg, rinfo) => this.onRtcp(msg, rinfo));
    for (const s of [rtp, rtcp]) s.on('error', (err) => this.log.warn({ err }, 'PBX media socket'));
  }

  static async open(range: PortRange, address: string, remote: { address: string; port: number; rtcpPort: number }, log: Logger, onRtp: (view: RtpView, datagram: Buffer) => void): Promise<PbxLeg> {
    const pair = await bindPair(range, address);
    return new PbxLeg(pair.rtp, pair.rtcp, pair.port, address, remote, log, onRtp);
  }

  /** SDES keys for both directions (RTP/SAVP), or none (RTP/AVP). */
  setCipher(cipher: SdesCipher | undefined): void {
    this.cipher = cipher;
  }

  /**
   * A new SDP from the PBX. Moved media (another address or port than its last SDP said): send
   * there, and latch again on its next RTP. The same address (a session refresh, hold): the latch
   * stays, so a PBX behind NAT is not sent to its unreachable SDP address in between.
   */
  retarget(remote: { address: string; port: number; rtcpPort: number }): void {
    const before = this.latch.signalledTo;
    if (before.address === remote.address && before.port === remote.port) return;
    this.latch.reset({ address: remote.address, port: remote.port });
    this.rtcpTarget = { address: remote.address, port: remote.rtcpPort };
    this.rtcpMux = remote.rtcpPort === remote.port;
    this.rtcpLatched = false;
  }

  get target(): Endpoint {
    return this.latch.target();
  }

  private onDatagram(msg: Buffer, from: dgram.RemoteInfo): void {
    if (this.closed) return;
    if (msg.length > MAX_DATAGRAM) {
      this.stats.dropped += 1;
      return;
    }
    // rtcp-mux (RFC 5761): the second byte tells RTCP apart, even encrypted (SRTCP keeps its header clear).
    if (looksLikeRtcp(msg)) {
      this.onRtcp(msg, from);
      return;
    }
    const plain = this.cipher ? this.cipher.unprotect(msg) : msg;
    const view = plain ? readRtp(plain) : undefined;
    if (!plain || !view) {
      this.stats.dropped += 1;
      return;
    }
    if (!this.latch.accept({ address: from.address, port: from.port })) {
      this.stats.dropped += 1;
      return;
    }
    this.stats.rtpIn += 1;
    this.onRtp(view, plain);
  }

  private onRtcp(msg: Buffer, from: dgram.RemoteInfo): void {
    if (this.closed || msg.length > MAX_DATAGRAM) return;
    const plain = this.cipher ? this.cipher.unprotectRtcp(msg) : msg;
    if (!plain || !looksLikeRtcp(plain)) {
      this.stats.dropped += 1;
      return;
    }
    this.stats.rtcpIn += 1;
    // Symmetric RTCP, like RTP: reports go where the PBX's come from, once its RTP has latched.
    if (this.latch.isLatched() && this.latch.target().address === from.address) {
      this.rtcpTarget = { address: from.address, port: from.port };
      this.rtcpLatched = true;
    }
  }

  /** Sends `report()` (when it has one) to the PBX's RTCP port every `ms` until closed. */
  reportEvery(ms: number, report: () => Buffer | undefined): void {
    clearInterval(this.reportTimer);
    this.reportTimer = setInterval(() => {
      const r = report();
      if (r) this.sendRtcp(r);
    }, ms);
    this.reportTimer.unref();
  }

  /** Sends one plain RTP datagram to the PBX (encrypted first when keyed). */
  send(rtp: Buffer): void {
    if (this.closed) return;
    const out = this.cipher ? this.cipher.protect(rtp) : rtp;
    const to = this.latch.target();
    this.stats.rtpOut += 1;
    this.rtp.send(out, to.port, to.address);
  }

  /** Sends one RTCP compound packet to the PBX's RTCP port. */
  sendRtcp(rtcp: Buffer): void {
    if (this.closed) return;
    const out = this.cipher ? this.cipher.protectRtcp(rtcp) : rtcp;
    const to = this.rtcpDestination();
    (this.rtcpMux ? this.rtp : this.rtcp).send(out, to.port, to.address);
  }

  /**
   * Where reports go: back to the PBX's own RTCP source once seen; else beside its latched RTP
   * (the same port with rtcp-mux, the next one without: a PBX behind NAT is reached where its
   * media really is); else the SDP's RTCP address.
   */
  private rtcpDestination(): Endpoint {
    if (this.rtcpLatched) return this.rtcpTarget;
    if (this.latch.isLatched()) {
      const rtp = this.latch.target();
      return this.rtcpMux ? rtp : { address: rtp.address, port: rtp.port + 1 };
    }
    return this.rtcpMux ? this.latch.target() : this.rtcpTarget;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.reportTimer);
    for (const s of [this.rtp, this.rtcp]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
  }
}
