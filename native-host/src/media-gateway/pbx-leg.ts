import type dgram from 'node:dgram';
import type { Logger } from '../log';
import { Latch, type Endpoint } from './latch';
import { bindPair, type PortRange } from './port-range';
import { MAX_DATAGRAM, readRtp, type RtpView } from './rtp-packet';
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
 * `onRtp` sees them; anything else is dropped and counted. RTCP from the PBX is read and counted:
 * the WebRTC side has its own RTCP from werift, and the browser's reports describe a different hop.
 */
export class PbxLeg {
  readonly stats: PbxLegStats = { rtpIn: 0, rtpOut: 0, rtcpIn: 0, dropped: 0 };
  private readonly latch: Latch;
  private rtcpTarget: Endpoint;
  private cipher: SdesCipher | undefined;
  private closed = false;

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
    rtp.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    rtcp.on('message', (msg) => this.onRtcp(msg));
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

  /** The PBX moved its media (re-INVITE): send there, and latch again on its next RTP. */
  retarget(remote: { address: string; port: number; rtcpPort: number }): void {
    const now = this.latch.target();
    if (now.address === remote.address && now.port === remote.port && !this.latch.isLatched()) return;
    this.latch.reset({ address: remote.address, port: remote.port });
    this.rtcpTarget = { address: remote.address, port: remote.rtcpPort };
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

  private onRtcp(msg: Buffer): void {
    if (this.closed || msg.length > MAX_DATAGRAM) return;
    this.stats.rtcpIn += 1;
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
    this.rtcp.send(out, this.rtcpTarget.port, this.rtcpTarget.address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [this.rtp, this.rtcp]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
  }
}
