import type { CallInfo } from '../../../shared/protocol';

/** What JsSIP knows of the far end (RTCSession.remote_identity): untrusted network text. */
export interface RemoteIdentity {
  display_name?: string | null;
  uri?: { user?: string | null; toString(): string } | null;
}

const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Caller-controlled text for display: no control characters, length-capped. */
export function displayText(value: string | undefined | null, max = 128): string | undefined {
  if (!value) return undefined;
  const clean = String(value).replace(CONTROL, ' ').trim().slice(0, max);
  return clean || undefined;
}

/**
 * A number as received, for display: a control character (a NUL from `%00`) becomes U+FFFD
 * instead of a space that trimming would drop, so `0261616161\0` is never shown, called back or
 * handed on as the clean look-alike `0261616161`.
 */
function displayNumber(value: string | undefined | null): string {
  if (!value) return '';
  return String(value).replace(CONTROL, '\uFFFD').trim().slice(0, 64);
}

/**
 * The far end of a call as CallInfo shows it. Total: whatever the network sent, a call is
 * described, at worst as an unknown caller (empty number, which every view shows as "Unknown
 * caller"), so it is still shown, notified, raised in Integra and recorded.
 */
export function describeRemote(identity: RemoteIdentity | null | undefined, dialled: string | undefined, onError: (err: unknown) => void): CallInfo['remote'] {
  let number = dialled !== undefined ? displayNumber(dialled) : '';
  let name: string | undefined;
  let uri = '';
  try {
    if (dialled === undefined) number = displayNumber(identity?.uri?.user);
  } catch (err) {
    onError(err);
  }
  try {
    name = displayText(identity?.display_name);
  } catch (err) {
    onError(err);
  }
  try {
    uri = displayText(identity?.uri?.toString(), 256) ?? '';
  } catch (err) {
    onError(err);
  }
  return { number, ...(name ? { name } : {}), uri };
}
