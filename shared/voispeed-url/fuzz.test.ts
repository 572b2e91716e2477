import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { VOISPEED_URL_ERROR_REASONS, VoispeedUrlError, formatVoispeedUrl, parseVoispeedUrl, type VoispeedCommand } from './index';
import { CASES, MD5 } from './testing/cases';
import { commandIsClean, oracle } from './testing/oracle';
import { decorate, makeRng, percentEncodeChar, randomCommand, type Rng } from './testing/random';

/**
 * 100,000 random and mutated inputs. Replay a failure with the seed and iteration it prints:
 *   VOISPEED_FUZZ_SEED=<seed> VOISPEED_FUZZ_RUNS=<iteration + 1> npx vitest run shared/voispeed-url/fuzz.test.ts
 */
const SEED = Number(process.env.VOISPEED_FUZZ_SEED ?? 0x5eed2024) >>> 0;
const RUNS = Number(process.env.VOISPEED_FUZZ_RUNS ?? 100_000);

/** Things attackers and broken launchers put in URLs, and the grammar's own delimiters. */
const TOKENS = [
  '%', '%2', '%25', '%2525', '%2524', '%252C', '%2C', '%20', '%0a', '%0D%0A', '%00', '%09', '%7F', '%C2%85',
  '%C0%AF', '%E2%80%AE', '%E2%80%8B', '%E2%80%A8', '%EF%BB%BF', '%EF%BC%90', '%D9%A0', '%ff', '%ED%A0%80',
  '%F0%9F%98%80', '%40', '%3A', '%2F', '%23', '%3F', '%26', '%3B', '%60', '%24', '%28', '%29', '%7C',
  ',', ',,', '@', '@@', ':', '//', '/', ' ', '  ', 'C', 'D', 'F', 'U', 'c', 'd', 'f', 'u', 'X',
  'voispeed:', 'VOISPEED://', 'sip:', 'SIP:', 'sips:', 'tel:', 'wss://', 'ws://', 'WSS://', 'https://',
  '$(reboot)', '`id`', ';', '&&', '||', '|', '>', '<', '\n', '\r\n', '\t', '\0', '\x1b[2J', '"', "'", '\\',
  '<script>', '#', '*', '+', '++', '(', ')', '-', '.', '..', '!', '^', '~', '=', '?', '&', '[', ']',
  '0x7f', '127.0.0.1', '127.1', '0177.0.0.1', '256.0.0.1', '2130706433', '[::1]', 'localhost', 'a.b-c.example',
  ':0', ':1', ':65535', ':65536', ':08089', ':8089', '/ws', '?a=1&b=2', '#frag', 'user:pw@', MD5, MD5.toUpperCase(),
  '０２', '٠٢', '۰', '०', '𝟎', '\u00a0', '\u2013', '\ud800', '\udc00', '\u202e', '\u2028', '\ufeff', '\u0085',
  '1'.repeat(32), '1'.repeat(33), 'a'.repeat(63), 'a'.repeat(64), 'x'.repeat(129), 'y'.repeat(513),
];

const SPECIAL_CHARS = ['\0', '\n', '\r', '\t', '\x7f', '\x85', '\u00a0', '\u2028', '\u202e', '\u200b', '\ufeff', '\ud800', '\udfff', '０', '٣', '\u{1d7ce}', '😀', 'é', 'ß'];

function randomChar(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
    case 1:
    case 2:
      return String.fromCharCode(rng.range(0x20, 0x7e));
    case 3:
      return String.fromCharCode(rng.int(0x100));
    case 4:
      return rng.pick(SPECIAL_CHARS);
    default:
      return String.fromCharCode(rng.int(0x10000));
  }
}

function randomEscape(rng: Rng): string {
  const hex = '0123456789abcdefABCDEF';
  const any = `${hex}gGzZ% `;
  return rng.chance(0.8) ? `%${rng.pick([...hex])}${rng.pick([...hex])}` : `%${rng.chance(0.5) ? rng.pick([...any]) : ''}${rng.chance(0.5) ? rng.pick([...any]) : ''}`;
}

function mutate(rng: Rng, input: string, seeds: readonly string[]): string {
  let s = input;
  const ops = rng.range(1, 5);
  for (let k = 0; k < ops; k++) {
    const at = rng.int(s.length + 1);
    switch (rng.int(12)) {
      case 0:
        s = s.slice(0, at) + randomChar(rng) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + rng.range(1, 8));
        break;
      case 2:
        s = s.slice(0, at) + randomChar(rng) + s.slice(at + 1);
        break;
      case 3:
      case 4:
        s = s.slice(0, at) + rng.pick(TOKENS) + s.slice(at);
        break;
      case 5: {
        // Re-encode one character: same meaning, unless it was a delimiter or already an escape.
        const ch = String.fromCodePoint(s.codePointAt(at) ?? 0x41);
        s = s.slice(0, at) + percentEncodeChar(rng, ch) + s.slice(at + ch.length);
        break;
      }
      case 6:
        s = s.slice(0, at) + randomEscape(rng) + s.slice(at);
        break;
      case 7: {
        const from = rng.int(s.length + 1);
        s = s.slice(0, at) + s.slice(from, from + rng.range(1, 30)) + s.slice(at);
        break;
      }
      case 8:
        s = s.slice(0, at);
        break;
      case 9: {
        const ch = s.charAt(at);
        s = s.slice(0, at) + (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) + s.slice(at + 1);
        break;
      }
      case 10: {
        const other = rng.pick(seeds);
        s = s.slice(0, at) + other.slice(rng.int(other.length + 1));
        break;
      }
      default: {
        // Toward and past the length limits.
        const chunk = s.slice(at, at + rng.range(1, 12)) || 'a';
        s = s.slice(0, at) + chunk.repeat(rng.range(2, rng.chance(0.2) ? 400 : 40)) + s.slice(at);
        break;
      }
    }
  }
  return s;
}

