import { describe, expect, it } from 'vitest';
import { toDialTarget } from '../../../shared/phone/dial-string';
import { preferencesSchema } from '../../../shared/settings/preferences';
import { dialFormatOf } from './dial-format';

describe('dialFormatOf', () => {
  it('turns the preferences into the format numbers are dialled with', () => {
    const national = dialFormatOf(preferencesSchema.parse({ dialFormat: { style: 'national', outsideLinePrefix: '0' } }));
    expect(toDialTarget('+39 02 6161 6161', national).dial).toBe('00261616161');
    const e164 = dialFormatOf(preferencesSchema.parse({ dialFormat: { style: 'e164' } }));
    expect(toDialTarget('02 6161 6161', e164).dial).toBe('+390261616161');
  });
  it('falls back to the default country when the saved one is unknown to libphonenumber', () => {
    expect(dialFormatOf(preferencesSchema.parse({ dialFormat: { defaultCountry: 'ZZ' } })).defaultCountry).toBe('IT');
  });
});
