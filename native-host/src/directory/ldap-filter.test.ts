import { FilterParser } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { numberForms } from '../../../shared/phone/number-forms';
import { escapeFilterValue, numberFilter, searchFilter } from './ldap-filter';

describe('LDAP filters', () => {
  it('escapes the RFC 4515 specials', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\u0000c')).toBe('a\\5cb\\00c');
    expect(escapeFilterValue('Niccolò')).toBe('Niccolò');
  });

  it('fills a number filter with the number in its forms', () => {
    const forms = numberForms('0039 02 1234 5678')!;
    expect(numberFilter('(|(telephoneNumber={e164})(telephoneNumber={national})(mobile={number}))', forms)).toBe(
      '(|(telephoneNumber=+390212345678)(telephoneNumber=0212345678)(mobile=00390212345678))',
    );
  });

  it('uses the number as dialled for an extension and escapes a star in a short code', () => {
    expect(numberFilter('(telephoneNumber={e164})', numberForms('*72')!)).toBe('(telephoneNumber=\\2a72)');
  });

  it('is one pass: a value is never read as a placeholder', () => {
    expect(searchFilter('(cn=*{word}*)', ['{word}'])).toBe('(cn=*{word}*)');
  });

  it('ANDs the words of a search, and a hostile word stays one value', () => {
    const filter = searchFilter('(|(cn=*{word}*)(o=*{word}*))', ['rossi', '*)(objectClass=*']);
    expect(filter).toBe('(&(|(cn=*rossi*)(o=*rossi*))(|(cn=*\\2a\\29\\28objectClass=\\2a*)(o=*\\2a\\29\\28objectClass=\\2a*)))');
    // It parses as the administrator's filter: two ORs of two substring assertions, nothing more.
    const parsed = FilterParser.parseString(filter);
    expect(parsed.toString()).toBe(filter);
  });
});
