import { MAX_COLLEAGUES, type Colleague, type ColleagueLamp, type ColleaguesView } from '../../../shared/protocol/colleagues';
import type { Logger } from '../log';
import { callerOf, DialogBook, lampOf } from './colleague-lamp';
import { DialogInfoError, parseDialogInfo, type DialogEntry } from './dialog-info';

/**
 * The part of a JsSIP Subscriber this file uses (sip/ owns JsSIP; a structural type keeps it so,
 * and lets the unit tests drive it with a fake). The same for every transport: JsSIP's
 * ua.subscribe() over WebSocket or over the direct SIP socket.
 */
export interface SubscriptionLike {
  on(event: 'active' | 'accepted', listener: () => void): unknown;
  on(event: 'notify', listener: (isFinal: boolean, request: unknown, body: string | undefined, contentType: string | undefined) => void): unknown;
  on(event: 'terminated', listener: (code: number, reason: string | undefined, retryAfter: number | undefined) => void): unknown;
  removeAllListeners(): unknown;
  subscribe(): void;
  terminate(): void;
}

export interface SubscribingUa {
  subscribe(target: string, eventName: string, accept: string, options: { expires: number }): SubscriptionLike;
}

export interface ColleagueWatchDeps {
  log: Logger;
  onChange(view: ColleaguesView): void;
  now?: () => number;
  /** Delay before watching a colleague again after its subscription ended (attempt 1, 2, …). */
  retryDelayMs?: (attempt: number) => number;
  /** Subscription lifetime asked for; JsSIP refreshes it before it runs out. */
  expiresS?: number;
}

interface Entry {
  ext: string;
  book: DialogBook;
  lamp: ColleagueLamp;
  since: number;
  ringing?: DialogEntry | undefined;
  sub?: SubscriptionLike | undefined;
  retry?: ReturnType<typeof setTimeout> | undefined;
  attempt: number;
}

/** 1 s, 2 s, 4 s … up to a minute, with jitter so a hundred watches do not return in one burst. */
export function defaultRetryDelay(attempt: number): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.min(attempt - 1, 6));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/**
 * Colleagues' lamps (issue 17): one `dialog` subscription per watched extension while registered.
 * A subscription that ends (481 after a PBX restart, a final NOTIFY, a timeout) is retried with
 * backoff; a new registration (re-registration after a lost connection, a new account) starts
 * every watch afresh, so the lamps come back after a PBX restart without waiting for a refresh.
 */
export class ColleagueWatch {
  private entries = new Map<string, Entry>();
  private requested = 0;
  private ua: SubscribingUa | undefined;
  private domain: string | undefined;
  private readonly now: () => number;
  private readonly retryDelay: (attempt: number) => number;
  private readonly log: Logger;

  constructor(private readonly deps: ColleagueWatchDeps) {
    this.now = deps.now ?? Date.now;
    this.retryDelay = deps.retryDelayMs ?? defaultRetryDelay;
    this.log = deps.log.child({ module: 'colleagues' });
  }

  view(): ColleaguesView {
    const colleagues: Colleague[] = [...this.entries.values()].map((e) => {
      const caller = e.lamp === 'ringing' ? callerOf(e.ringing) : undefined;
      return { ext: e.ext, lamp: e.lamp, since: e.since, ...(caller ? { caller } : {}) };
    });
    return { colleagues, requested: this.requested };
  }

  /** The dialog a pick-up of `ext` would take over, while it rings. */
  ringingDialog(ext: string): DialogEntry | undefined {
    const e = this.entries.get(ext);
    return e?.lamp === 'ringing' ? e.ringing : undefined;
  }

  /** The list from the options: new extensions are watched, removed ones unsubscribed. */
  setExtensions(exts: readonly string[]): void {
    const wanted = [...new Set(exts)];
    this.requested = wanted.length;
    const kept = wanted.slice(0, MAX_COLLEAGUES);
    const next = new Map<string, Entry>();
    for (const ext of kept) {
      const old = this.entries.get(ext);
      if (old) next.set(ext, old);
      else next.set(ext, { ext, book: new DialogBook(), lamp: 'unknown', since: this.now(), attempt: 0 });
    }
    for (const [ext, e] of this.entries) if (!next.has(ext)) this.drop(e, true);
    this.entries = next;
    for (const e of this.entries.values()) if (!e.sub && !e.retry) this.watch(e);
    this.emit();
  }

