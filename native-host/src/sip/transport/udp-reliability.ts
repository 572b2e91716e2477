import { peekSip } from './sip-peek';

/** RFC 3261 17.1.1.1 timer values (the same JsSIP uses). */
export const T1 = 500;
export const T2 = 4000;
export const TRANSACTION_MS = 64 * T1;

/**
 * What JsSIP 3.13 leaves to an unreliable transport (it was written for WebSocket), and only that
 * (node_modules/jssip/lib/Transactions.js, RTCSession.js):
 * - Timer A (INVITE) and Timer E (non-INVITE, CANCEL): JsSIP sends a request once. Retransmitted
 *   here until a response (INVITE: any; others: a final one; a provisional slows E to T2), up to
 *   64·T1 (JsSIP's own Timers B/F then end the transaction).
 * - Timer D: JsSIP drops an INVITE client transaction right after ACKing a non-2xx final
 *   (TIMER_D = 0), so a retransmission of that final response finds nothing; the ACK is kept
 *   here and sent again.
 * - Timer G: for a non-2xx final answer to an incoming INVITE JsSIP sends it once and, in
 *   "completed", swallows the INVITE's retransmissions; it is retransmitted here until the ACK.
 * - Timer J: JsSIP forgets a non-INVITE server transaction at once (TIMER_J = 0), so a
 *   retransmitted BYE/NOTIFY/OPTIONS would be handled twice; its final response is kept here and
 *   answers the retransmission, which JsSIP never sees.
 * Already in JsSIP: the 2xx to an INVITE retransmitted until the ACK and a BYE when none comes
 * (RTCSession _setInvite2xxTimer/_setACKTimer = Timers G/H for 2xx), the ACK re-sent for a
 * retransmitted 2xx, and absorbing a retransmitted INVITE or non-INVITE request while its
 * transaction is still open.
 */
export class UdpReliability {
  /** Requests we sent and retransmit: key `${branch} ${method}`. */
  private readonly retransmitting = new Map<string, { timer: NodeJS.Timeout; stop: NodeJS.Timeout; interval: number; text: string; invite: boolean }>();
  /** Answers kept for retransmissions: ACKs we sent for non-2xx finals, final responses we sent. */
  private readonly kept = new Map<string, { text: string; expiry: NodeJS.Timeout; timerG?: NodeJS.Timeout }>();
  retransmissions = 0;
  absorbed = 0;

  constructor(
    private readonly send: (text: string) => void,
    /** Told of each retransmission (the socket logs it: on a good path there are none). */
    private readonly onRetransmit: (text: string) => void = () => undefined,
    /**
     * A request got no response at all within 64·T1: the server is not answering (RFC 3263 4.3:
     * try the next target). A response of any kind, even to another request, proves it alive.
     */
    private readonly onNoAnswer: (text: string) => void = () => undefined,
  ) {}
  /** Responses received since the socket opened: a server that answers anything is not dead. */
  private answered = 0;

  /** Every message JsSIP sends goes through here after it is sent. */
  sent(text: string): void {
    const m = peekSip(text);
    if (!m) return;
    if (m.method !== undefined) {
      if (m.method === 'ACK') {
        // An ACK on the INVITE's own branch answers a non-2xx final (RFC 3261 17.1.1.3).
        this.keep(`${m.branch} ACK`, text, TRANSACTION_MS);
        return;
      }
      this.retransmit(`${m.branch} ${m.method}`, text, m.method === 'INVITE');
      return;
    }
    if (m.status === undefined || m.status < 200) return;
    if (m.cseqMethod === 'INVITE') {
      if (m.status >= 300) this.keep(`${m.branch} INVITE`, text, TRANSACTION_MS, true);
      return;
    }
    this.keep(`${m.branch} ${m.cseqMethod}`, text, TRANSACTION_MS);
  }

  /** Every message received; false when it was a retransmission answered here (JsSIP must not see it). */
  received(text: string): boolean {
    const m = peekSip(text);
    if (!m) return true;
    if (m.status !== undefined) {
      this.answered += 1;
      const key = `${m.branch} ${m.cseqMethod}`;
      const pending = this.retransmitting.get(key);
      if (pending && (pending.invite || m.status >= 200)) this.stopRetransmitting(key);
      else if (pending && m.status < 200) pending.interval = T2;
      if (m.cseqMethod === 'INVITE' && m.status >= 300) {
        const ack = this.kept.get(`${m.branch} ACK`);
        if (ack) {
          this.send(ack.text);
          this.absorbed += 1;
          return false;
        }
      }
      return true;
    }
    if (m.method === 'ACK') {
      // The ACK for a non-2xx final we sent: stop Timer G (JsSIP ignores this ACK itself).
      const final = this.kept.get(`${m.branch} INVITE`);
      if (final?.timerG) {
        clearTimeout(final.timerG);
        delete final.timerG;
      }
      return true;
    }
    const answer = this.kept.get(`${m.branch} ${m.method}`);
    if (answer) {
      this.send(answer.text);
      this.absorbed += 1;
      return false;
    }
    return true;
  }

  /** The socket closed: nothing is retransmitted over a new one (JsSIP starts new transactions). */
  reset(): void {
    for (const key of [...this.retransmitting.keys()]) this.stopRetransmitting(key);
    for (const k of this.kept.values()) {
      clearTimeout(k.expiry);
      if (k.timerG) clearTimeout(k.timerG);
    }
    this.kept.clear();
  }

  get active(): number {
    return this.retransmitting.size;
  }

  private retransmit(key: string, text: string, invite: boolean): void {
    this.stopRetransmitting(key);
    const answeredBefore = this.answered;
    const entry = {
      text,
      invite,
      interval: T1,
      timer: undefined as unknown as NodeJS.Timeout,
      stop: setTimeout(() => {
        this.stopRetransmitting(key);
        if (this.answered === answeredBefore) this.onNoAnswer(text);
      }, TRANSACTION_MS),
    };
    const fire = () => {
      this.send(entry.text);
      this.retransmissions += 1;
      this.onRetransmit(entry.text);
      // Timer A doubles without a cap; Timer E doubles up to T2 (RFC 3261 17.1.1.2, 17.1.2.2).
      entry.interval = invite ? entry.interval * 2 : Math.min(entry.interval * 2, T2);
      entry.timer = setTimeout(fire, entry.interval);
    };
    entry.timer = setTimeout(fire, T1);
    this.retransmitting.set(key, entry);
  }

  private stopRetransmitting(key: string): void {
    const entry = this.retransmitting.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    clearTimeout(entry.stop);
    this.retransmitting.delete(key);
  }

  private keep(key: string, text: string, ms: number, timerG = false): void {
    const old = this.kept.get(key);
    if (old) {
      clearTimeout(old.expiry);
      if (old.timerG) clearTimeout(old.timerG);
    }
    const entry: { text: string; expiry: NodeJS.Timeout; timerG?: NodeJS.Timeout } = {
      text,
      expiry: setTimeout(() => {
        if (entry.timerG) clearTimeout(entry.timerG);
        this.kept.delete(key);
      }, ms),
    };
    if (timerG) {
      let interval = T1;
      const fire = () => {
        this.send(text);
        this.retransmissions += 1;
        this.onRetransmit(text);
        interval = Math.min(interval * 2, T2);
        entry.timerG = setTimeout(fire, interval);
      };
      entry.timerG = setTimeout(fire, interval);
    }
    this.kept.set(key, entry);
  }
}