type Source = 'random' | 'scheme+random' | 'valid' | 'mutated';

function randomInput(rng: Rng, seeds: readonly string[]): [Source, string] {
  const roll = rng.next();
  if (roll < 0.1) {
    const n = rng.chance(0.05) ? rng.range(2000, 2200) : rng.int(60);
    let s = '';
    for (let i = 0; i < n; i++) s += randomChar(rng);
    return ['random', s];
  }
  if (roll < 0.2) {
    let s = rng.pick(['voispeed:', 'VOISPEED:', 'voispeed://', 'voispeed: ', 'voispeed:%20']) + rng.pick(['', 'C', 'D', 'F', 'U', 'c', 'u']);
    const n = rng.int(40);
    for (let i = 0; i < n; i++) s += rng.chance(0.3) ? rng.pick(TOKENS) : randomChar(rng);
    return ['scheme+random', s];
  }
  if (roll < 0.3) {
    const canonical = formatVoispeedUrl(randomCommand(rng));
    return ['valid', rng.chance(0.5) ? canonical : decorate(rng, canonical)];
  }
  const base = rng.chance(0.5) ? rng.pick(seeds) : decorate(rng, formatVoispeedUrl(randomCommand(rng)));
  // Mostly keep the scheme intact so the mutations reach the fields, not just the first check.
  const keep = rng.chance(0.7) && /^voispeed:/i.test(base) ? 9 : 0;
  return ['mutated', base.slice(0, keep) + mutate(rng, base.slice(keep), seeds)];
}

/** Printable ASCII (and the ellipsis that marks a cut quote): safe for a terminal, a log, a popup. */
const SAFE_MESSAGE = /^[\x20-\x7e…]{1,260}$/;

describe('parseVoispeedUrl fuzz', () => {
  it(`${RUNS} random and mutated inputs: a clean command or a VoispeedUrlError, agreeing with an independent reading (seed ${SEED})`, () => {
    const rng = makeRng(SEED);
    const seeds = CASES.map(([input]) => input);
    const failures: string[] = [];
    const parsed: Record<string, number> = {};
    const refused: Record<string, number> = {};
    const tried: Record<string, number> = {};
    const accepted: Record<string, number> = {};
    const fail = (i: number, input: string, what: string) => {
      if (failures.length < 10) failures.push(`seed ${SEED} iteration ${i}: ${JSON.stringify(input.slice(0, 300))}: ${what}`);
    };
    const started = performance.now();
    for (let i = 0; i < RUNS; i++) {
      const [source, input] = randomInput(rng, seeds);
      tried[source] = (tried[source] ?? 0) + 1;
      const expected = oracle(input);
      let cmd: VoispeedCommand;
      try {
        cmd = parseVoispeedUrl(input);
      } catch (err) {
        if (!(err instanceof VoispeedUrlError)) {
          fail(i, input, `threw ${String(err)}`);
          continue;
        }
        refused[err.reason] = (refused[err.reason] ?? 0) + 1;
        if (!VOISPEED_URL_ERROR_REASONS.includes(err.reason)) fail(i, input, `undocumented reason ${err.reason}`);
        if (!SAFE_MESSAGE.test(err.message)) fail(i, input, `unsafe message ${JSON.stringify(err.message)}`);
        if (expected !== null) fail(i, input, `refused (${err.reason}: ${err.message}) but the oracle reads ${JSON.stringify(expected)}`);
        continue;
      }
      parsed[cmd.kind] = (parsed[cmd.kind] ?? 0) + 1;
      accepted[source] = (accepted[source] ?? 0) + 1;
      if (expected === null) fail(i, input, `accepted ${JSON.stringify(cmd)} but the oracle refuses it`);
      else if (!isDeepStrictEqual(expected, cmd)) fail(i, input, `read ${JSON.stringify(cmd)}, oracle ${JSON.stringify(expected)}`);
      if (!commandIsClean(cmd)) fail(i, input, `a field is outside its whitelist: ${JSON.stringify(cmd)}`);
      try {
        const url = formatVoispeedUrl(cmd);
        const again = parseVoispeedUrl(url);
        if (!isDeepStrictEqual(again, cmd)) fail(i, input, `re-parse of ${url} gave ${JSON.stringify(again)}`);
        if (formatVoispeedUrl(again) !== url) fail(i, input, `format is not stable for ${url}`);
      } catch (err) {
        fail(i, input, `round trip threw ${String(err)}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const total = Object.values(parsed).reduce((a, b) => a + b, 0);
    console.log(
      `voispeed-url fuzz: ${RUNS} inputs in ${seconds.toFixed(2)} s (${Math.round(RUNS / seconds)}/s), seed ${SEED}; ` +
        `inputs ${JSON.stringify(tried)}, accepted ${JSON.stringify(accepted)}; ` +
        `parsed ${total} ${JSON.stringify(parsed)}; refused ${RUNS - total} ${JSON.stringify(refused)}`,
    );
    expect(failures).toEqual([]);
    // A fuzzer that only ever hits the first check proves nothing: every command and every reason must show up.
    if (RUNS >= 100_000) {
      expect(Object.keys(parsed).sort()).toEqual(['call', 'configure', 'forward', 'hangup']);
      expect(Object.keys(refused).sort()).toEqual([...VOISPEED_URL_ERROR_REASONS].sort());
      expect(total).toBeGreaterThan(RUNS * 0.1);
      expect(accepted.mutated ?? 0).toBeGreaterThan(RUNS * 0.05);
    }
  }, 60_000);
});
