import { VoispeedUrlError, show, visible } from './errors';
import {
  LIMITS,
  checkCallId,
  checkDomain,
  checkExtId,
  checkExtension,
  checkMd5,
  checkNumber,
  checkTarget,
  checkUser,
  checkServer,
  trimSpaces,
} from './fields';

/**
 * What a `voispeed:` URL asks for (DESIGN section 6). Values are validated and normalised.
 * `wsUrls` holds WebSocket URLs or SIP servers: the stored account's name, kept for compatibility.
 */
export type VoispeedCommand =
  | { kind: 'call'; number: string; extId?: string }
  | { kind: 'hangup'; callId?: string }
  | { kind: 'forward'; target: string; callId?: string }
  | { kind: 'configure'; user: string; domain: string; ha1: string; extension: string; wsUrls: [string] | [string, string] };

export type VoispeedCommandKind = VoispeedCommand['kind'];

const SCHEME = 'voispeed:';
const SCHEME_PREFIX = /^voispeed:/i;

/**
 * C0/C1 controls, invisible format characters (bidi overrides, zero-width, BOM), lone surrogates
 * and Unicode line breaks. None belongs in any field; reporting them as such is clearer than
 * letting each field say "not allowed".
 */
const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

function controlCheck(text: string, stage: string): void {
  const m = CONTROL.exec(text);
  if (m) {
    throw new VoispeedUrlError('control-character', `the URL contains a control or invisible character ${visible(m[0])} ${stage}`);
  }
}

/** Exactly one round of %XX decoding; anything that is not a well-formed UTF-8 escape is refused. */
function percentDecode(text: string): string {
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(text);
  if (bad) {
    throw new VoispeedUrlError(
      'bad-percent-encoding',
      `${show(text.slice(bad.index, bad.index + 3))} is not a percent-escape (expected % and two hex digits)`,
    );
  }
  try {
    return decodeURIComponent(text);
  } catch {
    throw new VoispeedUrlError('bad-percent-encoding', 'the percent-escapes do not spell valid UTF-8 text');
  }
}

function splitFields(body: string, min: number, max: number, usage: string): string[] {
  const fields = body.split(',');
  if (fields.length > max) {
    throw new VoispeedUrlError('extra-fields', `too many comma-separated fields (${fields.length}; ${usage})`);
  }
  if (fields.length < min) {
    throw new VoispeedUrlError('missing-fields', `too few comma-separated fields (${fields.length}; ${usage})`);
  }
  return fields;
}

function parseCall(body: string, letter: string): VoispeedCommand {
  const fields = splitFields(body, 1, 2, 'expected {number} or {number},{ext_ID}');
  const [numberField = '', extField] = fields;
  if (!trimSpaces(numberField)) {
    throw new VoispeedUrlError('bad-number', letter ? `voispeed:${letter} has no number to call` : 'there is no number to call');
  }
  const number = checkNumber(numberField, 'bad-number', 'the number to call');
  return extField === undefined ? { kind: 'call', number } : { kind: 'call', number, extId: checkExtId(extField) };
}

function parseHangup(body: string): VoispeedCommand {
  const [idField = ''] = splitFields(body, 1, 1, 'expected D or D{call id}');
  // An empty id is the seed's "in its absence the first call is disconnected".
  return trimSpaces(idField) ? { kind: 'hangup', callId: checkCallId(idField) } : { kind: 'hangup' };
}

function parseForward(body: string): VoispeedCommand {
  const [targetField = '', idField] = splitFields(body, 1, 2, 'expected F{target} or F{target},{call id}');
  const target = checkTarget(targetField);
  return idField === undefined ? { kind: 'forward', target } : { kind: 'forward', target, callId: checkCallId(idField) };
}

function parseConfigure(body: string): VoispeedCommand {
  const usage = 'expected U{user}@{domain},{md5},{extension},{server}[,{backup server}]';
  const [account = '', md5 = '', extension = '', url1 = '', url2] = splitFields(body, 4, 5, usage);
  const at = account.indexOf('@');
  if (at < 0) throw new VoispeedUrlError('bad-user', `${show(trimSpaces(account))} must be user@domain`);
  if (account.indexOf('@', at + 1) >= 0) throw new VoispeedUrlError('bad-domain', `${show(trimSpaces(account))} has more than one @`);
  // Checked in reading order, so the error names the first bad field.
  const user = checkUser(account.slice(0, at));
  const domain = checkDomain(account.slice(at + 1));
  const ha1 = checkMd5(md5);
  const ext = checkExtension(extension);
  const primary = checkServer(url1, 'the server');
  const wsUrls: [string] | [string, string] = url2 === undefined ? [primary] : [primary, checkServer(url2, 'the backup server')];
  return { kind: 'configure', user, domain, ha1, extension: ext, wsUrls };
}

/**
 * The one reader of `voispeed:` commands, for every source: links on pages, the OS URL handler
 * (through the CLI) and the CLI itself. Throws only VoispeedUrlError; whatever it returns has passed
 * a whitelist per field. It does not check permissions: whether a page may ask (trusted click) and
 * whether U is applied (user confirmation) are the caller's business (DESIGN sections 6 and 8).
 */
export function parseVoispeedUrl(input: string): VoispeedCommand {
  // Callers are typed, but the CLI hands over whatever argv held.
  if (typeof input !== 'string' || input.length === 0) throw new VoispeedUrlError('empty', 'no voispeed: URL was given');
  if (input.length > LIMITS.input) {
    throw new VoispeedUrlError('too-long', `the URL is ${input.length} characters long, at most ${LIMITS.input} are accepted`);
  }
  // A regex, not toLowerCase(): no non-ASCII character may fold into the scheme.
  if (!SCHEME_PREFIX.test(input)) {
    throw new VoispeedUrlError('bad-scheme', `${show(input)} does not start with voispeed:`);
  }
  let rest = input.slice(SCHEME.length);
  // Launchers that treat "//" as an authority add it, and some (Windows shell) then add a final "/".
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    if (rest.endsWith('/')) rest = rest.slice(0, -1);
  }
  controlCheck(rest, 'before decoding');
  let body = percentDecode(rest);
  controlCheck(body, 'after percent-decoding');
  // The seed writes "voispeed: C{number}"; Chromium hands that over as "voispeed:%20C…".
  if (body.startsWith(' ')) body = body.slice(1);
  const letter = body[0];
  if (letter === undefined) throw new VoispeedUrlError('empty', 'there is no command after voispeed:');
  // Numbers never start with a letter, so the first character alone tells a command from a number.
  if (!/^[A-Za-z]$/.test(letter)) return parseCall(body, '');
  const args = body.slice(1);
  switch (letter.toUpperCase()) {
    case 'C':
      return parseCall(args, letter);
    case 'D':
      return parseHangup(args);
    case 'F':
      return parseForward(args);
    case 'U':
      return parseConfigure(args);
    default:
      throw new VoispeedUrlError(
        'unknown-command',
        `${show(body.slice(0, 12))} is not a command: expected C, D, F, U or a number after voispeed:`,
      );
  }
}
