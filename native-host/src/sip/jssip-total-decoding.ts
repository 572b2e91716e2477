import Grammar from 'jssip/lib/Grammar';
import Utils from 'jssip/lib/Utils';
import { decodePercent, encodePercent } from '../../../shared/text/percent';

/**
 * JsSIP percent-decodes SIP URI users with the bare `decodeURIComponent`, which throws on escapes
 * that do not spell UTF-8 (`From: <sip:0261616161%FF@…>`): the parser then throws out of the
 * WebSocket handler and the INVITE is lost. And `URI.toString()` re-escapes a user with
 * `encodeURIComponent(decodeURIComponent(user))`, which throws for any user that holds a `%`
 * after SIP's own unescaping (`sip:0261616161%25PATH%25@…` is the user `0261616161%PATH%`), so
 * describing such a call failed. Both become total here, once for the whole process:
 * - `Grammar.parse` runs with the total decoder in place of the global one (the parse is
 *   synchronous, so nothing else can observe the swap), so an undecodable escape stays as it
 *   was received;
 * - a header that still fails to parse because of a `%` that starts no escape is read with that
 *   `%` as a literal, and a From or To that cannot be read at all becomes an unknown party (its
 *   tag kept), since JsSIP drops a message whose From or To it cannot parse, silently;
 * - `Utils.escapeUser` falls back to escaping the user as the literal text it is.
 * Everything JsSIP decodes from a message goes through these two (see node_modules/jssip/lib:
 * Grammar.js is the only parser; URI.js escapes users only through Utils.escapeUser).
 */
type Patched = { __voispeedTotal?: true };

const KEEP_IN_USER: [RegExp, string][] = [
  [/%3A/gi, ':'],
  [/%2B/gi, '+'],
  [/%3F/gi, '?'],
  [/%2F/gi, '/'],
];

const LONE_PERCENT = /%(?![0-9A-Fa-f]{2})/;
const LONE_PERCENTS = /%(?![0-9A-Fa-f]{2})/g;
const TAG = /;\s*tag\s*=\s*([A-Za-z0-9.!%*_+`'~-]{1,128})\s*(?:;|$)/i;

/** A name-addr for a party that cannot be read: no user (shown as an unknown caller), its tag kept. */
function unknownParty(header: string): string {
  const gt = header.lastIndexOf('>');
  const tag = TAG.exec(gt >= 0 ? header.slice(gt + 1) : header)?.[1];
  return `<sip:unknown.invalid>${tag ? `;tag=${tag}` : ''}`;
}

/** JsSIP's escapeUser, for a user that is literal text (what a total decode left undecoded). */
function escapeLiteralUser(user: string): string {
  let out = encodePercent(user);
  for (const [re, ch] of KEEP_IN_USER) out = out.replace(re, ch);
  return out;
}

/** Runs `fn` with `decodeURIComponent` total; for synchronous code only. */
export function withTotalDecoding<T>(fn: () => T): T {
  const g = globalThis as { decodeURIComponent: (s: string) => string };
  const saved = g.decodeURIComponent;
  if (saved === decodePercent) return fn();
  g.decodeURIComponent = decodePercent;
  try {
    return fn();
  } finally {
    g.decodeURIComponent = saved;
  }
}

export function makeJsSipDecodingTotal(): void {
  const grammar = Grammar as unknown as { parse: (input: string, rule?: string) => unknown } & Patched;
  if (!grammar.__voispeedTotal) {
    const parse = grammar.parse;
    grammar.parse = function totalParse(this: unknown, input: string, rule?: string) {
      const run = (text: string) => withTotalDecoding(() => parse.call(this, text, rule));
      const parsed = run(input);
      if (parsed !== -1 || typeof input !== 'string') return parsed;
      // A '%' that starts no escape is a syntax error, and JsSIP drops the whole message
      // silently (the caller hears 408): read such a '%' as the literal it was sent as.
      if (LONE_PERCENT.test(input)) {
        const again = run(input.replace(LONE_PERCENTS, '%25'));
        if (again !== -1) return again;
      }
      // A From or To JsSIP cannot read at all still names a call: an unknown party, with the
      // tag that matches the dialog. The raw header is untouched (replies copy it as received).
      if (rule === 'From' || rule === 'To') return run(unknownParty(input));
      return parsed;
    };
    grammar.__voispeedTotal = true;
  }
  const utils = Utils as unknown as { escapeUser: (user: string) => string } & Patched;
  if (!utils.__voispeedTotal) {
    const escapeUser = utils.escapeUser;
    utils.escapeUser = (user: string) => {
      try {
        return escapeUser(user);
      } catch {
        return escapeLiteralUser(String(user));
      }
    };
    utils.__voispeedTotal = true;
  }
}

makeJsSipDecodingTotal();
