import type { RTCSession } from 'jssip/lib/RTCSession';
import { ErrorCode, ProtocolError, type CallInfo, type CallTransfer, type DialSource } from '../../../shared/protocol';
import type { Logger } from '../log';
import { sipStatus } from './blind-transfer';
import { startTransfer, step, TransferStateError, type TransferAction, type TransferEvent, type TransferState } from './attended-transfer-state';

/** What the attended transfer needs of the calls: CallManager's public surface, so a fake can stand in. */
export interface TransferCalls {
  onChange(listener: (call: CallInfo) => void): () => void;
  list(): CallInfo[];
  info(id: string): CallInfo;
  sessionOf(id: string): RTCSession;
  patch(id: string, change: Partial<CallInfo>): void;
  place(options: { number: string; source: DialSource }, onDialled?: (call: CallInfo) => void): Promise<CallInfo>;
  hold(id: string, hold: boolean): CallInfo;
  hangup(id?: string): CallInfo;
  resolve(number: string): { target: { dial: string }; uri: string };
}


/**
 * Attended transfer (issue 17): Consult holds the caller and calls the target; Complete sends a
 * REFER with Replaces on the caller's leg (JsSIP `refer(target, {replaces})`), and our legs end
 * when the NOTIFY says the caller reached the target; Cancel hangs up the target and resumes the
 * caller. The transitions are attended-transfer-state.ts; this drives JsSIP through them, and
 * shows where a transfer stands in the caller's CallInfo (`transfer`), the consult's (`consultFor`).
 * Only JsSIP's abstractions are used, so it works the same over WebSocket and direct SIP.
 */
export class AttendedTransfers {
  /** By the caller's call id. */
  private readonly transfers = new Map<string, TransferState & { uri: string }>();
  private readonly log: Logger;

  constructor(
    private readonly calls: TransferCalls,
    log: Logger,
  ) {
    this.log = log.child({ module: 'attended-transfer' });
    calls.onChange((call) => this.observe(call));
  }

