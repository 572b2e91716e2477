import { ErrorCode, ProtocolError } from '../protocol/errors';

/**
 * Stable reason codes: the CLI, the host and the extension's translations key on them, so a code
 * is never renamed or reused for another meaning. The README lists when each one is raised.
 */
export const VOISPEED_URL_ERROR_REASONS = [
  'empty',
  'too-long',
  'bad-scheme',
  'bad-percent-encoding',
  'control-character',
  'unknown-command',
  'missing-fields',
  'extra-fields',
  'bad-number',
  'bad-ext-id',
  'bad-call-id',
  'bad-target',
  'bad-user',
  'bad-domain',
  'bad-md5',
  'bad-extension',
  'bad-ws-url',
] as const;

export type VoispeedUrlErrorReason = (typeof VOISPEED_URL_ERROR_REASONS)[number];

/** The only error `parseVoispeedUrl` and `formatVoispeedUrl` throw. */
export class VoispeedUrlError extends Error {
  readonly reason: VoispeedUrlErrorReason;

  constructor(reason: VoispeedUrlErrorReason, message: string) {
    super(message);
    this.name = 'VoispeedUrlError';
    this.reason = reason;
  }

  /** For replies on the native port and the control socket; the reason travels in `data`. */
  toProtocolError(): ProtocolError {
    return new ProtocolError(ErrorCode.INVALID_PARAMS, this.message, { reason: this.reason });
  }
}

/** Most input we ever repeat back in a message: enough to recognise it, too little to smuggle much. */
export const MAX_ECHO = 40;
/** Width of a quote once escapes are spelled out. */
const MAX_SHOWN = 80;

/**
 * Quotes caller-controlled text for a message. The text may come from a hostile page, so it is cut
 * to MAX_ECHO code points and everything but printable ASCII is shown as an escape: a message must
 * never carry a raw newline (log forging), a bidi override (spoofing the popup) or a terminal escape.
 */
export function show(text: string): string {
  let out = '';
  let count = 0;
  for (const ch of text) {
    const shown = visible(ch);
    // Escapes are long: also cap the rendered width, or 40 look-alike digits fill a screen.
    if (count === MAX_ECHO || out.length + shown.length > MAX_SHOWN) return `"${out}"…`;
    out += shown;
    count++;
  }
  return `"${out}"`;
}

/** One character as a reader should see it in a message. */
export function visible(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (ch === '"' || ch === '\\') return `\\${ch}`;
  if (cp >= 0x20 && cp <= 0x7e) return ch;
  return `\\u{${cp.toString(16).toUpperCase().padStart(4, '0')}}`;
}

/** Names a single character with its code point when it is not plain ASCII (look-alike digits). */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp >= 0x21 && cp <= 0x7e ? `"${visible(ch)}"` : ch === ' ' ? 'a space' : `"${visible(ch)}" (${code})`;
}
