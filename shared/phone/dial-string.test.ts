import { describe, expect, it } from 'vitest';
import { DialStringError, toDialTarget } from './dial-string';

describe('toDialTarget (national style, IT)', () => {
  const cases: [string, string][] = [
    ['02 6161 6161', '0261616161'],
    ['+39 02 6161 6161', '0261616161'],
    ['0039 02 61616161', '0261616161'],
    ['347 123 4567', '3471234567'],
    ['+39 347-123-4567', '3471234567'],
    ['(02) 61.61.61.61', '0261616161'],
    ['800 123 456', '800123456'],
    ['+44 20 7946 0958', '00442079460958'],
    ['+1 (212) 555-0123', '0012125550123'],
    ['tel:+390261616161', '0261616161'],
    ['1001', '1001'],
    ['187', '187'],
    ['*72', '*72'],
    ['#31#3471234567', '#31#3471234567'],
  ];
  for (const [input, dial] of cases) {
    it(`${input} → ${dial}`, () => expect(toDialTarget(input).dial).toBe(dial));
  }
});

describe('toDialTarget (other settings)', () => {
  it('E.164 style', () => {
    expect(toDialTarget('02 6161 6161', { style: 'e164', defaultCountry: 'IT' }).dial).toBe('+390261616161');
  });
  it('outside-line prefix on external numbers only', () => {
    const f = { style: 'national' as const, defaultCountry: 'IT' as const, outsideLinePrefix: '0' };
    expect(toDialTarget('02 6161 6161', f).dial).toBe('00261616161');
    expect(toDialTarget('201', f).dial).toBe('201');
  });
  it('keeps SIP URIs', () => {
    expect(toDialTarget('sip:3001@sandbox.voispeed.test')).toMatchObject({ kind: 'uri', dial: 'sip:3001@sandbox.voispeed.test' });
  });
});

describe('toDialTarget refuses', () => {
  for (const bad of ['', '   ', 'hello', '02 6161 $(reboot)', '1;rm -rf /', 'sip:a b@c', '+12', 'x'.repeat(200), '02\n6161']) {
    it(JSON.stringify(bad.slice(0, 30)), () => expect(() => toDialTarget(bad)).toThrow(DialStringError));
  }
});