  /** Holds the caller (`id`, or the first active call) and calls `target`; settles as `call.dial` does. */
  async consult(target: string, id: string | undefined, source: DialSource = 'popup'): Promise<CallInfo> {
    const original = id ? this.calls.info(id) : this.calls.list().find((c) => c.state === 'active' && !c.consultFor);
    if (!original) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'there is no active call to transfer');
    if (original.state !== 'active' && original.state !== 'held') throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'only an answered call can be transferred');
    if (original.consultFor) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'this call is the consultation of a transfer: complete or cancel that first');
    const running = this.transfers.get(original.id);
    if (running && running.phase !== 'failed') throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'a transfer of this call is already in progress');
    const { target: dial, uri } = this.calls.resolve(target);
    if (!original.onHold) this.calls.hold(original.id, true);
    this.transfers.set(original.id, { ...startTransfer(dial.dial), uri });
    this.show(original.id);
    this.log.info({ id: original.id, target: dial.dial }, 'consult');
    try {
      await this.calls.place({ number: dial.dial, source }, (consult) => {
        this.calls.patch(consult.id, { consultFor: original.id });
        this.apply(original.id, { type: 'consult-started', consultId: consult.id });
      });
    } catch (err) {
      // The consult call failed before its INVITE left: observe() has turned that into `failed`.
      if (this.transfers.get(original.id)?.phase === 'consulting') this.apply(original.id, { type: 'target-ended', reason: 'failed' });
      throw err;
    }
    return this.current(original.id);
  }

  complete(id?: string): CallInfo {
    const originalId = this.find(id);
    this.apply(originalId, { type: 'complete' }, true);
    return this.current(originalId);
  }

  cancel(id?: string): CallInfo {
    const originalId = this.find(id);
    this.apply(originalId, { type: 'cancel' }, true);
    return this.current(originalId);
  }

  /** The caller's id: the one given (with a transfer), or the only transfer in progress. */
  private find(id: string | undefined): string {
    if (id !== undefined) {
      // The consult's id names its transfer too.
      const owner = [...this.transfers].find(([orig, t]) => orig === id || t.consultId === id);
      if (!owner) throw new ProtocolError(ErrorCode.INVALID_PARAMS, `no transfer in progress for call ${id.slice(0, 128)}`);
      return owner[0];
    }
    const ids = [...this.transfers.keys()];
    if (ids.length === 0) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'there is no transfer in progress');
    if (ids.length > 1) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'several transfers are in progress: name the call');
    return ids[0]!;
  }

  private current(originalId: string): CallInfo {
    const live = this.calls.list().find((c) => c.id === originalId);
    return live ?? this.calls.info(originalId);
  }

  /** Call changes as transfer events: the consult answered or ended, the caller left or was resumed. */
  private observe(call: CallInfo): void {
    const own = this.transfers.get(call.id);
    if (own) {
      if (call.state === 'ended') this.apply(call.id, { type: 'original-ended' });
      // Resume pressed on the caller after a failed consult: the user is back with the caller.
      else if (own.phase === 'failed' && call.state === 'active' && !own.consultId) this.apply(call.id, { type: 'cancel' });
      return;
    }
    for (const [originalId, t] of this.transfers) {
      if (t.consultId !== call.id) continue;
      if (call.state === 'active') this.apply(originalId, { type: 'target-answered' });
      else if (call.state === 'ended' && call.end) this.apply(originalId, { type: 'target-ended', reason: call.end.reason, ...(call.end.code !== undefined ? { code: call.end.code } : {}) });
      return;
    }
  }

  /** One transition, its actions, and the caller's record brought up to date. */
  private apply(originalId: string, event: TransferEvent, byUser = false): void {
    const before = this.transfers.get(originalId);
    if (!before) return;
    let next;
    try {
      next = step(before, event);
    } catch (err) {
      if (err instanceof TransferStateError && byUser) throw new ProtocolError(ErrorCode.INVALID_PARAMS, err.message);
      throw err;
    }
    const { state, actions } = next;
    if (state === before) return;
    const consultId = before.consultId;
    if (state.phase === 'canceled' || state.phase === 'done') this.transfers.delete(originalId);
    else this.transfers.set(originalId, { ...state, uri: before.uri });
    if (state.phase !== before.phase) this.log.info({ id: originalId, from: before.phase, to: state.phase, failure: state.failure, code: state.code }, 'transfer');
    // The record first: "done" must be in the caller's CallInfo before end-legs ends it (history).
    this.show(originalId, state);
    for (const action of actions) this.run(action, originalId, consultId, before.uri);
  }

  private show(originalId: string, state: TransferState | undefined = this.transfers.get(originalId)): void {
    let transfer: CallTransfer | undefined;
    if (state && state.phase !== 'canceled') {
      const { phase, target, consultId, failure, code } = state;
      transfer = { phase, target, ...(consultId ? { consultId } : {}), ...(failure ? { failure } : {}), ...(code !== undefined ? { code } : {}) };
    }
    this.calls.patch(originalId, { transfer });
  }

  private run(action: TransferAction, originalId: string, consultId: string | undefined, uri: string): void {
    const quietly = (what: string, f: () => unknown) => {
      try {
        f();
      } catch (err) {
        this.log.info({ id: originalId, err: String((err as Error)?.message ?? err) }, `${what}: already gone`);
      }
    };
    switch (action) {
      case 'hangup-consult':
        if (consultId) quietly('hang up the consult', () => this.calls.hangup(consultId));
        return;
      case 'resume-original':
        quietly('resume the caller', () => this.calls.info(originalId).onHold && this.calls.hold(originalId, false));
        return;
      case 'end-legs':
        for (const id of [originalId, consultId]) {
          if (id) quietly('end a leg', () => this.calls.list().some((c) => c.id === id && c.state !== 'ended') && this.calls.sessionOf(id).terminate());
        }
        return;
      case 'send-refer':
        this.refer(originalId, consultId, uri);
        return;
    }
  }

  /** REFER with Replaces on the caller's leg: the NOTIFYs (RFC 3515 sipfrag) say how it goes. */
  private refer(originalId: string, consultId: string | undefined, uri: string): void {
    if (!consultId) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'the consultation has ended: nothing to complete');
    const session = this.calls.sessionOf(originalId);
    const replaces = this.calls.sessionOf(consultId);
    const failed = (code: number | undefined, why: string) => {
      this.log.warn({ id: originalId, code }, why);
      this.apply(originalId, { type: 'refer-failed', ...(code !== undefined ? { code } : {}) });
    };
    session.refer(uri, {
      replaces,
      eventHandlers: {
        requestSucceeded: () => this.log.info({ id: originalId }, 'REFER accepted'),
        requestFailed: (e: { response?: { status_code?: unknown } }) => failed(sipStatus(e?.response?.status_code), 'REFER refused'),
        accepted: () => this.apply(originalId, { type: 'refer-accepted' }),
        failed: (e: { status_line?: { status_code?: unknown } }) => failed(sipStatus(e?.status_line?.status_code), 'the transfer failed (NOTIFY)'),
      },
    } as never);
  }
}
