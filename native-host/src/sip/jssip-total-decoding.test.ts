import JsSIP from 'jssip';
import GrammarModule from 'jssip/lib/Grammar';
import { describe, expect, it } from 'vitest';
import { makeJsSipDecodingTotal, withTotalDecoding } from './jssip-total-decoding';

describe("JsSIP's URI decoding made total", () => {
  makeJsSipDecodingTotal();

  it('parses users whose escapes are not UTF-8, keeping them as received', () => {
    const from = JsSIP.NameAddrHeader.parse('"Mario" <sip:0261616161%FF@pbx.test;user=phone>;tag=1');
    expect(from.uri.user).toBe('0261616161%FF');
    expect(from.uri.toString()).toBe('sip:0261616161%25FF@pbx.test;user=phone');
    expect(JsSIP.URI.parse('sip:%C3%28abc@pbx.test')!.user).toBe('%C3%28abc');
  });

  it('still decodes what is valid, and re-escapes users holding a literal %', () => {
    expect(JsSIP.URI.parse('sip:%2B39%20caf%C3%A9@pbx.test')!.user).toBe('+39 café');
    expect(JsSIP.URI.parse('sip:0261616161%25PATH%25@pbx.test')!.toString()).toBe('sip:0261616161%25PATH%25@pbx.test');
    expect(new JsSIP.URI('sip', '0261616161%PATH%', 'pbx.test').toAor()).toBe('sip:0261616161%25PATH%25@pbx.test');
  });

  it('the global decoder is swapped only for the synchronous call, and put back after a throw', () => {
    const original = globalThis.decodeURIComponent;
    expect(withTotalDecoding(() => decodeURIComponent('%FF'))).toBe('%FF');
    expect(() =>
      withTotalDecoding(() => {
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(globalThis.decodeURIComponent).toBe(original);
    expect(() => decodeURIComponent('%FF')).toThrow(URIError);
  });

  it("reads a '%' that starts no escape as a literal, and an unreadable From or To as an unknown party with its tag", () => {
    expect(JsSIP.NameAddrHeader.parse('<sip:0261616161%zz@pbx.test>;tag=a')!.uri.user).toBe('0261616161%zz');
    expect(JsSIP.URI.parse('sip:0261616161%@pbx.test')!.user).toBe('0261616161%');
    const Grammar = GrammarModule as unknown as { parse(input: string, rule: string): { uri: { user?: string; host: string }; getParam(n: string): string } | -1 };
    const from = Grammar.parse('"Mario" <sip:02"61[61@pbx.test>;tag=abc-1', 'From');
    expect(from).not.toBe(-1);
    if (from === -1) return;
    expect(from.uri.user).toBeUndefined();
    expect(from.uri.host).toBe('unknown.invalid');
    expect(from.getParam('tag')).toBe('abc-1');
    // Other rules are not made up: a broken Via stays a parse error.
    expect(Grammar.parse('SIP/2.0/UDP', 'Via')).toBe(-1);
  });

  it('is installed once however often it is asked', () => {
    makeJsSipDecodingTotal();
    makeJsSipDecodingTotal();
    expect(JsSIP.URI.parse('sip:a%FF@h')!.user).toBe('a%FF');
  });
});
