import ICAL from 'ical.js';
import { numberForms } from '../../../shared/phone/number-forms';
import { cleanText, type Contact, type ImportResult } from './contact';

/**
 * Contacts from a vCard 3.0 or 4.0 file (RFC 2426, RFC 6350), parsed card by card with ical.js:
 * a card ical.js cannot read, or one without a name or a number, is reported by the line its
 * BEGIN:VCARD is on, and the other cards are still read. Text outside any card is reported too.
 */
export function parseVcardContacts(text: string): ImportResult {
  const contacts: Contact[] = [];
  const problems: ImportResult['problems'] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let card: string[] | undefined;
  let begin = 0;
  lines.forEach((line, i) => {
    if (/^BEGIN:VCARD\s*$/i.test(line)) {
      if (card) problems.push({ line: begin, reason: 'card without END:VCARD' });
      card = [line];
      begin = i + 1;
    } else if (card) {
      card.push(line);
      if (/^END:VCARD\s*$/i.test(line)) {
        const read = readCard(card.join('\r\n'));
        if (typeof read === 'string') problems.push({ line: begin, reason: read });
        else contacts.push(read);
        card = undefined;
      }
    } else if (line.trim() !== '') problems.push({ line: i + 1, reason: 'text outside a vCard' });
  });
  if (card) problems.push({ line: begin, reason: 'card without END:VCARD' });
  return { contacts, problems };
}

function readCard(text: string): Contact | string {
  let component: ICAL.Component;
  try {
    component = new ICAL.Component(ICAL.parse(text) as unknown as unknown[]);
  } catch (err) {
    return `unreadable vCard: ${cleanText((err as Error).message, 120) ?? 'parse error'}`;
  }
  const first = (name: string): unknown => component.getFirstPropertyValue(name);
  const org = first('org');
  const company = cleanText(Array.isArray(org) ? org.filter(Boolean).join(' ') : org);
  const n = first('n');
  // N is family;given;additional;prefix;suffix: shown as "given family".
  const fromN = Array.isArray(n) ? cleanText([n[1], n[2], n[0]].flat().filter((x) => typeof x === 'string' && x).join(' ')) : undefined;
  const name = cleanText(first('fn')) ?? fromN ?? company;
  if (!name) return 'no name (FN or N)';
  const numbers: Contact['numbers'] = [];
  for (const tel of component.getAllProperties('tel')) {
    const value = String(tel.getFirstValue() ?? '').replace(/^tel:/i, '').trim();
    if (!value || !numberForms(value)) continue;
    const type = tel.getParameter('type');
    const label = cleanText(Array.isArray(type) ? type.join(',') : type, 64);
    numbers.push({ number: value.slice(0, 64), ...(label ? { label } : {}) });
  }
  if (numbers.length === 0) return `no phone number for ${name.slice(0, 60)}`;
  return { name, ...(company && company !== name ? { company } : {}), numbers: numbers.slice(0, 8) };
}
