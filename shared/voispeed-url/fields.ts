import { callIdSchema } from '../protocol/call';
import { VoispeedUrlError, describeChar, show, type VoispeedUrlErrorReason } from './errors';

/**
 * One checker per field, shared by the parser and the formatter so a link we write can never say
 * something the parser would refuse. Each takes the decoded field text and returns the normalised
 * value or throws. Every whitelist is ASCII: a value that survives can go into a SIP header, an
 * Integra argv or a Windows .bat without further quoting.
 */

export const LIMITS = {
  /** Whole URL, as received (before decoding). */
  input: 2048,
  /** A number as written, separators included. */
  numberField: 64,
  /** A number once separators are gone; E.164 is 15 digits, this leaves room for prefixes and codes. */
  numberDigits: 32,
  extId: 64,
  user: 64,
  /** DNS limit. */
  domain: 253,
  extension: 16,
  wsUrl: 512,
} as const;

/** Seed spacing ("voispeed: {number}, {ext_ID}") is presentation: spaces around a field mean nothing. */
export function trimSpaces(text: string): string {
  // Only U+0020: String#trim would also swallow NBSP and friends, which must be refused instead.
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
  return text.slice(start, end);
}

function fail(reason: VoispeedUrlErrorReason, message: string): never {
  throw new VoispeedUrlError(reason, message);
}

/** The first character of `text` outside `allowed`, for a message that names it. */
function firstOutside(text: string, allowed: RegExp): string | undefined {
  for (const ch of text) if (!allowed.test(ch)) return ch;
  return undefined;
}

