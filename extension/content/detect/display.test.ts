import { findNumbers } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { CASES } from '../../../tests/unit/detection-cases';
import { findPhoneNumbers } from './max';

describe('display form', () => {
  it('formatted later from E.164 reads exactly as libphonenumber-js formats the number it found', () => {
    let compared = 0;
    for (const c of CASES) {
      const country = c.country ?? 'IT';
      const direct = new Map(
        findNumbers(c.text, { defaultCountry: country, v2: true }).map((f) => [
          f.startsAt,
          f.number.country === country ? f.number.formatNational() : f.number.formatInternational(),
        ]),
      );
      for (const m of findPhoneNumbers(c.text, { defaultCountry: country })) {
        expect(m.display, c.text).toBe(direct.get(m.start));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(100);
  });
});
