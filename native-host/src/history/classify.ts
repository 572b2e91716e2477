import { isMissed, type CallInfo, type HistoryRecord, type HistoryResult } from '../../../shared/protocol';

/**
 * answered / missed / busy / declined / failed, from how the call ended (its reason and SIP
 * status, never JsSIP's words). An incoming call is "missed" by the one rule of
 * shared/protocol/call-end.ts (the popup and the notifications use it too); an outgoing one the far
 * end did not pick up is filed as missed as well.
 */
export function classify(call: CallInfo): HistoryResult {
  if (call.answeredAt !== undefined) return 'answered';
  const end = call.end;
  const reason = end?.reason;
  if (reason === 'dnd') return 'busy';
  if (call.direction === 'in') {
    if (isMissed(call)) return 'missed';
    // We ended it while it rang: the user (or a script) turned it down.
    if (end?.originator === 'local') return 'declined';
    return end?.originator === 'system' ? 'failed' : 'missed';
  }
  if (reason === 'busy') return 'busy';
  if (reason === 'declined') return 'declined';
  if (reason === 'canceled' || reason === 'no-answer' || reason === 'unavailable' || end?.code === 487) return 'missed';
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
    // The name a lookup found (issue 18) wins over the PBX's display name.
    ...(call.contact?.name || call.remote.name ? { name: call.contact?.name ?? call.remote.name } : {}),
    ...(call.contact?.company ? { company: call.contact.company } : {}),
    ...(call.contact?.link ? { link: call.contact.link } : {}),
    ...(call.extId ? { extId: call.extId } : {}),
    startedAt: call.startedAt,
    ...(call.answeredAt !== undefined ? { answeredAt: call.answeredAt } : {}),
    endedAt,
    durationMs: call.answeredAt !== undefined ? Math.max(0, endedAt - call.answeredAt) : 0,
    result,
    ...(call.end ? { reason: call.end.reason } : {}),
    ...(call.end?.cause ? { cause: call.end.cause } : {}),
    ...(call.end?.code !== undefined ? { code: call.end.code } : {}),
    ...(call.end?.reason === 'dnd' ? { dnd: true } : {}),
    // REFER sent and the caller gone counts: some phones leave before their final NOTIFY (attended-transfer-state.ts).
    ...(call.conferenceWith?.length ? { conferenceWith: call.conferenceWith } : {}),
    ...(call.transfer && (call.transfer.phase === 'done' || call.transfer.phase === 'completing') ? { transferredTo: call.transfer.target } : {}),
  };
}
