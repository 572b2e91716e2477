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
      return withTotalDecoding(() => parse.call(this, input, rule));
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
