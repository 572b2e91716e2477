/**
 * Why a call failed, as `CallInfo.end.cause` carries it: JsSIP's own cause names, plus the ones the
 * host gives a call whose audio could not be set up in the browser (JsSIP only knows that the peer
 * connection failed, and files it as "Canceled", which read as "No answer"). One table for the
 * host (CLI sentences, logs), the extension (translated sentences) and the history.
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
} as const;
export type MediaCauseValue = (typeof MediaCause)[keyof typeof MediaCause];

const MEDIA_CAUSES = new Set<string>(Object.values(MediaCause));
export function isMediaCause(cause: string | undefined): cause is MediaCauseValue {
  return cause !== undefined && MEDIA_CAUSES.has(cause);
}

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

/** Final statuses that say the two ends have no codec in common. */
export const NO_CODEC_CODES = new Set([488, 606]);

/** JsSIP causes that mean the PBX could not be reached, or the connection dropped. */
export const NETWORK_CAUSES = new Set(['Connection Error', 'Request Timeout']);

/** One English sentence for a failed call: the CLI prints it after `voispeed: `; logs keep it. */
export function describeFailure(end: { cause: string; code?: number | undefined }): string {
  switch (end.cause) {
    case MediaCause.NO_BROWSER:
      return 'no browser with the VOIspeed extension is connected to carry the audio';
    case MediaCause.NO_MICROPHONE:
      return 'no microphone was found';
    case MediaCause.MIC_DENIED:
      return 'the browser refused the microphone (allow it for the VOIspeed extension)';
    case MediaCause.MIC_BUSY:
      return 'the microphone is in use by another program';
    case MediaCause.MEDIA_ERROR:
      return "the browser could not set up the call's audio";
  }
  if (end.code !== undefined && NO_CODEC_CODES.has(end.code)) return `the far end has no audio codec in common with this phone (SIP ${end.code})`;
  if (NETWORK_CAUSES.has(end.cause) && end.code === undefined) return `the connection to the PBX failed (${end.cause})`;
  if (end.code !== undefined) return `the PBX refused it: SIP ${end.code} (${end.cause})`;
  return `it failed (${end.cause})`;
}
