import type { EventFacts, IntegraEventName } from '../../../shared/integra';
import type { CallInfo } from '../../../shared/protocol';
import type { SipFacts } from '../sip/sip-facts';
import { inviteValues, serverOffset, type InviteValues } from './sip-values';

/** One Integra event with the facts its placeholders are made of (not yet whitelisted). */
export interface IntegraEvent {
  facts: EventFacts;
  call: CallInfo;
}

interface Tracked {
  info: CallInfo;
  invite?: InviteValues;
  /** PBX clock minus ours, from the newest Date header of this call. */
  offset?: number;
  /** The final status we answered this incoming call with. */
  localStatus?: number;
}

const BUSY_OUT = new Set([486, 600, 603]);
const BUSY_IN = new Set([486, 600]);

/**
 * Turns the call manager's call changes (and the SIP facts that precede them) into the seven
 * Integra events (DESIGN section 5):
 * - CALL_IN for every incoming call that rings; CALL_FORWARD_IN as well when it was forwarded
 *   (Diversion, or a History-Info chain);
 * - CALL_OUT when we dial; CALL_ACCEPT when a call is answered, either direction;
 * - CALL_ACTIVE when a held call is resumed, or a waiting call (answered while another call is
 *   live) becomes the active one;
 * - CALL_BUSY when the far end answers 486/600/603, or we turn an incoming call down as busy
 *   (486/600, do-not-disturb included); CALL_CLOSE when any call that rang or was dialled ends.
 */
export class EventDeriver {
  private readonly calls = new Map<string, Tracked>();
  private readonly pendingFacts = new Map<string, SipFacts[]>();

  constructor(
    private readonly ownExtension: () => string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  facts(f: SipFacts): void {
    const tracked = this.calls.get(f.id);
    if (tracked) {
      this.apply(tracked, f);
      return;
    }
    // The INVITE's facts come before the call's first change.
    const list = this.pendingFacts.get(f.id) ?? [];
    list.push(f);
    this.pendingFacts.set(f.id, list.slice(-5));
    if (this.pendingFacts.size > 100) this.pendingFacts.delete(this.pendingFacts.keys().next().value!);
  }

  /** The events this change raises, in order. */
  change(info: CallInfo): IntegraEvent[] {
    const before = this.calls.get(info.id);
    const events: IntegraEventName[] = [];
    let tracked: Tracked;
    if (!before) {
      tracked = { info };
      for (const f of this.pendingFacts.get(info.id) ?? []) this.apply(tracked, f);
      this.pendingFacts.delete(info.id);
      if (info.direction === 'in' && info.state === 'ringing-in') {
        events.push('CALL_IN');
        if (tracked.invite?.forwarded) events.push('CALL_FORWARD_IN');
      } else if (info.direction === 'out' && info.state !== 'ended') {
        events.push('CALL_OUT');
      } else if (info.state === 'ended' && this.isBusy(info, tracked)) {
        // Turned down before it rang (do-not-disturb): busy, and nothing else happened.
        events.push('CALL_BUSY');
        return events.map((e) => this.event(e, tracked, info));
      }
      if (info.state !== 'ended') this.calls.set(info.id, tracked);
    } else {
      tracked = before;
    }
    const prev = before?.info;
    if (prev) {
      if (prev.answeredAt === undefined && info.answeredAt !== undefined) {
        events.push('CALL_ACCEPT');
        const waiting = [...this.calls.values()].some((c) => c.info.id !== info.id && c.info.state !== 'ended');
        if (info.direction === 'in' && waiting) events.push('CALL_ACTIVE');
      } else if (prev.state === 'held' && info.state === 'active') {
        events.push('CALL_ACTIVE');
      }
      if (info.state === 'ended' && prev.state !== 'ended') {
        if (this.isBusy(info, tracked)) events.push('CALL_BUSY');
        events.push('CALL_CLOSE');
      }
    }
    tracked.info = info;
    if (info.state === 'ended') this.calls.delete(info.id);
    return events.map((e) => this.event(e, tracked, info));
  }

  private isBusy(info: CallInfo, tracked: Tracked): boolean {
    const code = info.end?.code ?? (info.direction === 'in' ? tracked.localStatus : undefined);
    if (code === undefined || info.answeredAt !== undefined) return false;
    return info.direction === 'out' ? BUSY_OUT.has(code) : info.end?.originator === 'local' && BUSY_IN.has(code);
  }

  private apply(tracked: Tracked, f: SipFacts): void {
    if (f.message === 'invite') tracked.invite = inviteValues(f.headers);
    if (f.message === 'local' && f.status !== undefined) tracked.localStatus = f.status;
    const offset = serverOffset(f);
    if (offset !== undefined) tracked.offset = offset;
  }

  private event(name: IntegraEventName, tracked: Tracked, info: CallInfo): IntegraEvent {
    const incoming = info.direction === 'in';
    const invite = tracked.invite;
    // The caller's number as the INVITE carried it, not as cleaned for display (issue 12).
    const remoteNumber = incoming && invite?.caller !== undefined ? invite.caller : info.remote.number;
    return {
      call: info,
      facts: {
        event: name,
        ownExtension: this.ownExtension(),
        remoteNumber,
        didNumber: incoming ? invite?.did : undefined,
        time: this.now() + (tracked.offset ?? 0),
        callId: info.id,
        originalCaller: incoming ? invite?.assertedCaller || remoteNumber : undefined,
        originalCalled: incoming ? invite?.originalCalled : undefined,
        extId: info.extId,
        callerName: info.contact?.name ?? info.remote.name,
      },
    };
  }
}
