import { describe, expect, it } from 'vitest';
import { parseCsvContacts } from './csv-contacts';
import { parseVcardContacts } from './vcard-contacts';

describe('CSV contacts', () => {
  it('reads an Outlook export', () => {
    const csv = [
      'First Name,Middle Name,Last Name,Company,Business Phone,Home Phone,Mobile Phone,Business Fax,E-mail Address',
      'Mario,,Rossi,Rossi Srl,+39 02 1234 5678,,333 123 4567,02 999999,mario@example.it',
      '"Anna, detta Annetta",,Bianchi,,,"06 5555 1234",,,',
    ].join('\r\n');
    const { contacts, problems } = parseCsvContacts(csv);
    expect(problems).toEqual([]);
    expect(contacts).toEqual([
      { name: 'Mario Rossi', company: 'Rossi Srl', numbers: [{ number: '+39 02 1234 5678', label: 'Business Phone' }, { number: '333 123 4567', label: 'Mobile Phone' }] },
      { name: 'Anna, detta Annetta Bianchi', numbers: [{ number: '06 5555 1234', label: 'Home Phone' }] },
    ]);
  });

  it('reads a Google export with several numbers in one cell', () => {
    const csv = '\uFEFFFirst Name,Last Name,Organization Name,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value\nLuca,Verdi,ACME,Work,02 1111 2222 ::: 02 1111 3333,Mobile,+39 347 000 1111\n';
    const { contacts, problems } = parseCsvContacts(csv);
    expect(problems).toEqual([]);
    expect(contacts[0]).toEqual({
      name: 'Luca Verdi',
      company: 'ACME',
      numbers: [
        { number: '02 1111 2222', label: 'Work' },
        { number: '02 1111 3333', label: 'Work' },
        { number: '+39 347 000 1111', label: 'Mobile' },
      ],
    });
  });

  it('imports what it can and reports the broken lines by number', () => {
    const csv = ['Name,Phone', 'Uno,0211111111', 'Due,', ',0233333333', 'Tre,"0244444444', 'Quattro,0255555555', 'Cinque,not a number', 'Sei,0266666666'].join('\n');
    const { contacts, problems } = parseCsvContacts(csv);
    expect(contacts.map((c) => c.name)).toEqual(['Uno', 'Quattro', 'Sei']);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 7]);
    expect(problems[2]?.reason).toMatch(/quotes/);
  });

  it('refuses a file without a header', () => {
    expect(parseCsvContacts('').problems).toEqual([{ line: 1, reason: 'no header line with column names' }]);
  });
});

describe('vCard contacts', () => {
  it('reads vCard 3.0 and 4.0 cards', () => {
    const vcf = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Rossi;Mario;;;',
      'FN:Mario Rossi',
      'ORG:Rossi Srl;Vendite',
      'TEL;TYPE=WORK,VOICE:+39 02 1234 5678',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'N:Müller;Jürgen;;;',
      'TEL;VALUE=uri;TYPE=cell:tel:+39-333-765-4321',
      'END:VCARD',
    ].join('\r\n');
    const { contacts, problems } = parseVcardContacts(vcf);
    expect(problems).toEqual([]);
    expect(contacts).toEqual([
      { name: 'Mario Rossi', company: 'Rossi Srl Vendite', numbers: [{ number: '+39 02 1234 5678', label: 'WORK,VOICE' }] },
      { name: 'Jürgen Müller', numbers: [{ number: '+39-333-765-4321', label: 'cell' }] },
    ]);
  });

  it('keeps the good cards and reports the broken ones by line', () => {
    const vcf = [
      'BEGIN:VCARD', // 1
      'VERSION:3.0',
      'FN:Good One',
      'TEL:0211111111',
      'END:VCARD',
      'garbage', // 6
      'BEGIN:VCARD', // 7
      'VERSION:3.0',
      'FN:No Number',
      'END:VCARD',
      'BEGIN:VCARD', // 11
      'VERSION:3.0',
      'this line has no colon',
      'END:VCARD',
      'BEGIN:VCARD', // 15
      'VERSION:4.0',
      'FN:Good Two',
      'TEL:0222222222',
      'END:VCARD',
      'BEGIN:VCARD', // 20
      'FN:Unfinished',
    ].join('\n');
    const { contacts, problems } = parseVcardContacts(vcf);
    expect(contacts.map((c) => c.name)).toEqual(['Good One', 'Good Two']);
    expect(problems.map((p) => p.line)).toEqual([6, 7, 11, 20]);
  });
});
