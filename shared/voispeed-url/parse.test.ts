import { describe, expect, it } from 'vitest';
import { ErrorCode, ProtocolError } from '../protocol/errors';
import { MAX_ECHO } from './errors';
import { CASES, U } from './testing/cases';
import { VOISPEED_URL_ERROR_REASONS, VoispeedUrlError, parseVoispeedUrl, type VoispeedUrlErrorReason } from './index';

describe('parseVoispeedUrl: the grammar table', () => {
  it('has at least 80 cases, accepted and refused, for every command and every reason', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
    const kinds = new Set(CASES.flatMap(([, e]) => (typeof e === 'string' ? [] : [e.kind])));
    expect([...kinds].sort()).toEqual(['call', 'configure', 'forward', 'hangup']);
    const reasons = new Set(CASES.flatMap(([, e]) => (typeof e === 'string' ? [e] : [])));
    expect([...reasons].sort()).toEqual([...VOISPEED_URL_ERROR_REASONS].sort());
  });

  for (const [input, expected, why] of CASES) {
    const title = `${JSON.stringify(input.length > 70 ? `${input.slice(0, 70)}…` : input)}${why ? ` (${why})` : ''}`;
    if (typeof expected === 'string') {
      it(`refuses ${title}: ${expected}`, () => {
        let caught: unknown;
        try {
          parseVoispeedUrl(input);
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(VoispeedUrlError);
        expect((caught as VoispeedUrlError).reason).toBe(expected);
      });
    } else {
      it(`reads ${title}`, () => expect(parseVoispeedUrl(input)).toStrictEqual(expected));
    }
  }
});

describe('VoispeedUrlError', () => {
  const refused = CASES.filter((c): c is [string, VoispeedUrlErrorReason, string?] => typeof c[1] === 'string');

  it('messages never echo more than 40 characters of input, nor anything unprintable', () => {
    const marker = 'Q'.repeat(MAX_ECHO + 1);
    for (const input of [`voispeed:201,${marker};`, `voispeed:1${marker}`, `voispeed:D${marker}$`, `${marker}:x`, `voispeed:${marker}`]) {
      expect(capture(input).message).not.toContain(marker);
    }
    expect(capture(`voispeed:D${marker}$`).message).toContain(`"${'Q'.repeat(MAX_ECHO)}"…`);
    for (const [input] of refused) {
      const err = capture(input);
      expect(err.message).toMatch(/^[\x20-\x7e…]+$/);
      expect(err.message.length).toBeLessThan(260);
    }
  });

  it('names the offending part', () => {
    expect(capture('voispeed:0261616161,x;reboot').message).toMatch(/ext_ID .*";"/);
    expect(capture('voispeed:０２').message).toContain('U+FF10');
    expect(capture(U('wss://a.example,ftp://x.example')).message).toContain('backup server');
    expect(capture('voispeed:C').message).toBe('voispeed:C has no number to call');
  });

  it('is an Error with a name, and converts to the shared protocol error', () => {
    const err = capture('voispeed:X');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('VoispeedUrlError');
    const wire = err.toProtocolError();
    expect(wire).toBeInstanceOf(ProtocolError);
    expect(wire.toJSON()).toEqual({ code: ErrorCode.INVALID_PARAMS, message: err.message, data: { reason: 'unknown-command' } });
  });

  it('is what a non-string input gets too (argv may hold anything)', () => {
    for (const bad of [undefined, null, 42, {}, ['voispeed:1']]) {
      expect(() => parseVoispeedUrl(bad as unknown as string)).toThrow(VoispeedUrlError);
    }
  });
});

function capture(input: string): VoispeedUrlError {
  try {
    parseVoispeedUrl(input);
  } catch (err) {
    if (err instanceof VoispeedUrlError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}
