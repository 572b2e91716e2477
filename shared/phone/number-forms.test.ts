import { describe, expect, it } from 'vitest';
import { numberForms, numberKey } from './number-forms';

describe('numberForms', () => {
  it('gives one key to the written forms of one number', () => {
    const keys = ['+39 02 1234 5678', '0039 02 1234 5678', '02 1234 5678', '021234 5678', 'tel:+39-02-1234-5678'].map((n) => numberKey(n));
    expect(new Set(keys)).toEqual(new Set(['+390212345678']));
  });

  it('gives the E.164, national and dialled forms', () => {
    expect(numberForms('0039 02 1234 5678')).toEqual({ asDialled: '00390212345678', e164: '+390212345678', national: '0212345678', key: '+390212345678' });
    expect(numberForms('333 123 4567')?.national).toBe('3331234567');
    expect(numberForms('+1 202 555 0100', 'IT')?.e164).toBe('+12025550100');
  });

  it('matches extensions and short codes only exactly', () => {
    expect(numberKey('201')).toBe('x:201');
    expect(numberKey('0201')).toBe('x:0201');
    expect(numberKey('*72#')).toBe('x:*72#');
    expect(numberKey('201')).not.toBe(numberKey('+39201'));
  });

  it('is total: names, hostile ids and junk are not numbers', () => {
    for (const bad of ['', 'Mario Rossi', '*)(uid=*', '02\u00001234', '1'.repeat(40), '+', '%00', '${jndi:x}']) expect(numberForms(bad)).toBeUndefined();
  });
});
