import type { VoicemailState } from '../../../shared/protocol/voicemail';
import type { Logger } from '../log';
import type { SubscriptionLike } from './colleague-watch';
import { parseMessageSummary } from './message-summary';

export interface MwiUa {
  subscribe(target: string, eventName: string, accept: string, options: { expires: number }): SubscriptionLike;
}

/** What JsSIP's `sipEvent` carries for an out-of-dialog NOTIFY (JsSIP has already answered 200). */
export interface UnsolicitedNotify {
  event?: { event?: unknown } | undefined;
  request?: { body?: unknown; getHeader?(name: string): unknown } | undefined;
}

const ACCEPT = 'application/simple-message-summary';

/**
 * Voicemail waiting (issue 17): a `message-summary` subscription to our own AOR while registered
 * (renewed on every registration, retried after it ends), and the unsolicited NOTIFYs many PBXs
 * send without one. Either way the last summary wins.
 */
export class VoicemailWatch {
  private state: VoicemailState = { known: false, waiting: false, newMessages: 0, oldMessages: 0 };
  private sub: SubscriptionLike | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private ua: MwiUa | undefined;
  private aor: string | undefined;
  private readonly log: Logger;

  constructor(
    private readonly deps: { log: Logger; onChange(state: VoicemailState): void; now?: () => number; retryDelayMs?: (attempt: number) => number },
  ) {
    this.log = deps.log.child({ module: 'voicemail' });
  }

  snapshot(): VoicemailState {
    return this.state;
  }

  /** Registered as `aor` on `ua`, or not registered (undefined): subscribes afresh each time. */
  setRegistered(ua: MwiUa | undefined, aor?: string): void {
    this.drop();
    this.ua = ua;
    this.aor = aor;
    this.attempt = 0;
    if (ua && aor) this.watch();
  }

  /** A NOTIFY outside any subscription (JsSIP's `sipEvent`); other events are not ours. */
  unsolicited(e: UnsolicitedNotify): void {
    if (String(e.event?.event ?? '').toLowerCase() !== 'message-summary') return;
    const body = e.request?.body;
    if (typeof body === 'string') this.apply(body);
  }

  stop(): void {
    this.drop();
    this.ua = undefined;
  }

  private watch(): void {
    const { ua, aor } = this;
    if (!ua || !aor) return;
    let sub: SubscriptionLike;
    try {
      sub = ua.subscribe(aor, 'message-summary', ACCEPT, { expires: 3600 });
    } catch (err) {
      this.log.warn({ err }, 'cannot subscribe to message-summary');
      return this.retryLater();
    }
    this.sub = sub;
    sub.on('notify', (_final, _request, body, contentType) => {
      if (this.sub !== sub || body === undefined) return;
      if (contentType && !contentType.toLowerCase().startsWith(ACCEPT)) return;
      this.attempt = 0;
      this.apply(body);
    });
    sub.on('terminated', (code, reason) => {
      if (this.sub !== sub) return;
      this.sub = undefined;
      sub.removeAllListeners();
      // Many PBXs refuse the subscription and send unsolicited NOTIFYs instead: keep what we know.
      this.log.info({ code, reason }, 'message-summary subscription ended');
      this.retryLater();
    });
    sub.subscribe();
  }

  private retryLater(): void {
    if (this.retry || !this.ua) return;
    this.attempt++;
    const delay = this.deps.retryDelayMs?.(this.attempt) ?? Math.min(300_000, 5000 * 2 ** Math.min(this.attempt - 1, 6));
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.sub) this.watch();
    }, delay);
    this.retry.unref?.();
  }

  private drop(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    const sub = this.sub;
    this.sub = undefined;
    if (!sub) return;
    sub.removeAllListeners();
    try {
      sub.terminate();
    } catch (err) {
      this.log.debug({ err }, 'unsubscribe failed');
    }
  }

  private apply(body: string): void {
    const summary = parseMessageSummary(body);
    if (!summary) {
      this.log.warn({ bytes: body.length }, 'message-summary refused');
      return;
    }
    const account = summary.account ?? this.state.account;
    this.state = {
      known: true,
      waiting: summary.waiting,
      newMessages: summary.newMessages,
      oldMessages: summary.oldMessages,
      ...(account ? { account } : {}),
      since: (this.deps.now ?? Date.now)(),
    };
    this.deps.onChange(this.state);
  }
}
