import type { IncomingRequest, IncomingResponse } from 'jssip/lib/SIPMessage';
import type { CallEnd, CallEndReason } from '../../../shared/protocol';

/**
 * The one place that turns SIP and JsSIP into `CallInfo.end.reason` (shared/protocol/call-end.ts).
 * JsSIP's cause names (lib/Constants.js) and final SIP statuses go in; the closed reason comes out.
 * The raw cause stays beside it for logs and protocol-1 clients only.
 */

/**
 * The causes the host gives a call whose audio could not be set up in the browser (JsSIP only
 * knows that the peer connection failed, and files it as "Canceled", which read as "No answer").
 */
export const MediaCause = {
  /** No browser with the extension was connected to carry the audio. */
  NO_BROWSER: 'No Browser',
  /** getUserMedia: NotFoundError / OverconstrainedError. */
  NO_MICROPHONE: 'No Microphone',
  /** getUserMedia: NotAllowedError / SecurityError (JsSIP's own cause name). */
  MIC_DENIED: 'User Denied Media Access',
  /** getUserMedia: NotReadableError / AbortError (another program holds the device). */
  MIC_BUSY: 'Microphone Busy',
  /** Anything else the browser's peer connection refused. */
  MEDIA_ERROR: 'Media Error',
  /** The media gateway: the PBX and the browser share no codec it can pass through (JsSIP's own cause name). */
  NO_CODEC: 'Incompatible SDP',
} as const;
export type MediaCauseValue = (typeof MediaCause)[keyof typeof MediaCause];

/** The cause the call manager gives an incoming call it turned down because of do-not-disturb. */
export const DND_CAUSE = 'Do Not Disturb';

/**
 * The cause for a failure of the browser's side of the media bridge. `code` is the protocol error
 * code (2001 DISCONNECTED when no browser is there), `name` the DOMException name the engine
 * passes in the error's data.
 */
export function mediaCauseOf(code: number | undefined, name: string | undefined): MediaCauseValue {
  if (code === 2001 || code === 2005) return MediaCause.NO_BROWSER;
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
      return MediaCause.NO_MICROPHONE;
    case 'NotAllowedError':
    case 'SecurityError':
      return MediaCause.MIC_DENIED;
    case 'NotReadableError':
    case 'AbortError':
      return MediaCause.MIC_BUSY;
    default:
      return MediaCause.MEDIA_ERROR;
  }
}

/** A final SIP status says more than JsSIP's cause: a PBX answers 480 or 408 when nobody picks up. */
const BY_CODE: Record<number, CallEndReason> = {
  486: 'busy',
  600: 'busy',
  603: 'declined',
  404: 'not-found',
  604: 'not-found',
  408: 'no-answer',
  480: 'no-answer',
  484: 'incomplete',
  488: 'no-codec',
  606: 'no-codec',
};

/** Causes that name what happened better than any status that came with them. */
const FIRST_BY_CAUSE: Record<string, CallEndReason> = {
  'Not Found': 'not-found',
  Unavailable: 'unavailable',
  'Address Incomplete': 'incomplete',
  Redirected: 'redirected',
  'Authentication Error': 'auth',
  'Incompatible SDP': 'no-codec',
  [MediaCause.NO_BROWSER]: 'no-browser',
  [MediaCause.NO_MICROPHONE]: 'no-microphone',
  [MediaCause.MIC_DENIED]: 'microphone-denied',
  [MediaCause.MIC_BUSY]: 'microphone-busy',
  [MediaCause.MEDIA_ERROR]: 'media-error',
};

/** Causes read after the status (a 603 with cause Busy is a decline). */
const THEN_BY_CAUSE: Record<string, CallEndReason> = {
  Terminated: 'hung-up',
  BYE: 'hung-up',
  Canceled: 'canceled',
  'No Answer': 'no-answer',
  Expires: 'no-answer',
  Busy: 'busy',
  Rejected: 'declined',
};

/** JsSIP causes that mean the PBX could not be reached, or the connection dropped. */
const NETWORK_CAUSES = new Set(['Connection Error', 'Request Timeout']);

/** The reason for JsSIP's cause and the final SIP status (total: any string, any number). */
export function endReasonOf(cause: string, code: number | undefined): CallEndReason {
  if (cause === DND_CAUSE) return 'dnd';
  const first = Object.hasOwn(FIRST_BY_CAUSE, cause) ? FIRST_BY_CAUSE[cause] : undefined;
  // The browser's and JsSIP's own reasons first: a media failure has no SIP status worth reading.
  if (first && code === undefined) return first;
  const byCode = code !== undefined && Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : undefined;
  if (byCode) return byCode;
  const then = Object.hasOwn(THEN_BY_CAUSE, cause) ? THEN_BY_CAUSE[cause] : undefined;
  if (then) return then;
  if (first) return first;
  if (NETWORK_CAUSES.has(cause) && code === undefined) return 'network';
  return 'failed';
}

/** `CallInfo.end` for JsSIP's originator and cause and the final status: the reason mapped once, the cause kept for logs. */
export function callEnd(originator: CallEnd['originator'], cause: string, code?: number): CallEnd {
  const raw = cause.slice(0, 64);
  return { originator, reason: endReasonOf(raw, code), cause: raw, ...(code !== undefined ? { code } : {}) };
}

/**
 * JsSIP's "failed"/"ended" carry the SIP message, or, when answer() fails on our side (the media
 * gateway could not negotiate), the error's text: `'x' in aString` would throw inside JsSIP's
 * emit, the call would never end, and the user would see it ringing forever.
 */
export function sipMessage(m: unknown): IncomingResponse | IncomingRequest | undefined {
  return typeof m === 'object' && m !== null ? (m as IncomingResponse | IncomingRequest) : undefined;
}
