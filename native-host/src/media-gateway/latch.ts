/**
 * Symmetric RTP (RFC 4961 practice, "latching"): the PBX's media is sent to where its RTP really
 * comes from, not only to the address in its SDP, so a PBX behind NAT or with several interfaces
 * still hears us. The first valid RTP from any source latches; after that, packets from any other
 * source are ignored (a stray or spoofed stream must not hijack the call), reported at most once
 * per interval. A new remote SDP (re-INVITE) unlatches.
 */
export interface Endpoint {
  address: string;
  port: number;
}

export class Latch {
  private latched: Endpoint | undefined;
  private ignored = 0;
  private lastReport = -Infinity;

  constructor(
    private signalled: Endpoint,
    private readonly report: (ignored: number, from: Endpoint, latched: Endpoint) => void,
    private readonly now: () => number = Date.now,
    private readonly reportEveryMs = 5000,
  ) {}

  /** Where to send: the latched source, else the SDP's address. */
  target(): Endpoint {
    return this.latched ?? this.signalled;
  }

  isLatched(): boolean {
    return this.latched !== undefined;
  }

  /** The address the PBX's SDP names (what a new SDP is compared with). */
  get signalledTo(): Endpoint {
    return this.signalled;
  }

  /** The remote SDP changed: send there, and latch again on the next RTP. */
  reset(signalled: Endpoint): void {
    this.signalled = signalled;
    this.latched = undefined;
  }

  /** Whether a valid RTP packet from `from` is accepted (and latches when nothing is latched yet). */
  accept(from: Endpoint): boolean {
    if (!this.latched) {
      this.latched = { address: from.address, port: from.port };
      return true;
    }
    if (this.latched.address === from.address && this.latched.port === from.port) return true;
    this.ignored += 1;
    const t = this.now();
    if (t - this.lastReport >= this.reportEveryMs) {
      this.lastReport = t;
      this.report(this.ignored, from, this.latched);
      this.ignored = 0;
    }
    return false;
  }
}