  /**
   * Registered (a UA and its domain) or not (undefined). Each call with a UA restarts every watch:
   * it comes after a (re-)registration, when the PBX may have forgotten our subscriptions.
   */
  setRegistered(ua: SubscribingUa | undefined, domain?: string): void {
    this.ua = ua;
    this.domain = domain;
    for (const e of this.entries.values()) {
      // Un-SUBSCRIBE the old watch: a PBX that still knows it would otherwise NOTIFY twice until it
      // expires; one that restarted answers 481, which is harmless.
      this.drop(e, true);
      e.attempt = 0;
      if (ua) this.watch(e);
      else this.setLamp(e, 'unknown', undefined);
    }
    this.emit();
  }

  stop(): void {
    for (const e of this.entries.values()) this.drop(e, true);
    this.entries.clear();
    this.ua = undefined;
  }

  private watch(e: Entry): void {
    const ua = this.ua;
    if (!ua || !this.domain) return;
    e.book.resetVersion();
    let sub: SubscriptionLike;
    try {
      sub = ua.subscribe(`sip:${e.ext}@${this.domain}`, 'dialog', 'application/dialog-info+xml', { expires: this.deps.expiresS ?? 600 });
    } catch (err) {
      this.log.warn({ err, ext: e.ext }, 'cannot subscribe');
      this.setLamp(e, 'offline', undefined);
      this.retryLater(e);
      return;
    }
    e.sub = sub;
    // An empty NOTIFY (no dialogs at all) raises no `notify`, only `active`: the colleague is idle.
    sub.on('active', () => {
      if (e.sub !== sub) return;
      e.attempt = 0;
      if (e.lamp === 'unknown' || e.lamp === 'offline') this.update(e);
    });
    sub.on('notify', (_final, _request, body, contentType) => {
      if (e.sub !== sub) return;
      e.attempt = 0;
      if (body === undefined || !/^application\/dialog-info\+xml\b/i.test((contentType ?? '').trim())) {
        this.update(e);
        return;
      }
      try {
        e.book.apply(parseDialogInfo(body));
      } catch (err) {
        // A document we cannot read says nothing: keep the lamp, log why (never the body whole).
        this.log.warn({ ext: e.ext, why: err instanceof DialogInfoError ? err.message : String(err), bytes: body.length }, 'dialog-info refused');
        return;
      }
      this.update(e);
    });
    sub.on('terminated', (code, reason, retryAfter) => {
      if (e.sub !== sub) return;
      e.sub = undefined;
      sub.removeAllListeners();
      this.log.info({ ext: e.ext, code, reason, retryAfter }, 'colleague watch ended');
      e.book.clear();
      this.setLamp(e, 'offline', undefined);
      this.emit();
      this.retryLater(e, retryAfter);
    });
    sub.subscribe();
  }

  private retryLater(e: Entry, retryAfterS?: number): void {
    if (e.retry || !this.ua) return;
    e.attempt++;
    const delay = Math.max(this.retryDelay(e.attempt), retryAfterS && retryAfterS > 0 ? Math.min(retryAfterS, 3600) * 1000 : 0);
    e.retry = setTimeout(() => {
      e.retry = undefined;
      if (this.entries.get(e.ext) === e && !e.sub) this.watch(e);
    }, delay);
    e.retry.unref?.();
  }

  private drop(e: Entry, unsubscribe: boolean): void {
    if (e.retry) clearTimeout(e.retry);
    e.retry = undefined;
    const sub = e.sub;
    e.sub = undefined;
    if (!sub) return;
    sub.removeAllListeners();
    // An un-SUBSCRIBE (Expires: 0) only when the PBX still knows it; after a reconnect it does not.
    if (unsubscribe) {
      try {
        sub.terminate();
      } catch (err) {
        this.log.debug({ err, ext: e.ext }, 'unsubscribe failed');
      }
    }
    e.book.clear();
  }

  private update(e: Entry): void {
    const dialogs = e.book.list();
    this.setLamp(e, lampOf(dialogs), e.book.ringing());
    this.emit();
  }

  private setLamp(e: Entry, lamp: ColleagueLamp, ringing: DialogEntry | undefined): void {
    if (e.lamp !== lamp) e.since = this.now();
    e.lamp = lamp;
    e.ringing = ringing;
  }

  private lastSent = '';
  private emit(): void {
    const view = this.view();
    const key = JSON.stringify(view.colleagues.map((c) => [c.ext, c.lamp, c.caller?.number, c.caller?.name])) + view.requested;
    if (key === this.lastSent) return;
    this.lastSent = key;
    this.deps.onChange(view);
  }
}
