import { isMissed as isMissedCall, type CallEndReason, type CallInfo } from '../../shared/protocol';
import type { MessageKey } from './i18n';
import { plainText } from './plain-text';

export interface Text {
  key: MessageKey;
  subs?: string[];
}

/** What a call is doing, in words; ended calls say how they ended. */
export function callStateText(call: CallInfo): Text {
  switch (call.state) {
    case 'ringing-in':
      return { key: 'callStateRingingIn' };
    case 'dialing':
      return { key: 'callStateDialing' };
    case 'ringing-out':
      return { key: 'callStateRingingOut' };
    case 'active':
      return { key: 'callStateActive' };
    case 'held':
      return { key: 'callStateHeld' };
    case 'ended':
      return { key: 'callStateEnded' };
  }
}

/** Each reason of shared/protocol (call.ts) in the user's words; 'hung-up' says who. */
const BY_REASON: Record<Exclude<CallEndReason, 'hung-up' | 'failed'>, MessageKey> = {
  canceled: 'endCanceled',
  'no-answer': 'endNoAnswer',
  busy: 'endBusy',
  // Turned down as busy by do-not-disturb: the caller heard busy, and so does the popup.
  dnd: 'endBusy',
  declined: 'endDeclined',
  'not-found': 'endNotFound',
  unavailable: 'endUnavailable',
  incomplete: 'endIncomplete',
  redirected: 'endRedirected',
  auth: 'endAuth',
  'no-codec': 'endNoCodec',
  network: 'endNetwork',
  'no-browser': 'endNoBrowser',
  'no-microphone': 'endNoMic',
  'microphone-denied': 'endMicDenied',
  'microphone-busy': 'endMicBusy',
  'media-error': 'endMediaFailed',
};

/** Reasons that mean the call failed (not busy, declined, missed or hung up). */
const FAILURE_KEYS = new Set<MessageKey>(['endNoBrowser', 'endNoMic', 'endMicDenied', 'endMicBusy', 'endMediaFailed', 'endNoCodec', 'endNetwork', 'endFailed', 'endFailedPlain', 'endAuth', 'endNotFound', 'endIncomplete', 'endUnavailable']);

/** An incoming call that ended before anyone answered it, and not because we declined it (shared/protocol/call-end.ts). */
export function isMissed(call: CallInfo): boolean {
  return call.state === 'ended' && isMissedCall(call);
}

/** Why an ended call ended, as the user would say it; undefined while the call lives. */
export function endReason(call: CallInfo): Text | undefined {
  const end = call.end;
  if (call.state !== 'ended' || !end) return undefined;
  if (isMissed(call)) return { key: 'endMissed' };
  return endCauseText(end);
}

/**
 * How a call ended, from its reason and final status alone: also for history records and for the
 * host's CALL_FAILED errors, which carry the same end.
 */
export function endCauseText(end: { reason: CallEndReason; code?: number | undefined; originator?: string | undefined }): Text {
  if (end.reason === 'hung-up') return { key: end.originator === 'remote' ? 'endHungUpRemote' : 'endHungUpLocal' };
  // Protocol failures and PBX refusals: the user can do nothing but retry; the status helps support.
  if (end.reason === 'failed') return end.code !== undefined ? { key: 'endFailed', subs: [`SIP ${end.code}`] } : { key: 'endFailedPlain' };
  return { key: BY_REASON[end.reason] };
}

/** The reason of a call that failed (could not start, or broke before the answer); undefined otherwise. */
export function failureReason(call: CallInfo): Text | undefined {
  if (call.state !== 'ended' || call.answeredAt !== undefined || isMissed(call)) return undefined;
  const reason = endReason(call);
  if (!reason || !FAILURE_KEYS.has(reason.key)) return undefined;
  // Turned down by us, or a far end we hung up on: not a failure.
  if (call.end?.originator === 'local' && reason.key !== 'endMicDenied') return undefined;
  return reason;
}

/** mm:ss, or h:mm:ss past the hour. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** How long the call has been (or was) answered; undefined before it is answered. */
export function talkTime(call: CallInfo, now: number): number | undefined {
  if (call.answeredAt === undefined) return undefined;
  return (call.state === 'ended' ? (call.endedAt ?? now) : now) - call.answeredAt;
}

/** An http(s) link for a click on the name (a CRM page from the lookup), or undefined. */
export function crmLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  try {
    const url = new URL(link);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The far end's name and number, cleaned for display; name only when it says something new. The
 * name a lookup found (contacts, LDAP, CRM: issue 18) wins over the PBX's display name.
 */
export function remoteParty(call: CallInfo): { name: string | undefined; number: string; company?: string; link?: string } {
  const number = plainText(call.remote.number, 48);
  const found = call.contact?.name ? plainText(call.contact.name, 64) : '';
  const name = found || (call.remote.name ? plainText(call.remote.name, 64) : '');
  const company = found && call.contact?.company ? plainText(call.contact.company, 64) : '';
  const link = found ? crmLink(call.contact?.link) : undefined;
  return { name: name && name !== number ? name : undefined, number, ...(company ? { company } : {}), ...(link ? { link } : {}) };
}

/** One short label for the far end: the name when known, else the number. */
export function remoteLabel(call: CallInfo): string {
  const { name, number } = remoteParty(call);
  return name ?? number;
}
