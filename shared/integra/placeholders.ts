import type { IntegraEventName } from './events';

/** `!00` … `!09` (DESIGN section 5; `!09` since issue 18). */
export const PLACEHOLDER_KEYS = ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09'] as const;
export type PlaceholderKey = (typeof PLACEHOLDER_KEYS)[number];
export type PlaceholderValues = Record<PlaceholderKey, string>;

/** What each placeholder means, for the options page and the README. */
export const PLACEHOLDER_NAMES: Record<PlaceholderKey, string> = {
  '00': 'own extension',
  '01': 'remote number',
  '02': 'event name',
  '03': 'own direct number called (DID)',
  '04': 'server time dd/mm/yyyy_hh.mm.ss',
  '05': 'call id',
  '06': 'original calling number',
  '07': 'original called number (incoming events only)',
  '08': 'external id (voispeed:{n},{ext_ID})',
  '09': 'caller name (contacts, LDAP, CRM or the PBX display name)',
};

const PLACEHOLDER = /!0([0-9])/g;

export function hasPlaceholder(text: string): boolean {
  return /!0[0-9]/.test(text);
}

/**
 * One pass: every `!0n` of the template is replaced by its value and the result is never scanned
 * again, so a value containing `!02` stays literal.
 */
export function substitute(template: string, values: PlaceholderValues, encode: (value: string) => string = (v) => v): string {
  return template.replace(PLACEHOLDER, (_m, digit: string) => encode(values[`0${digit}` as PlaceholderKey]));
}

const two = (n: number) => String(n).padStart(2, '0');

/** `!04`: `dd/mm/yyyy_hh.mm.ss` in the host's time zone. */
export function formatEventTime(date: Date): string {
  return `${two(date.getDate())}/${two(date.getMonth() + 1)}/${date.getFullYear()}_${two(date.getHours())}.${two(date.getMinutes())}.${two(date.getSeconds())}`;
}

const SIP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** A SIP Date header (RFC 3261: rfc1123-date, always GMT) in ms since the epoch, or undefined. */
export function parseSipDate(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (text.length > 64 || !SIP_DATE.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

// Network values are whitelisted and capped before they reach any template (DESIGN section 5).
/**
 * Visual separators of a phone number that carry no meaning: RFC 3966's `-` `.` `(` `)` and the
 * plain space people write between groups. Only these: a tab, a line break, a NUL or any other
 * space-like character is not a separator but a sign the value is something else.
 */
const VISUAL = /[ ().-]/g;
const NUMBER = /^[0-9+*#]{1,32}$/;
/** Longer than this as received, even a value of digits and separators is no phone number. */
const MAX_RECEIVED = 256;
const CALL_ID = /^[A-Za-z0-9._@+-]{1,128}$/;
const EXT_ID = /^[A-Za-z0-9 ._:/#@+=-]{1,64}$/;
const USER = /^[A-Za-z0-9._+-]{1,64}$/;

/**
 * The one rule for a number from the network (issue 12): judged on the whole value as received
 * (after SIP's own %XX unescaping, which never cuts anything, and before any cleaning for
 * display), it is `[0-9+*#]`, 1–32 characters once the visual separators are dropped. Anything
 * else anywhere in it (a NUL, a line break, a tab, a letter, `%`, a non-ASCII digit, more than 256
 * characters) makes it empty, never a cut-down look-alike of a number.
 */
export function safeNumber(value: string | undefined): string {
  if (!value || value.length > MAX_RECEIVED) return '';
  const compact = value.replace(VISUAL, '');
  return NUMBER.test(compact) ? compact : '';
}

/** Our own extension comes from the account, but a SIP user may hold names too. */
export function safeUser(value: string | undefined): string {
  return value && USER.test(value) ? value : '';
}

export function safeCallId(value: string | undefined): string {
  return value && CALL_ID.test(value) ? value : '';
}

/**
 * A name is text: kept as it is (quotes, `&`, `$` included: a command gets it as one argv element,
 * a URL encoded, a .bat refuses it in plan.ts) but without control characters, one line, capped.
 */
export function safeName(value: string | undefined): string {
  if (!value) return '';
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 128);
}

export function safeExtId(value: string | undefined): string {
  return value && EXT_ID.test(value) ? value : '';
}

/** The facts of one event, before whitelisting. */
export interface EventFacts {
  event: IntegraEventName;
  ownExtension?: string | undefined;
  remoteNumber?: string | undefined;
  didNumber?: string | undefined;
  /** The event's server time in ms (local clock corrected by the PBX's Date header). */
  time: number;
  callId?: string | undefined;
  originalCaller?: string | undefined;
  originalCalled?: string | undefined;
  extId?: string | undefined;
  /** The best name known when the event fires: contacts, LDAP, CRM, else the PBX's display name. */
  callerName?: string | undefined;
}

/** Every placeholder's value: whitelisted, capped, `!07` only for incoming-call events. */
export function placeholderValues(f: EventFacts): PlaceholderValues {
  const incoming = f.event === 'CALL_IN' || f.event === 'CALL_FORWARD_IN';
  return {
    '00': safeUser(f.ownExtension),
    '01': safeNumber(f.remoteNumber),
    '02': f.event,
    '03': safeNumber(f.didNumber),
    '04': formatEventTime(new Date(f.time)),
    '05': safeCallId(f.callId),
    '06': safeNumber(f.originalCaller),
    '07': incoming ? safeNumber(f.originalCalled) : '',
    '08': safeExtId(f.extId),
    '09': safeName(f.callerName),
  };
}
