import type { CallEndReason, CallTransfer, TransferFailure } from '../../../shared/protocol';

/**
 * The attended transfer as an explicit state machine (issue 17), free of JsSIP so every path is
 * unit-tested: consult → complete / cancel / target busy / target hangs up / REFER refused.
 *
 * - `consulting`: the caller is on hold, the target's phone rings.
 * - `talking`: the target answered; the user talks to it. Complete or Cancel.
 * - `completing`: REFER with Replaces sent on the caller's leg; the NOTIFYs tell how it goes.
 * - `done`: the caller reached the target; our legs end.
 * - `failed`: the target was busy, did not answer or hung up; the caller is still on hold, with
 *   the reason shown. Cancel (or Resume) returns to the caller; a new consult may start.
 * - `canceled`: back to the caller (or the caller left): the record is dropped.
 */
export type TransferPhase = CallTransfer['phase'] | 'canceled';

export interface TransferState {
  phase: TransferPhase;
  target: string;
  consultId?: string;
  failure?: TransferFailure;
  code?: number;
}

export type TransferEvent =
  | { type: 'consult-started'; consultId: string }
  | { type: 'target-answered' }
  | { type: 'target-ended'; reason: CallEndReason; code?: number }
  | { type: 'complete' }
  | { type: 'cancel' }
  | { type: 'refer-accepted' }
  | { type: 'refer-failed'; code?: number }
  | { type: 'original-ended' };

/** What the driver must do after a transition, in order. */
export type TransferAction = 'hangup-consult' | 'resume-original' | 'send-refer' | 'end-legs';

export interface TransferStep {
  state: TransferState;
  actions: TransferAction[];
}

/** A request that makes no sense in this phase: the driver answers it with INVALID_PARAMS. */
export class TransferStateError extends Error {}

/** How the consult call's end reads as a failure of the transfer. */
function targetFailure(reason: CallEndReason, answered: boolean): TransferFailure {
  if (answered) return 'target-hung-up';
  if (reason === 'busy' || reason === 'declined' || reason === 'dnd') return 'target-busy';
  return 'target-unavailable';
}

export function startTransfer(target: string): TransferState {
  return { phase: 'consulting', target };
}

/** One transition. A user request in the wrong phase throws TransferStateError; a network event there is ignored. */
export function step(s: TransferState, e: TransferEvent): TransferStep {
  const to = (change: Partial<TransferState>, actions: TransferAction[] = []): TransferStep => {
    const next: TransferState = { ...s, ...change };
    if (change.phase && change.phase !== 'failed' && change.phase !== s.phase) {
      delete next.failure;
      delete next.code;
    }
    return { state: next, actions };
  };
  const stay: TransferStep = { state: s, actions: [] };
  const terminal = s.phase === 'done' || s.phase === 'canceled';
  switch (e.type) {
    case 'consult-started':
      return s.phase === 'consulting' ? to({ consultId: e.consultId }) : stay;
    case 'target-answered':
      return s.phase === 'consulting' ? to({ phase: 'talking' }) : stay;
    case 'target-ended': {
      if (s.phase === 'consulting' || s.phase === 'talking') {
        const failure = targetFailure(e.reason, s.phase === 'talking');
        const next = to({ phase: 'failed', failure, ...(e.code !== undefined ? { code: e.code } : {}) });
        delete next.state.consultId;
        return next;
      }
      // While completing, the target ends our consult leg itself: that is Replaces at work.
      return stay;
    }
    case 'complete':
      if (s.phase === 'talking' || (s.phase === 'failed' && s.failure === 'refer-refused' && s.consultId)) return to({ phase: 'completing' }, ['send-refer']);
      if (s.phase === 'consulting') throw new TransferStateError('the target has not answered yet: complete the transfer once it answers, or cancel');
      throw new TransferStateError(terminal ? 'there is no transfer in progress' : `the transfer cannot be completed now (${s.phase})`);
    case 'cancel':
      if (s.phase === 'completing') throw new TransferStateError('the transfer is being completed: it can no longer be canceled');
      if (terminal) throw new TransferStateError('there is no transfer in progress');
      return to({ phase: 'canceled' }, s.consultId ? ['hangup-consult', 'resume-original'] : ['resume-original']);
    case 'refer-accepted':
      return s.phase === 'completing' ? to({ phase: 'done' }, ['end-legs']) : stay;
    case 'refer-failed':
      // The target is still on the line with the user: say why, and let them try again or cancel.
      return s.phase === 'completing' ? to({ phase: 'failed', failure: 'refer-refused', ...(e.code !== undefined ? { code: e.code } : {}) }) : stay;
    case 'original-ended':
      // The caller leaving after our REFER is the transfer going through (some phones hang up
      // before their final NOTIFY); before that, it ends the transfer and the consult stays a call.
      if (s.phase === 'completing') return to({ phase: 'done' }, ['end-legs']);
      return terminal ? stay : to({ phase: 'canceled' });
  }
}
