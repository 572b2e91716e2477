import { describe, expect, it } from 'vitest';
import { numberKey } from '../../../shared/phone/number-forms';
import { italianContacts } from './sample-contacts';

describe('italianContacts', () => {
  it('is deterministic, with unique names (first 1,000) and unique valid numbers', () => {
    const a = italianContacts(1000);
    expect(a).toEqual(italianContacts(1000));
    expect(a[0]).toEqual({ givenName: 'Mario', familyName: 'Rossi', name: 'Mario Rossi', company: 'Esposito Costruzioni Srl', office: '+39 02 5550 0000', mobile: '+39 347 5500 000' });
    expect(new Set(a.map((c) => c.name)).size).toBe(1000);
    const keys = a.flatMap((c) => [numberKey(c.office), numberKey(c.mobile)]);
    expect(keys.every((k) => k?.startsWith('+39'))).toBe(true);
    expect(new Set(keys).size).toBe(2000);
    expect(italianContacts(20_000)).toHaveLength(10_000);
  });
});
