import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { VoispeedUrlError, formatVoispeedUrl, parseVoispeedUrl, type VoispeedCommand } from './index';
import { CASES, MD5 } from './testing/cases';
import { decorate, makeRng, randomCommand } from './testing/random';

describe('formatVoispeedUrl: canonical URLs', () => {
  const table: [VoispeedCommand, string][] = [
    [{ kind: 'call', number: '187' }, 'voispeed:187'],
    [{ kind: 'call', number: '+390261616161', extId: 'CRM 42' }, 'voispeed:+390261616161,CRM%2042'],
    [{ kind: 'call', number: '*31#123', extId: 'a/b#c?d=e' }, 'voispeed:*31%23123,a/b%23c?d=e'],
    [{ kind: 'hangup' }, 'voispeed:D'],
    [{ kind: 'hangup', callId: 'a84b4c76e66710@pbx.example' }, 'voispeed:Da84b4c76e66710@pbx.example'],
    [{ kind: 'forward', target: '201' }, 'voispeed:F201'],
    [{ kind: 'forward', target: 'sip:bob@pbx.example:5070', callId: 'x+1' }, 'voispeed:Fsip:bob@pbx.example:5070,x+1'],
    [
      { kind: 'configure', user: 'alice', domain: 'pbx.example', ha1: MD5, extension: '1001', wsUrls: ['wss://pbx.example:8089/ws?a=1&b=2', 'ws://10.0.0.1'] },
      `voispeed:Ualice@pbx.example,${MD5},1001,wss://pbx.example:8089/ws?a=1&b=2,ws://10.0.0.1`,
    ],
  ];
  for (const [cmd, url] of table) {
    it(url, () => {
      expect(formatVoispeedUrl(cmd)).toBe(url);
      expect(parseVoispeedUrl(url)).toStrictEqual(cmd);
    });
  }

  it('normalises what the parser would normalise', () => {
    expect(formatVoispeedUrl({ kind: 'call', number: '(02) 6161-6161', extId: ' x ' })).toBe('voispeed:0261616161,x');
    expect(formatVoispeedUrl({ kind: 'forward', target: 'SIP:bob@pbx.example' })).toBe('voispeed:Fsip:bob@pbx.example');
    const upper = formatVoispeedUrl({ kind: 'configure', user: 'a', domain: 'pbx.example', ha1: MD5.toUpperCase(), extension: '1', wsUrls: ['WSS://pbx.example'] });
    expect(upper).toBe(`voispeed:Ua@pbx.example,${MD5},1,wss://pbx.example`);
  });

  it('never writes a link the parser would refuse', () => {
    const bad: unknown[] = [
      null,
      {},
      { kind: 'dial', number: '1' },
      { kind: 'call', number: '' },
      { kind: 'call', number: '1;reboot' },
      { kind: 'call', number: 201 },
      { kind: 'call', number: '1', extId: '' },
      { kind: 'call', number: '1', extId: '$(reboot)' },
      { kind: 'call', number: '1', extId: 'a\nb' },
      { kind: 'hangup', callId: 'a b' },
      { kind: 'hangup', callId: '' },
      { kind: 'forward', target: 'sip:bob@evil@pbx' },
      { kind: 'forward', target: '201', callId: 'x,y' },
      { kind: 'configure', user: 'a', domain: 'pbx.example', ha1: MD5, extension: '1', wsUrls: [] },
      { kind: 'configure', user: 'a', domain: 'pbx.example', ha1: MD5, extension: '1', wsUrls: ['wss://a', 'wss://b', 'wss://c'] },
      { kind: 'configure', user: 'a', domain: 'pbx.example', ha1: MD5, extension: '1', wsUrls: 'wss://a' },
      { kind: 'configure', user: 'a', domain: 'pbx.example', ha1: MD5, extension: '1', wsUrls: [42] },
      { kind: 'configure', user: 'a@b', domain: 'pbx.example', ha1: MD5, extension: '1', wsUrls: ['wss://a'] },
      { kind: 'configure', user: 'a', domain: '127.1', ha1: MD5, extension: '1', wsUrls: ['wss://a'] },
      { kind: 'configure', user: 'a', domain: 'pbx.example', ha1: 'x', extension: '1', wsUrls: ['wss://a'] },
      { kind: 'configure', user: 'a', domain: 'pbx.example', ha1: MD5, extension: 'one', wsUrls: ['wss://a'] },
      { kind: 'configure', user: 'a', domain: 'pbx.example', ha1: MD5, extension: '1', wsUrls: ['wss://u@a'] },
    ];
    for (const cmd of bad) {
      expect(() => formatVoispeedUrl(cmd as VoispeedCommand), JSON.stringify(cmd)).toThrow(VoispeedUrlError);
    }
  });
});

describe('round trip', () => {
  it('parse(format(c)) deep-equals c for every command the grammar table accepts', () => {
    let n = 0;
    for (const [input, expected] of CASES) {
      if (typeof expected === 'string') continue;
      const cmd = parseVoispeedUrl(input);
      const url = formatVoispeedUrl(cmd);
      expect(parseVoispeedUrl(url), input).toStrictEqual(cmd);
      // Canonical means a fixed point.
      expect(formatVoispeedUrl(parseVoispeedUrl(url))).toBe(url);
      n++;
    }
    expect(n).toBeGreaterThan(40);
  });

  it('parse(format(c)) deep-equals c for 20,000 random valid commands, and every spelling of them parses the same', () => {
    const rng = makeRng(20_240_611);
    for (let i = 0; i < 20_000; i++) {
      const cmd = randomCommand(rng);
      const url = formatVoispeedUrl(cmd);
      const back = parseVoispeedUrl(url);
      if (!isDeepStrictEqual(back, cmd)) {
        expect.fail(`iteration ${i}: ${JSON.stringify(cmd)} → ${url} → ${JSON.stringify(back)}`);
      }
      const spelled = decorate(rng, url);
      const again = parseVoispeedUrl(spelled);
      if (!isDeepStrictEqual(again, cmd)) {
        expect.fail(`iteration ${i}: ${spelled} → ${JSON.stringify(again)}, expected ${JSON.stringify(cmd)}`);
      }
    }
  });

  it('canonical URLs are plain ASCII without space, quotes, # or shell substitution characters', () => {
    const rng = makeRng(7);
    for (let i = 0; i < 5_000; i++) {
      const url = formatVoispeedUrl(randomCommand(rng));
      expect(url).toMatch(/^voispeed:[A-Za-z0-9\-._~+@:/*%,?=&]+$/);
      expect(url.length).toBeLessThanOrEqual(2048);
    }
  });

  it('the largest command of each kind still fits the 2048-character limit once formatted', () => {
    const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    const ws = (host: string) => `wss://${host}:65535/${'&?='.repeat(200)}`.slice(0, 512);
    const largest: VoispeedCommand[] = [
      { kind: 'call', number: '#'.repeat(31) + '1', extId: `x${' '.repeat(62)}x` },
      { kind: 'hangup', callId: '@'.repeat(128) },
      { kind: 'forward', target: `sip:${'+'.repeat(64)}@${domain}:65535`, callId: '+'.repeat(128) },
      { kind: 'configure', user: '_'.repeat(64), domain, ha1: MD5, extension: '9'.repeat(16), wsUrls: [ws(domain), ws(domain)] },
    ];
    for (const cmd of largest) {
      const url = formatVoispeedUrl(cmd);
      expect(url.length).toBeLessThanOrEqual(2048);
      expect(parseVoispeedUrl(url)).toStrictEqual(cmd);
    }
  });
});
