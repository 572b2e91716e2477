import { describe, expect, it } from 'vitest';
import { checkDialInput } from './dial-input';

describe('checkDialInput', () => {
  it('normalises a pasted number', () => {
    expect(checkDialInput(' +39 02 6161 6161 ')).toEqual({ ok: true, target: { kind: 'number', dial: '0261616161', display: '02 6161 6161' } });
  });

  // One input per refusal in dial-string.ts: if its wording changes, the mapping here must follow.
  it.each([
    ['', 'dialErrEmpty'],
    ['   ', 'dialErrEmpty'],
    ['1'.repeat(129), 'dialErrTooLong'],
    ['12\u00073', 'dialErrControl'],
    ['sip:bad address', 'dialErrSip'],
    ['+1', 'dialErrIntl'],
    ['call me maybe', 'dialErrNotNumber'],
  ])('%j → %s', (input, key) => {
    expect(checkDialInput(input)).toEqual({ ok: false, key });
  });
});
