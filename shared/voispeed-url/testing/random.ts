import type { VoispeedCommand } from '../parse';

/**
 * Test-only randomness: a seeded PRNG so every failure replays from (seed, iteration), and
 * generators of valid commands that stay inside the grammar's limits.
 */
export interface Rng {
  /** [0, 1) */
  next(): number;
  /** [0, n) */
  int(n: number): number;
  /** [lo, hi] */
  range(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast, good enough to spread test inputs; not for anything secret. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
  };
}

export function stringFrom(rng: Rng, alphabet: string, min: number, max: number): string {
  const n = rng.range(min, max);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[rng.int(alphabet.length)];
  return out;
}

const DIGITS = '0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Printable ASCII minus what the ext_ID refuses. */
export const EXT_ID_ALPHABET = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i))
  .filter((c) => !',<>"\'`\\;&|$()%!^'.includes(c))
  .join('');

export function randomNumber(rng: Rng): string {
  if (rng.chance(0.3)) return `+${stringFrom(rng, DIGITS, 1, 31)}`;
  const body = stringFrom(rng, rng.chance(0.7) ? DIGITS : `${DIGITS}*#`, 0, 31);
  const at = rng.int(body.length + 1);
  // At least one digit somewhere.
  return body.slice(0, at) + rng.pick([...DIGITS]) + body.slice(at);
}

export function randomExtId(rng: Rng): string {
  const inner = stringFrom(rng, EXT_ID_ALPHABET, 0, 62);
  const ends = EXT_ID_ALPHABET.replace(' ', '');
  // Spaces around a field are dropped by the parser, so a normalised ext_ID never has them.
  return inner.length === 0 ? rng.pick([...ends]) : rng.pick([...ends]) + inner.slice(0, 62) + rng.pick([...ends]);
}

export function randomCallId(rng: Rng): string {
  return stringFrom(rng, `${ALNUM}._@+-`, 1, rng.chance(0.1) ? 128 : 40);
}

function randomLabel(rng: Rng, max = 20): string {
  const n = rng.range(1, max);
  if (n === 1) return rng.pick([...ALNUM]);
  return rng.pick([...ALNUM]) + stringFrom(rng, `${ALNUM}-`, n - 2, n - 2) + rng.pick([...ALNUM]);
}

export function randomHost(rng: Rng): string {
  if (rng.chance(0.2)) return Array.from({ length: 4 }, () => String(rng.int(256))).join('.');
  const labels = Array.from({ length: rng.range(0, 3) }, () => randomLabel(rng, rng.chance(0.05) ? 63 : 12));
  // The last label must not look numeric, or URL parsers would read an IPv4 address.
  labels.push(rng.pick([...LETTERS]) + (rng.chance(0.5) ? randomLabel(rng, 8) : ''));
  return labels.join('.');
}

function randomPort(rng: Rng): string {
  return rng.chance(0.5) ? '' : `:${rng.range(1, 65535)}`;
}

export function randomWsUrl(rng: Rng): string {
  const tail = rng.chance(0.4) ? '' : rng.pick(['/', '?']) + stringFrom(rng, `${ALNUM}._~/?=&+:-`, 0, rng.chance(0.05) ? 400 : 20);
  return `${rng.pick(['ws', 'wss'])}://${randomHost(rng)}${randomPort(rng)}${tail}`.slice(0, 512);
}

/** A url1/url2 of either kind: WebSocket, or sip:/sips:/bare host with an optional transport. */
export function randomServer(rng: Rng): string {
  if (rng.chance(0.5)) return randomWsUrl(rng);
  const scheme = rng.pick(['sip:', 'sips:', '']);
  const transport = scheme === '' || rng.chance(0.5) ? '' : `;transport=${rng.pick(scheme.toLowerCase() === 'sips:' ? ['tcp', 'tls'] : ['udp', 'tcp', 'tls'])}`;
  return `${scheme}${randomHost(rng)}${randomPort(rng)}${transport}`;
}

export function randomCommand(rng: Rng): VoispeedCommand {
  switch (rng.int(4)) {
    case 0:
      return rng.chance(0.5) ? { kind: 'call', number: randomNumber(rng) } : { kind: 'call', number: randomNumber(rng), extId: randomExtId(rng) };
    case 1:
      return rng.chance(0.3) ? { kind: 'hangup' } : { kind: 'hangup', callId: randomCallId(rng) };
    case 2: {
      const target = rng.chance(0.5)
        ? randomNumber(rng)
        : `sip:${stringFrom(rng, `${ALNUM}._+-`, 1, 20)}@${randomHost(rng)}${randomPort(rng)}`;
      return rng.chance(0.5) ? { kind: 'forward', target } : { kind: 'forward', target, callId: randomCallId(rng) };
    }
    default: {
      const wsUrls: [string] | [string, string] = rng.chance(0.5) ? [randomServer(rng)] : [randomServer(rng), randomServer(rng)];
      return {
        kind: 'configure',
        user: stringFrom(rng, `${ALNUM}._-`, 1, rng.chance(0.1) ? 64 : 12),
        domain: randomHost(rng),
        ha1: stringFrom(rng, '0123456789abcdef', 32, 32),
        extension: stringFrom(rng, DIGITS, 1, 16),
        wsUrls,
      };
    }
  }
}

/** Percent-encodes one character the way a browser or a careful script would (random hex case). */
export function percentEncodeChar(rng: Rng, ch: string): string {
  const bytes = new TextEncoder().encode(ch);
  return Array.from(bytes, (b) => {
    const hex = b.toString(16).padStart(2, '0');
    return `%${rng.chance(0.5) ? hex.toUpperCase() : hex}`;
  }).join('');
}

/**
 * The same command spelled the ways real senders spell it: scheme case, `//`, a space after the
 * colon, percent-escapes on any character. Every variant must parse to the same command.
 */
export function decorate(rng: Rng, canonical: string): string {
  let scheme = Array.from('voispeed:', (c) => (rng.chance(0.2) ? c.toUpperCase() : c)).join('');
  const slashes = rng.chance(0.15);
  if (slashes) scheme += '//';
  let body = canonical.slice('voispeed:'.length);
  if (rng.chance(0.2)) body = (rng.chance(0.5) ? ' ' : '%20') + body;
  // Escapes in the canonical form are decoded first, then a random subset re-encoded.
  body = Array.from(decodeURIComponent(body), (c) => {
    if (c === '#' || c === '%') return percentEncodeChar(rng, c);
    return rng.chance(0.1) ? percentEncodeChar(rng, c) : c;
  }).join('');
  // A final "/" after "//" is eaten by the parser (launcher quirk): protect a real one.
  if (slashes && body.endsWith('/')) body = `${body.slice(0, -1)}%2F`;
  if (slashes && rng.chance(0.3)) body += '/';
  return scheme + body;
}
