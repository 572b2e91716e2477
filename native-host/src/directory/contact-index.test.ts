import { describe, expect, it } from 'vitest';
import { ContactIndex } from './contact-index';
import { mergeContacts } from './contacts-store';

const contacts = [
  { name: 'Mario Rossi', company: 'Rossi Srl', numbers: [{ number: '+39 02 1234 5678' }] },
  { name: 'Niccolò Rossetti', numbers: [{ number: '333 123 4567', label: 'cell' }] },
  { name: 'Anna Bianchi', company: 'Studio Rossi', numbers: [{ number: '201' }] },
  { name: "Luca D'Angelo", numbers: [{ number: '0699887766' }] },
];

describe('ContactIndex', () => {
  const index = new ContactIndex(contacts, 'IT');

  it('finds a contact by any written form of its number', () => {
    for (const n of ['+390212345678', '0039 02 1234 5678', '02 1234 5678', '021234 5678']) expect(index.lookup(n)).toEqual({ name: 'Mario Rossi', company: 'Rossi Srl', source: 'contacts' });
    expect(index.lookup('+39 333 1234567')?.name).toBe('Niccolò Rossetti');
  });

  it('matches an extension only exactly', () => {
    expect(index.lookup('201')?.name).toBe('Anna Bianchi');
    expect(index.lookup('+39201')).toBeUndefined();
    expect(index.lookup('2010')).toBeUndefined();
  });

  it('searches names ignoring case, diacritics and word order', () => {
    expect(index.search('ros', 10).map((h) => h.name)).toEqual(['Mario Rossi', 'Niccolò Rossetti', 'Anna Bianchi']);
    expect(index.search('NICCOLO ross', 10).map((h) => h.name)).toEqual(['Niccolò Rossetti']);
    expect(index.search('rossi mario', 10).map((h) => h.name)).toEqual(['Mario Rossi']);
    expect(index.search('3331', 10).map((h) => h.name)).toEqual(['Niccolò Rossetti']);
    expect(index.search("d'angelo", 10).map((h) => h.name)).toEqual(["Luca D'Angelo"]);
    expect(index.search('angelo luca', 10).map((h) => h.name)).toEqual(["Luca D'Angelo"]);
    expect(index.search('zzz', 10)).toEqual([]);
    expect(index.search('   ', 10)).toEqual([]);
  });

  it('does not treat regex or LDAP characters specially', () => {
    expect(index.search('*)(uid=*', 10)).toEqual([]);
    expect(index.search('.*', 10)).toEqual([]);
  });
});

describe('mergeContacts', () => {
  it('updates a contact that shares a number instead of doubling it', () => {
    const { contacts: merged, changed } = mergeContacts(contacts, [
      { name: 'Mario Rossi (new)', numbers: [{ number: '0212345678' }] },
      { name: 'New One', numbers: [{ number: '0611112222' }] },
    ]);
    expect(changed).toBe(2);
    expect(merged.map((c) => c.name)).toEqual(['Mario Rossi (new)', 'Niccolò Rossetti', 'Anna Bianchi', "Luca D'Angelo", 'New One']);
  });
});
