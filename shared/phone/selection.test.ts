import { describe, expect, it } from 'vitest';
import { excerpt, selectionToNumber, type SelectionRefusal } from './selection';

/** [selection, number dialled] — or the refusal reason. Default country IT unless the row says. */
type Row = [string, string | { refused: SelectionRefusal }, ('IT' | 'DE' | 'US' | 'GB' | 'FR')?];

const rows: Row[] = [
  // Italian numbers as people write them
  ['02 6161 6161', '+390261616161'],
  ['tel. 02 6161 6161', '+390261616161'],
  ['Tel: 02-6161-6161', '+390261616161'],
  ['(02) 61616161', '+390261616161'],
  ['02/6161.6161', '+390261616161'],
  ['0039 02 6161 6161', '+390261616161'],
  ['+39 02 6161 6161', '+390261616161'],
  ['+39 (0)2 6161 6161', '+390261616161'],
  ['  \n 02 6161 6161 \t', '+390261616161'],
  ['02\u00a06161\u00a06161', '+390261616161'],
  ['333 123 4567', '+393331234567'],
  ['+39 333 1234567', '+393331234567'],
  ['06 4567 8901', '+390645678901'],
  ['tel:+390261616161', '+390261616161'],
  ['callto:0261616161', '+390261616161'],
  ['Chiamare lo 02 6161 6161 entro le 18', '+390261616161'],
  ['Ufficio: 02 6161 6161, fax 02 6161 6162', '+390261616161'],
  ['02 6161 6161 int. 23', '+390261616161'],
  ['800 123 456', '+39800123456'],
  // other countries, and the default country deciding national numbers
  ['+49 30 12345678', '+493012345678'],
  ['030 12345678', '+493012345678', 'DE'],
  ['+1 (212) 555-0123', '+12125550123'],
  ['(212) 555-0123', '+12125550123', 'US'],
  ['+44 20 7946 0018', '+442079460018'],
  ['020 7946 0018', '+442079460018', 'GB'],
  ['01 42 68 53 00', '+33142685300', 'FR'],
  ['+33 1 42 68 53 00', '+33142685300'],
  // extensions, short and feature codes: digits and *# as they are
  ['201', '201'],
  ['int. 201', '201'],
  ['Ext 4521', '4521'],
  ['112', '112'],
  ['*72#', '*72#'],
  ['#31#', '#31#'],
  ['*21*201#', '*21*201#'],
  ['12 34', '1234'],
  ['1-2-3-4', '1234'],
  // nothing dialable
  ['', { refused: 'empty' }],
  ['   \n\t ', { refused: 'empty' }],
  ['1', { refused: 'not-a-number' }],
  ['hello world', { refused: 'not-a-number' }],
  ['Mario Rossi', { refused: 'not-a-number' }],
  ['12/03/2024', { refused: 'not-a-number' }],
  ['12.03.2024', { refused: 'not-a-number' }],
  ['10:30', { refused: 'not-a-number' }],
  ['€ 1.234,56', { refused: 'not-a-number' }],
  ['192.168.1.10', { refused: 'not-a-number' }],
  ['v1.2.3', { refused: 'not-a-number' }],
  ['ABC123', { refused: 'not-a-number' }],
  ['+12', { refused: 'not-a-number' }],
  ['1234567890123456789', { refused: 'not-a-number' }],
  ['P.IVA 01234567890', { refused: 'tax-or-bank-code' }],
  ['Partita IVA: 12345678901', { refused: 'tax-or-bank-code' }],
  ['IBAN IT60 X054 2811 1010 0000 0123 456', { refused: 'tax-or-bank-code' }],
  ['C.F. 01234567890', { refused: 'tax-or-bank-code' }],
  // IBANs, tax codes and VAT numbers without a label say what they are too (issue 12)
  ['IT60 X054 2811 1010 0000 0123 456', { refused: 'tax-or-bank-code' }],
  ['IT60X0542811101000000123456', { refused: 'tax-or-bank-code' }],
  ['it60x0542811101000000123456', { refused: 'tax-or-bank-code' }],
  ['DE89 3704 0044 0532 0130 00', { refused: 'tax-or-bank-code' }],
  ['GB29NWBK60161331926819', { refused: 'tax-or-bank-code' }],
  ['IT61 X054 2811 1010 0000 0123 456', { refused: 'tax-or-bank-code' }],
  ['Bonifico su IT60 X054 2811 1010 0000 0123 456 entro venerdì', { refused: 'tax-or-bank-code' }],
  ['RSSMRA80A01H501U', { refused: 'tax-or-bank-code' }],
  ['IT01234567890', { refused: 'tax-or-bank-code' }],
  ['DE123456789', { refused: 'tax-or-bank-code' }],
  ['IT 02 6161 6161', '+390261616161'],
  ['Milano 02 6161 6161', '+390261616161'],
  ['x'.repeat(501), { refused: 'too-long' }],
  ['rm -rf / ; 0261616161', '+390261616161'],
  ['$(reboot)', { refused: 'not-a-number' }],
  ['201\n202', { refused: 'not-a-number' }],
];

describe('selection → number', () => {
  it('has a table of at least 40 cases', () => expect(rows.length).toBeGreaterThanOrEqual(40));

  it.each(rows)('%j', (selection, expected, country = 'IT') => {
    const r = selectionToNumber(selection, country);
    if (typeof expected === 'string') {
      expect(r).toMatchObject({ ok: true, number: expected });
    } else {
      expect(r).toMatchObject({ ok: false, reason: expected.refused });
    }
  });

  it('only ever dials +, digits, * and #', () => {
    for (const [selection] of rows) {
      const r = selectionToNumber(selection, 'IT');
      if (r.ok) expect(r.number).toMatch(/^\+?[0-9*#]+$/);
    }
  });

  it('says what was selected, short and on one line', () => {
    const r = selectionToNumber('Mario Rossi\nvia Roma 1, Milano, che non è un numero ma un indirizzo abbastanza lungo', 'IT');
    expect(r).toMatchObject({ ok: false, reason: 'not-a-number' });
    if (!r.ok) {
      expect(r.excerpt).not.toMatch(/\n/);
      expect(r.excerpt.length).toBeLessThanOrEqual(60);
      expect(r.excerpt.startsWith('Mario Rossi via Roma')).toBe(true);
    }
    expect(excerpt('  a  b ')).toBe('a b');
  });
});
