import type { CallEndReason } from './call';

/** How calls end, in words and in the one rule for "missed" (the vocabulary itself is in call.ts). */

/** What "missed" needs to know of a call: the one definition for the popup, notifications and history. */
export interface MissedFacts {
  direction: 'in' | 'out';
  answeredAt?: number | undefined;
  end?: { originator: 'local' | 'remote' | 'system'; reason: CallEndReason } | undefined;
}

/**
 * An incoming call that ended before anyone answered it, and not because we turned it down or it
 * failed here: the caller gave up (or the PBX stopped ringing us), or nobody picked up in time.
 */
export function isMissed(call: MissedFacts): boolean {
  if (call.direction !== 'in' || call.answeredAt !== undefined || !call.end) return false;
  const { reason, originator } = call.end;
  return reason === 'canceled' || reason === 'no-answer' || originator === 'remote';
}

/** English words for a reason, for the CLI's sentences and logs (the extension translates its own). */
const REASON_WORDS: Record<CallEndReason, string> = {
  'hung-up': 'hung up',
  canceled: 'cancelled',
  'no-answer': 'no answer',
  busy: 'busy',
  declined: 'declined',
  'not-found': 'number not found',
  unavailable: 'not reachable',
  incomplete: 'incomplete number',
  redirected: 'redirected',
  auth: 'not authorised by the PBX',
  'no-codec': 'no audio codec in common',
  network: 'the connection to the PBX failed',
  'no-browser': 'no browser connected',
  'no-microphone': 'no microphone',
  'microphone-denied': 'microphone refused',
  'microphone-busy': 'microphone in use',
  'media-error': 'audio setup failed',
  dnd: 'do not disturb',
  failed: 'failed',
};

/** One English sentence for a failed call: the CLI prints it after `voispeed: `; logs keep it. */
export function describeFailure(end: { reason: CallEndReason; code?: number | undefined }): string {
  switch (end.reason) {
    case 'no-browser':
      return 'no browser with the VOIspeed extension is connected to carry the audio';
    case 'no-microphone':
      return 'no microphone was found';
    case 'microphone-denied':
      return 'the browser refused the microphone (allow it for the VOIspeed extension)';
    case 'microphone-busy':
      return 'the microphone is in use by another program';
    case 'media-error':
      return "the browser could not set up the call's audio";
    case 'no-codec':
      return `the far end has no audio codec in common with this phone${end.code !== undefined ? ` (SIP ${end.code})` : ''}`;
    case 'network':
      if (end.code === undefined) return 'the connection to the PBX failed';
  }
  if (end.code !== undefined) return `the PBX refused it: SIP ${end.code} (${REASON_WORDS[end.reason]})`;
  return `it failed (${REASON_WORDS[end.reason]})`;
}
