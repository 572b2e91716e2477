import { describe, expect, it } from 'vitest';
import { describeIssue, sectionSchemas } from './index';
import { defaultPreferences, preferencesSchema } from './preferences';

describe('preferences schema', () => {
  it('fills every default from an empty object (files written before issue 8 stay valid)', () => {
    expect(preferencesSchema.parse({})).toEqual({
      dnd: false,
      language: 'auto',
      dialFormat: { style: 'national', defaultCountry: 'IT', internationalPrefix: '00' },
      historySize: 10_000,
      rtpPorts: { min: 16384, max: 16483 },
      colleagues: [],
      pickupCode: '',
      autoAnswer: false,
      voicemailNumber: '',
      srtpOnTls: false,
    });
    expect(preferencesSchema.parse({ dnd: true })).toEqual({ ...defaultPreferences(), dnd: true });
  });

  it.each([
    [{ language: 'fr' }, 'preferences.language'],
    [{ historySize: 10 }, 'preferences.historySize'],
    [{ historySize: 100.5 }, 'preferences.historySize'],
    [{ dialFormat: { style: 'e164', outsideLinePrefix: '0;' } }, 'preferences.dialFormat.outsideLinePrefix'],
    [{ dialFormat: { defaultCountry: 'italy' } }, 'preferences.dialFormat.defaultCountry'],
    [{ dnd: 'yes' }, 'preferences.dnd'],
    [{ colour: 'red' }, 'preferences'],
    [{ rtpPorts: { min: 80, max: 16483 } }, 'preferences.rtpPorts.min'],
    [{ rtpPorts: { min: 20000, max: 20000 } }, 'preferences.rtpPorts'],
  ])('refuses %j naming %s', (value, field) => {
    const parsed = sectionSchemas.preferences.safeParse(value);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeIssue(parsed.error, 'preferences').field).toBe(field);
  });

  it('accepts E.164 with an outside-line prefix', () => {
    expect(preferencesSchema.parse({ dialFormat: { style: 'e164', outsideLinePrefix: '0' } }).dialFormat).toEqual({
      style: 'e164',
      defaultCountry: 'IT',
      outsideLinePrefix: '0',
      internationalPrefix: '00',
    });
  });
});
