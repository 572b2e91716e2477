import { createHash } from 'node:crypto';
import type { CallInfo } from '../../../shared/protocol';

const SAFE = /^[A-Za-z0-9._@+-]{1,128}$/;

/**
 * DESIGN section 4: the SIP Call-ID when it is safe to show and pass to scripts, else a stable
 * hash of it (the same Call-ID always maps to the same id).
 */
export function callIdFor(sipCallId: string): string {
  if (SAFE.test(sipCallId)) return sipCallId;
  return `h-${createHash('sha256').update(sipCallId).digest('hex').slice(0, 32)}`;
}

/** The id of a JsSIP session: its INVITE's Call-ID (JsSIP's session id when the request has none). */
export function sessionCallId(session: { id: string }, request: unknown): string {
  return callIdFor(String((request as { call_id?: unknown } | undefined)?.call_id ?? session.id));
}

/** A call as it is first seen: not muted, not held, not yet answered. */
export function newCall(id: string, direction: CallInfo['direction'], state: CallInfo['state'], remote: CallInfo['remote'], startedAt: number): CallInfo {
  return { id, direction, state, remote, muted: false, onHold: false, remoteHold: false, startedAt };
}
