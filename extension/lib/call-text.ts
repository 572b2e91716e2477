import { MediaCause, NETWORK_CAUSES, NO_CODEC_CODES, type CallInfo } from '../../shared/protocol';
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

/**
 * A final SIP status says more than JsSIP's cause: the PBX answers 480 or 408 when nobody picks
 * up, which JsSIP files under "Unavailable".
 */
const BY_CODE: Record<number, MessageKey> = {
  486: 'endBusy',
  600: 'endBusy',
  603: 'endDeclined',
  404: 'endNotFound',
  604: 'endNotFound',
  408: 'endNoAnswer',
  480: 'endNoAnswer',
  484: 'endIncomplete',
  488: 'endNoCodec',
  606: 'endNoCodec',
};

/** JsSIP's cause names (lib/Constants.js); 'BYE' is what our protocol comment calls Terminated. */
const BY_CAUSE: Record<string, MessageKey> = {
  Busy: 'endBusy',
  Rejected: 'endDeclined',
  'Not Found': 'endNotFound',
  Unavailable: 'endUnavailable',
  'Address Incomplete': 'endIncomplete',
  Redirected: 'endRedirected',
  'Authentication Error': 'endAuth',
  'Incompatible SDP': 'endNoCodec',
  // The host's causes for a call whose audio the browser could not set up (shared/protocol/call-causes.ts).
  [MediaCause.NO_BROWSER]: 'endNoBrowser',
  [MediaCause.NO_MICROPHONE]: 'endNoMic',
  [MediaCause.MIC_DENIED]: 'endMicDenied',
  [MediaCause.MIC_BUSY]: 'endMicBusy',
  [MediaCause.MEDIA_ERROR]: 'endMediaFailed',
};

/** Reasons that mean the call failed (not busy, declined, missed or hung up). */
const FAILURE_KEYS = new Set<MessageKey>(['endNoBrowser', 'endNoMic', 'endMicDenied', 'endMicBusy', 'endMediaFailed', 'endNoCodec', 'endNetwork', 'endFailed', 'endAuth', 'endNotFound', 'endIncomplete', 'endUnavailable']);

/** An incoming call that ended before anyone answered it, and not because we declined it. */
export function isMissed(call: CallInfo): boolean {
  if (call.direction !== 'in' || call.state !== 'ended' || call.answeredAt !== undefined || !call.end) return false;
  const { cause, originator } = call.end;
  return cause === 'Canceled' || cause === 'No Answer' || cause === 'Expires' || originator === 'remote';
}

/** Why an ended call ended, as the user would say it; undefined while the call lives. */
export function endReason(call: CallInfo): Text | undefined {
  const end = call.end;
  if (call.state !== 'ended' || !end) return undefined;
  if (isMissed(call)) return { key: 'endMissed' };
  return endCauseText(end);
}

/**
 * How a call ended, from its cause and final status alone: also for history records and for the
 * host's CALL_FAILED errors, which carry the same end.
 */
export function endCauseText(end: { cause: string; code?: number | undefined; originator?: string | undefined }): Text {
  const byCause = BY_CAUSE[end.cause];
  // The browser's own reasons first: a media failure has no SIP status worth showing.
  if (byCause && byCause !== 'endBusy' && byCause !== 'endDeclined' && end.code === undefined) return { key: byCause };
  const byCode = end.code !== undefined ? BY_CODE[end.code] : undefined;
  if (byCode) return { key: byCode };
  if (end.cause === 'Terminated' || end.cause === 'BYE') {
    return { key: end.originator === 'remote' ? 'endHungUpRemote' : 'endHungUpLocal' };
  }
  if (end.cause === 'Canceled') return { key: 'endCanceled' };
  if (end.cause === 'No Answer' || end.cause === 'Expires') return { key: 'endNoAnswer' };
  if (byCause) return { key: byCause };
  if (NETWORK_CAUSES.has(end.cause) && end.code === undefined) return { key: 'endNetwork' };
  // Protocol failures and PBX refusals: the user can do nothing but retry; the detail helps support.
  return { key: 'endFailed', subs: [end.code !== undefined ? `SIP ${end.code}` : plainText(end.cause, 64)] };
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

/** The far end's name and number, cleaned for display; name only when it says something new. */
export function remoteParty(call: CallInfo): { name: string | undefined; number: string } {
  const number = plainText(call.remote.number, 48);
  const name = call.remote.name ? plainText(call.remote.name, 64) : '';
  return { name: name && name !== number ? name : undefined, number };
}

/** One short label for the far end: the name when known, else the number. */
export function remoteLabel(call: CallInfo): string {
  const { name, number } = remoteParty(call);
  return name ?? number;
}
