/**
 * The spare peer connection for the next outgoing call (issue 19): made ahead (offer set as local
 * description, candidates gathered), announced to the host, taken by one call at most. This file
 * is only its life cycle; making, announcing and closing one are the engine's (engine.ts).
 *
 * - `warm()` (the popup opening, a press on Call, any call's end) keeps one ready for WARM_MS; a call taking it
 *   makes the next one REMAKE_MS later (after that call's own ICE and DTLS set-up, ~50 ms after
 *   the click on this machine, so the two do not compete), or when that call ends if sooner, as
 *   long as it is still warm.
 * - Not taken within WARM_MS, it is withdrawn (the host stops offering it to calls) and closed
 *   GRACE_MS later: a claim already on its way still finds it, so a call never loses its offer.
 * - Making one never opens the microphone: the spare has no track until a call takes it.
 */
export const WARM_MS = 60_000;
export const REMAKE_MS = 150;
export const GRACE_MS = 10_000;

export interface SparesDeps<T> {
  /** A new spare under this id, its offer set and gathered; rejects if it cannot be made. */
  make(spareId: string): Promise<T>;
  /** Tells the host it may claim this spare (again, for a host that attached since). */
  announce(spareId: string, spare: T): void;
  /**
   * Whether a call could use a spare now: the microphone opened at least once in this engine. A
   * spare's offer goes out before the microphone is asked for, so where it is refused or missing
   * the call would leave and then fail; the old path says why and sends nothing. Until then a
   * spare is made but not announced; `reannounce()` when it becomes true.
   */
  mayAnnounce(): boolean;
  /** Tells the host it may not claim this spare any more. */
  withdraw(spareId: string, spare: T): void;
  /** Closes a spare no call took. */
  discard(spare: T): void;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  log(message: string, err?: unknown): void;
}

export class Spares<T> {
  private counter = 0;
  /** The one being made (no `spare` yet) or ready to be claimed. */
  private current: { id: string; spare?: T; announced?: boolean } | undefined;
  private readonly leaving = new Map<string, { spare: T; timer: unknown }>();
  private warmUntil = 0;
  private expiry: unknown;
  private remake: unknown;

  constructor(private readonly deps: SparesDeps<T>) {}

  /** Someone is about to call: have a spare ready, and keep one for WARM_MS from now. */
  warm(): void {
    this.warmUntil = this.deps.now() + WARM_MS;
    this.deps.clearTimer(this.expiry);
    this.expiry = this.deps.setTimer(() => this.expire(), WARM_MS);
    if (!this.current) this.makeOne();
    // Made while no call could use it (mayAnnounce), and now one could.
    else if (this.current.spare !== undefined && !this.current.announced && this.deps.mayAnnounce()) this.announce(this.current);
  }

  /** The spare named `spareId`, removed for good (never used twice); undefined if there is none by that name. */
  claim(spareId: string): T | undefined {
    const current = this.current;
    if (current?.id === spareId && current.spare !== undefined) {
      this.current = undefined;
      if (this.deps.now() < this.warmUntil) {
        this.deps.clearTimer(this.remake);
        this.remake = this.deps.setTimer(() => {
          this.remake = undefined;
          if (!this.current && this.deps.now() < this.warmUntil) this.makeOne();
        }, REMAKE_MS);
      }
      return current.spare;
    }
    const leaving = this.leaving.get(spareId);
    if (!leaving) return undefined;
    this.deps.clearTimer(leaving.timer);
    this.leaving.delete(spareId);
    return leaving.spare;
  }

  /**
   * A call that took a spare ended: the next one is made now rather than at REMAKE_MS (nothing
   * competes with it any more), so a call placed right after the last one finds it ready.
   */
  callEnded(): void {
    if (this.remake === undefined || this.current || this.deps.now() >= this.warmUntil) return;
    this.deps.clearTimer(this.remake);
    this.remake = undefined;
    this.makeOne();
  }

  /** A host attached: it knows of no spare yet. */
  reannounce(): void {
    if (this.current?.spare !== undefined && this.deps.mayAnnounce()) this.announce(this.current);
  }

  private announce(current: { id: string; spare?: T; announced?: boolean }): void {
    current.announced = true;
    this.deps.announce(current.id, current.spare as T);
  }

  /** Everything closes now (the host is gone, the engine closes all). */
  closeAll(): void {
    this.warmUntil = 0;
    this.deps.clearTimer(this.expiry);
    this.deps.clearTimer(this.remake);
    const current = this.current;
    this.current = undefined;
    if (current?.spare !== undefined) {
      this.deps.withdraw(current.id, current.spare);
      this.deps.discard(current.spare);
    }
    for (const [id, l] of [...this.leaving]) {
      this.deps.clearTimer(l.timer);
      this.leaving.delete(id);
      this.deps.discard(l.spare);
    }
  }

  /** For diagnostics and tests: the spare made and waiting for a call, announced or not. */
  get readyId(): string | undefined {
    return this.current?.spare !== undefined ? this.current.id : undefined;
  }

  /** For diagnostics and tests: the spare the host was told it may claim. */
  get announcedId(): string | undefined {
    return this.current?.spare !== undefined && this.current.announced ? this.current.id : undefined;
  }

  private makeOne(): void {
    this.counter += 1;
    const id = `spare-${this.counter}`;
    this.current = { id };
    this.deps.make(id).then(
      (spare) => {
        if (this.current?.id !== id) {
          // Expired or closed while it was being made.
          this.deps.discard(spare);
          return;
        }
        this.current = { id, spare };
        if (this.deps.mayAnnounce()) this.announce(this.current);
      },
      (err: unknown) => {
        if (this.current?.id === id) this.current = undefined;
        this.deps.log('cannot prepare a peer connection ahead; calls make their own', err);
      },
    );
  }

  private expire(): void {
    this.expiry = undefined;
    const current = this.current;
    this.current = undefined;
    if (current?.spare === undefined) return;
    this.deps.withdraw(current.id, current.spare);
    const spare = current.spare;
    const timer = this.deps.setTimer(() => {
      this.leaving.delete(current.id);
      this.deps.discard(spare);
    }, GRACE_MS);
    this.leaving.set(current.id, { spare, timer });
  }
}
