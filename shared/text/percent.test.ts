import { describe, expect, it } from 'vitest';
import { decodePercent, encodePercent } from './percent';

describe('total percent-decoding of network values', () => {
  it('decodes what decodeURIComponent decodes, the same way', () => {
    for (const s of ['', '0261616161', '%2B390261616161', 'caf%C3%A9', 'a%20b%2Cc', '%E2%82%AC1', '%00']) {
      expect(decodePercent(s)).toBe(decodeURIComponent(s));
    }
  });
  it('keeps what cannot be decoded as it was received, and never throws', () => {
    expect(decodePercent('0261616161%PATH%')).toBe('0261616161%PATH%');
    expect(decodePercent('0261616161%')).toBe('0261616161%');
    expect(decodePercent('%zz%41')).toBe('%zzA');
    expect(decodePercent('0261616161%FF')).toBe('0261616161%FF');
    expect(decodePercent('%C3%28x%41')).toBe('%C3%28xA');
    expect(decodePercent('%2B39%PATH%25')).toBe('+39%PATH%');
  });
  it('never throws on any short input', () => {
    const alphabet = ['%', '2', 'B', 'F', 'f', 'C3', 'A9', 'zz', '0', '\u0000', '\uD800'];
    let seen = 0;
    const walk = (prefix: string, depth: number) => {
      expect(() => decodePercent(prefix)).not.toThrow();
      seen++;
      if (depth === 0) return;
      for (const a of alphabet) walk(prefix + a, depth - 1);
    };
    walk('', 4);
    expect(seen).toBeGreaterThan(10_000);
  });
  it('encodes lone surrogates as U+FFFD instead of throwing', () => {
    expect(encodePercent('a\uD800b')).toBe('a%EF%BF%BDb');
    expect(encodePercent('0261616161%PATH%')).toBe('0261616161%25PATH%25');
  });
});
