/**
 * Per-key limits on page-initiated calls. Pages cannot fake a trusted click, but a double click,
 * a stuck mouse or a misbehaving frame must not turn into a burst of calls.
 */
export interface RateLimitOptions {
  /** Minimum time between two accepted requests of one key. */
  minIntervalMs: number;
  /** The same value again within this window is a duplicate. */
  duplicateWindowMs: number;
  /** At most this many per key in any rolling minute. */
  perMinute: number;
  now?: () => number;
}

export type RateVerdict = { ok: true } | { ok: false; why: 'duplicate' | 'too-fast' | 'too-many' };

export class RateLimiter {
  private readonly seen = new Map<string, { at: number; value: string }[]>();
  private readonly now: () => number;

  constructor(private readonly o: RateLimitOptions) {
    this.now = o.now ?? Date.now;
  }

  check(key: string, value: string): RateVerdict {
    const now = this.now();
    const recent = (this.seen.get(key) ?? []).filter((e) => now - e.at < 60_000);
    const last = recent[recent.length - 1];
    let verdict: RateVerdict = { ok: true };
    if (recent.some((e) => e.value === value && now - e.at < this.o.duplicateWindowMs)) verdict = { ok: false, why: 'duplicate' };
    else if (last && now - last.at < this.o.minIntervalMs) verdict = { ok: false, why: 'too-fast' };
    else if (recent.length >= this.o.perMinute) verdict = { ok: false, why: 'too-many' };
    if (verdict.ok) recent.push({ at: now, value });
    if (recent.length) this.seen.set(key, recent);
    else this.seen.delete(key);
    // Keys of closed tabs would otherwise pile up in a long-lived background.
    if (this.seen.size > 500) for (const k of [...this.seen.keys()].slice(0, 250)) this.seen.delete(k);
    return verdict;
  }
}
