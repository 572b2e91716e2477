import type { CallInfo, HistoryRecord, HistoryResult } from '../../../shared/protocol';

/** The end cause the call manager gives an incoming call it rejected because of do-not-disturb. */
export const DND_CAUSE = 'Do Not Disturb';

const BUSY_CODES = new Set([486, 600]);
const DECLINE_CODES = new Set([603]);
/** Final statuses that mean "nobody picked up", not a failure. */
const NO_ANSWER_CODES = new Set([408, 480, 487]);
const NO_ANSWER_CAUSES = new Set(['Canceled', 'No Answer', 'Expires', 'Unavailable']);

/**
 * answered / missed / busy / declined / failed, from how the call ended. "missed" is an incoming
 * call nobody answered (the caller gave up), or an outgoing one the far end did not pick up.
 */
export function classify(call: CallInfo): HistoryResult {
  if (call.answeredAt !== undefined) return 'answered';
  const end = call.end;
  const code = end?.code;
  const cause = end?.cause ?? '';
  if (cause === DND_CAUSE) return 'busy';
  if (call.direction === 'in') {
    // We ended it while it rang: the user (or a script) turned it down.
    if (end?.originator === 'local' && (code === undefined || BUSY_CODES.has(code) || DECLINE_CODES.has(code) || cause === 'Rejected' || cause === 'Busy')) {
      return 'declined';
    }
    if (end?.originator === 'system' && cause !== 'Canceled') return 'failed';
    return 'missed';
  }
  if ((code !== undefined && BUSY_CODES.has(code)) || cause === 'Busy') return 'busy';
  if ((code !== undefined && DECLINE_CODES.has(code)) || cause === 'Rejected') return 'declined';
  if ((code !== undefined && NO_ANSWER_CODES.has(code)) || NO_ANSWER_CAUSES.has(cause)) return 'missed';
  return 'failed';
}

/** The journal record of an ended call (without its seq, which the store assigns). */
export function toRecord(call: CallInfo, now: number): Omit<HistoryRecord, 'seq'> {
  const endedAt = call.endedAt ?? now;
  const result = classify(call);
  return {
    id: call.id,
    direction: call.direction,
    number: call.remote.number,
    ...(call.remote.name ? { name: call.remote.name } : {}),
    ...(call.extId ? { extId: call.extId } : {}),
    startedAt: call.startedAt,
    ...(call.answeredAt !== undefined ? { answeredAt: call.answeredAt } : {}),
    endedAt,
    durationMs: call.answeredAt !== undefined ? Math.max(0, endedAt - call.answeredAt) : 0,
    result,
    ...(call.end?.cause ? { cause: call.end.cause } : {}),
    ...(call.end?.code !== undefined ? { code: call.end.code } : {}),
    ...(call.end?.cause === DND_CAUSE ? { dnd: true } : {}),
  };
}
