/** The slice of a JsSIP RTCSession holding needs. */
export interface HoldableSession {
  hold(options?: object, done?: () => void): boolean;
  unhold(options?: object, done?: () => void): boolean;
  isOnHold(): { local: boolean; remote: boolean };
  isEstablished(): boolean;
  isEnded(): boolean;
}

export interface HoldIntentOptions {
  /** How often to try again while another re-INVITE (the far end's, say) is in flight. */
  retryMs?: number;
  /** Give up after this long: the call stays as it is, and the log says so. */
  giveUpMs?: number;
  onGiveUp?: (wanted: boolean) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
}

/**
 * Hold and Resume pressed while a re-INVITE is still in flight: JsSIP refuses a second offer until
 * the first completes (hold() returns false), so a quick Hold → Resume was answered "cannot be
 * resumed right now" and the call stayed on hold. The user's last wish is kept instead and sent
 * as soon as the session can re-offer: at once when our own re-INVITE completes, else at the next
 * retry (the far end's re-INVITE gives no completion event).
 */
export class HoldIntent {
  private wanted: boolean | undefined;
  private timer: unknown;
  private started = 0;
  private readonly o: Required<Omit<HoldIntentOptions, 'onGiveUp'>> & Pick<HoldIntentOptions, 'onGiveUp'>;

  constructor(
    private readonly session: HoldableSession,
    options: HoldIntentOptions = {},
  ) {
    this.o = {
      retryMs: 50,
      giveUpMs: 10_000,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      now: Date.now,
      ...options,
    };
  }

  /** False only when the call cannot be held or resumed at all (not answered, ended). */
  request(hold: boolean): boolean {
    if (!this.session.isEstablished() || this.session.isEnded()) return false;
    this.wanted = hold;
    this.started = this.o.now();
    this.apply();
    return true;
  }

  /** The call ended: nothing more to send. */
  dispose(): void {
    this.wanted = undefined;
    this.stopTimer();
  }

  private apply(): void {
    const hold = this.wanted;
    if (hold === undefined) return;
    if (this.session.isEnded()) return this.dispose();
    if (this.session.isOnHold().local === hold) {
      // Already there, or the re-INVITE in flight is taking it there.
      this.wanted = undefined;
      this.stopTimer();
      return;
    }
    const done = () => this.apply();
    if (hold ? this.session.hold({}, done) : this.session.unhold({}, done)) {
      this.wanted = undefined;
      this.stopTimer();
      return;
    }
    if (this.o.now() - this.started >= this.o.giveUpMs) {
      this.wanted = undefined;
      this.stopTimer();
      this.o.onGiveUp?.(hold);
      return;
    }
    if (this.timer === undefined) {
      this.timer = this.o.setTimer(() => {
        this.timer = undefined;
        this.apply();
      }, this.o.retryMs);
    }
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.o.clearTimer(this.timer);
    this.timer = undefined;
  }
}
