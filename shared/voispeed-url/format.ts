import { VoispeedUrlError, type VoispeedUrlErrorReason } from './errors';
import {
  checkCallId,
  checkDomain,
  checkExtId,
  checkExtension,
  checkMd5,
  checkNumber,
  checkTarget,
  checkUser,
  checkServer,
} from './fields';
import type { VoispeedCommand } from './parse';

/**
 * Characters left as they are in a canonical URL; everything else is escaped: space, `#` (a
 * fragment to a browser), `,` inside a value, quotes and brackets. `?`, `=` and `&` stay literal
 * although escaping them would look tidier: a WebSocket URL's query is made of them, and tripled
 * they could push a valid U command past the 2048-character limit, breaking the round trip.
 * Field values are ASCII by then.
 */
const LITERAL = /^[A-Za-z0-9\-._~+@:/*?=&]$/;

function encode(value: string): string {
  let out = '';
  for (const ch of value) {
    out += LITERAL.test(ch) ? ch : `%${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function text(value: unknown, reason: VoispeedUrlErrorReason, what: string): string {
  if (typeof value !== 'string') throw new VoispeedUrlError(reason, `${what} must be a string`);
  return value;
}

/**
 * The canonical `voispeed:` URL for a command: parseVoispeedUrl(formatVoispeedUrl(c)) deep-equals
 * c for every command the parser can return. Runs the parser's own field checks, so it refuses
 * (with VoispeedUrlError) to write a link the parser would not read; values are normalised on the
 * way (separators out of numbers, lowercase MD5).
 * Calls are written `voispeed:{number}` — the seed's own HTML example — never with the C prefix.
 */
export function formatVoispeedUrl(cmd: VoispeedCommand): string {
  const c = cmd as Partial<Record<string, unknown>> | null | undefined;
  switch (c?.kind) {
    case 'call': {
      const number = encode(checkNumber(text(c.number, 'bad-number', 'number'), 'bad-number', 'the number to call'));
      return c.extId === undefined
        ? `voispeed:${number}`
        : `voispeed:${number},${encode(checkExtId(text(c.extId, 'bad-ext-id', 'extId')))}`;
    }
    case 'hangup':
      return c.callId === undefined ? 'voispeed:D' : `voispeed:D${encode(checkCallId(text(c.callId, 'bad-call-id', 'callId')))}`;
    case 'forward': {
      const target = encode(checkTarget(text(c.target, 'bad-target', 'target')));
      return c.callId === undefined
        ? `voispeed:F${target}`
        : `voispeed:F${target},${encode(checkCallId(text(c.callId, 'bad-call-id', 'callId')))}`;
    }
    case 'configure': {
      const urls = c.wsUrls;
      if (!Array.isArray(urls) || urls.length < 1 || urls.length > 2) {
        throw new VoispeedUrlError('bad-ws-url', 'wsUrls must hold one or two servers');
      }
      const fields = [
        `${encode(checkUser(text(c.user, 'bad-user', 'user')))}@${encode(checkDomain(text(c.domain, 'bad-domain', 'domain')))}`,
        encode(checkMd5(text(c.ha1, 'bad-md5', 'ha1'))),
        encode(checkExtension(text(c.extension, 'bad-extension', 'extension'))),
        ...urls.map((u: unknown, i) => encode(checkServer(text(u, 'bad-ws-url', 'a server'), i ? 'the backup server' : 'the server'))),
      ];
      return `voispeed:U${fields.join(',')}`;
    }
    default:
      throw new VoispeedUrlError('unknown-command', 'not a voispeed command (kind must be call, hangup, forward or configure)');
  }
}