const NUMBER_SEPARATORS = /[ .()-]/g;
const NUMBER_CHAR = /^[0-9+*#. ()-]$/;
const NUMBER_SHAPE = /^(?:\+[0-9]+|[0-9*#]+)$/;

/**
 * DESIGN section 5: a number is `[0-9+*#]`; the separators people write (space . - ( )) are dropped.
 * Dialling format (E.164, national, outside line) is not decided here: the host applies
 * `toDialTarget` when it places the call. Look-alike digits (fullwidth, Arabic-Indic, …) are refused
 * rather than folded, so what the user sees in a link is exactly what gets dialled.
 */
export function checkNumber(raw: string, reason: 'bad-number' | 'bad-target', what: string): string {
  const text = trimSpaces(raw);
  if (!text) fail(reason, `${what} is missing`);
  if (text.length > LIMITS.numberField) {
    fail(reason, `${what} is too long (${text.length} characters, at most ${LIMITS.numberField})`);
  }
  const odd = firstOutside(text, NUMBER_CHAR);
  if (odd !== undefined) {
    fail(reason, `${what} ${show(text)} contains ${describeChar(odd)}: only digits 0-9, * and #, a leading + and the separators space . - ( ) are allowed`);
  }
  const number = text.replace(NUMBER_SEPARATORS, '');
  if (!/[0-9]/.test(number)) fail(reason, `${what} ${show(text)} has no digits`);
  if (number.length > LIMITS.numberDigits) {
    fail(reason, `${what} has ${number.length} digits and symbols, at most ${LIMITS.numberDigits}`);
  }
  if (number.lastIndexOf('+') > 0) fail(reason, `${what} ${show(text)} has a + that is not at the start`);
  if (!NUMBER_SHAPE.test(number)) fail(reason, `${what} ${show(text)}: after a leading + only digits may follow`);
  return number;
}

/**
 * The ext_ID reaches an INVITE header, the popup, the history and Integra's `!08`, which may end up
 * in a .bat run through cmd.exe (DESIGN section 5). Hence printable ASCII without the characters
 * that mean something to a shell, to cmd.exe (% ! ^) or to HTML, and without our own separator.
 */
const EXT_ID_FORBIDDEN = ',<>"\'`\\;&|$()%!^';

export function checkExtId(raw: string): string {
  const text = trimSpaces(raw);
  if (!text) fail('bad-ext-id', 'the ext_ID after the comma is empty');
  if (text.length > LIMITS.extId) fail('bad-ext-id', `the ext_ID is too long (${text.length} characters, at most ${LIMITS.extId})`);
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20 || cp > 0x7e || EXT_ID_FORBIDDEN.includes(ch)) {
      fail('bad-ext-id', `the ext_ID ${show(text)} contains ${describeChar(ch)}, which is not allowed`);
    }
  }
  return text;
}

/** DESIGN section 4: the same id the popup, the history and Integra `!05` show. */
export function checkCallId(raw: string): string {
  const text = trimSpaces(raw);
  if (!text) fail('bad-call-id', 'the call id after the comma is empty');
  if (!callIdSchema.safeParse(text).success) {
    fail('bad-call-id', `${show(text)} is not a call id (1-128 of A-Z a-z 0-9 . _ @ + -)`);
  }
  return text;
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const OCTET = /^(?:0|[1-9][0-9]{0,2})$/;

/**
 * A DNS name or a plain dotted-quad IPv4 address. URL parsers read a name whose last label is
 * numeric (or 0x…) as an IPv4 address in shorthand, octal or hex (`127.1`, `0177.0.0.1`,
 * `0x7f.1`, `2130706433`): such a name must be the canonical four decimal octets or nothing, so
 * the host the user is shown is the host that is contacted. No IPv6 literals, no trailing dot.
 */
export function isHost(host: string): boolean {
  if (host.length < 1 || host.length > LIMITS.domain) return false;
  const labels = host.split('.');
  if (!labels.every((label) => LABEL.test(label))) return false;
  const last = labels[labels.length - 1] ?? '';
  if (/^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/i.test(last)) {
    return labels.length === 4 && labels.every((o) => OCTET.test(o) && Number(o) <= 255);
  }
  return true;
}

function isPort(port: string): boolean {
  return /^[1-9][0-9]{0,4}$/.test(port) && Number(port) <= 65535;
}

export function checkDomain(raw: string): string {
  const text = trimSpaces(raw);
  if (!text) fail('bad-domain', 'the domain after @ is missing');
  if (!isHost(text)) fail('bad-domain', `${show(text)} is not a domain name or a plain IPv4 address`);
  return text;
}

const USER_CHAR = /^[A-Za-z0-9._-]$/;

export function checkUser(raw: string): string {
  const text = trimSpaces(raw);
  if (!text) fail('bad-user', 'the user name before @ is missing');
  if (text.length > LIMITS.user) fail('bad-user', `the user name is too long (${text.length} characters, at most ${LIMITS.user})`);
  const odd = firstOutside(text, USER_CHAR);
  if (odd !== undefined) {
    fail('bad-user', `the user name ${show(text)} contains ${describeChar(odd)}: only A-Z a-z 0-9 . _ - are allowed`);
  }
  return text;
}

/** A SIP user part may also carry a leading-plus E.164 number (sip:+3902…@pbx). */
const SIP_USER = /^[A-Za-z0-9._+-]{1,64}$/;

/** F: where the call goes. A number, or `sip:user@domain[:port]` for a transfer to another PBX. */
export function checkTarget(raw: string): string {
  const text = trimSpaces(raw);
  if (!text) fail('bad-target', 'the forward target is missing');
  if (!/^sip:/i.test(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(text)) fail('bad-target', `the forward target ${show(text)} must be a number or sip:user@domain`);
    return checkNumber(text, 'bad-target', 'the forward target');
  }
  const rest = text.slice(4);
  const at = rest.indexOf('@');
  if (at < 0 || at !== rest.lastIndexOf('@')) fail('bad-target', `the forward target ${show(text)} must be sip:user@domain`);
  const user = rest.slice(0, at);
  const hostPort = rest.slice(at + 1);
  if (!SIP_USER.test(user)) fail('bad-target', `the SIP user ${show(user)} must be 1-64 of A-Z a-z 0-9 . _ + -`);
  const colon = hostPort.indexOf(':');
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
  const port = colon < 0 ? undefined : hostPort.slice(colon + 1);
  if (!isHost(host)) fail('bad-target', `${show(host)} in the forward target is not a domain name or a plain IPv4 address`);
  if (port !== undefined && !isPort(port)) fail('bad-target', `${show(port)} in the forward target is not a port (1-65535)`);
  return `sip:${user}@${hostPort}`;
}

export function checkMd5(raw: string): string {
  const text = trimSpaces(raw);
  if (!/^[0-9a-fA-F]{32}$/.test(text)) {
    fail('bad-md5', `the password hash ${show(text)} must be exactly 32 hexadecimal digits (MD5)`);
  }
  return text.toLowerCase();
}

export function checkExtension(raw: string): string {
  const text = trimSpaces(raw);
  if (!/^[0-9]{1,16}$/.test(text)) fail('bad-extension', `the extension ${show(text)} must be 1-${LIMITS.extension} digits`);
  return text;
}

/** Path and query of a WebSocket URL: no %, no @, no fragment, nothing a shell or HTML cares about. */
const WS_TAIL_CHAR = /^[A-Za-z0-9._~/?=&+:-]$/;

/**
 * `ws://` or `wss://`, a host (as `isHost`), an optional port, an optional path/query. No userinfo:
 * `wss://good.example@evil.example` must not be shown as "good.example". No `%`: a URL that
 * survived one decoding with a % in it was encoded twice, and no PBX needs one.
 */
export function checkWsUrl(raw: string, which: string): string {
  const text = trimSpaces(raw);
  if (!text) fail('bad-ws-url', `${which} is empty`);
  if (text.length > LIMITS.wsUrl) fail('bad-ws-url', `${which} is too long (${text.length} characters, at most ${LIMITS.wsUrl})`);
  const m = /^(wss?):\/\/([^/?#]*)(.*)$/i.exec(text);
  if (!m) fail('bad-ws-url', `${which} ${show(text)} must start with ws:// or wss://`);
  const scheme = (m[1] ?? '').toLowerCase();
  const authority = m[2] ?? '';
  const tail = m[3] ?? '';
  if (authority.includes('@')) fail('bad-ws-url', `${which} ${show(text)} must not contain a user name or password`);
  const colon = authority.indexOf(':');
  const host = colon < 0 ? authority : authority.slice(0, colon);
  const port = colon < 0 ? undefined : authority.slice(colon + 1);
  if (!isHost(host)) fail('bad-ws-url', `${which}: ${show(host)} is not a domain name or a plain IPv4 address`);
  if (port !== undefined && !isPort(port)) fail('bad-ws-url', `${which}: ${show(port)} is not a port (1-65535)`);
  if (tail && !tail.startsWith('/') && !tail.startsWith('?')) fail('bad-ws-url', `${which} ${show(text)} is not a URL`);
  const odd = firstOutside(tail, WS_TAIL_CHAR);
  if (odd !== undefined) fail('bad-ws-url', `${which} contains ${describeChar(odd)} in its path, which is not allowed`);
  const url = `${scheme}://${authority}${tail}`;
  // Belt and braces: the platform's own parser must see the same scheme, no credentials, no fragment.
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.protocol !== `${scheme}:` || parsed.username || parsed.password || parsed.hash) {
    fail('bad-ws-url', `${which} ${show(text)} is not a valid WebSocket URL`);
  }
  return url;
}

/**
 * url1/url2: a WebSocket URL (checkWsUrl) or a plain SIP server: `sip:` or `sips:` (or nothing, a
 * bare host), a host as in checkDomain, an optional `:port`, an optional `;transport=udp|tcp|tls`
 * (not `udp` after `sips:`). Scheme and transport come back lowercase.
 */
export function checkServer(raw: string, which: string): string {
  const text = trimSpaces(raw);
  if (/^wss?:/i.test(text) || !text) return checkWsUrl(raw, which);
  if (text.length > LIMITS.wsUrl) fail('bad-ws-url', `${which} is too long (${text.length} characters, at most ${LIMITS.wsUrl})`);
  const explain = 'must be a ws:// or wss:// URL, or a SIP server such as sip:pbx.example.com;transport=tcp or sips:pbx.example.com';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) fail('bad-ws-url', `${which} ${show(text)} ${explain}`);
  const m = /^(?:(sips?):)?([^:;]*)(?::([^;]*))?(?:;transport=([A-Za-z]*))?$/i.exec(text);
  if (!m) fail('bad-ws-url', `${which} ${show(text)} ${explain}`);
  const scheme = m[1]?.toLowerCase();
  const host = m[2] ?? '';
  const port = m[3];
  const transport = m[4]?.toLowerCase();
  if (!isHost(host)) fail('bad-ws-url', `${which}: ${show(host)} is not a domain name or a plain IPv4 address`);
  if (port !== undefined && !isPort(port)) fail('bad-ws-url', `${which}: ${show(port)} is not a port (1-65535)`);
  if (transport !== undefined && (!scheme || !['udp', 'tcp', 'tls'].includes(transport))) {
    fail('bad-ws-url', `${which} ${show(text)}: ;transport= takes udp, tcp or tls, after sip: or sips:`);
  }
  if (scheme === 'sips' && transport === 'udp') fail('bad-ws-url', `${which} ${show(text)}: sips: needs TLS, not UDP`);
  return `${scheme ? `${scheme}:` : ''}${host}${port === undefined ? '' : `:${port}`}${transport ? `;transport=${transport}` : ''}`;
}
