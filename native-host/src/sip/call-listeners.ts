import type { CallInfo } from '../../../shared/protocol';
import type { Logger } from '../log';
import type { SipFacts } from './sip-facts';

export type CallListener = (call: CallInfo) => void;

/**
 * Who hears of the calls' changes and SIP facts, in which order: the call manager's listeners. A
 * listener that throws is logged and stops nobody.
 */
export class CallListeners {
  private readonly listeners = new Set<CallListener>();
  /** Listeners told before the ringtone and the others (onChangeFirst). */
  private readonly firstListeners = new Set<CallListener>();
  private readonly factListeners = new Set<(facts: SipFacts) => void>();

  constructor(private readonly log: Logger) {}

  /** Facts from the SIP messages of each call, delivered before the call change they cause. */
  onSipFacts(listener: (facts: SipFacts) => void): () => void {
    this.factListeners.add(listener);
    return () => this.factListeners.delete(listener);
  }

  onChange(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Like onChange, but told before the ringtone request and every onChange listener: for what the
   * browser takes longest to do once asked (Integra's CRM tab, issue 19), so its request leaves the
   * host, and reaches the browser's queue, ahead of the ringtone, the call push and what they cause.
   */
  onChangeFirst(listener: CallListener): () => void {
    this.firstListeners.add(listener);
    return () => this.firstListeners.delete(listener);
  }

  get wantsFacts(): boolean {
    return this.factListeners.size > 0;
  }

  emitFacts(facts: SipFacts): void {
    for (const l of this.factListeners) {
      try {
        l(facts);
      } catch (err) {
        this.log.error({ err }, 'SIP facts listener failed');
      }
    }
  }

  /** The first listeners, then `between` (the ringtone), then the others. */
  emit(info: CallInfo, between: () => void): void {
    this.tell(this.firstListeners, info);
    between();
    this.tell(this.listeners, info);
  }

  private tell(listeners: ReadonlySet<CallListener>, info: CallInfo): void {
    for (const l of listeners) {
      try {
        l(info);
      } catch (err) {
        this.log.error({ err }, 'call listener failed');
      }
    }
  }
}
