import type { CountryCode } from 'libphonenumber-js/max';
import type { ContactMatch, SearchHit } from '../../../shared/protocol';
import { numberKey } from '../../../shared/phone/number-forms';
import type { Contact } from './contact';
import { fold, queryWords } from './fold';

function wordsOf(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

interface Entry {
  contact: Contact;
  /** " mario rossi rossi srl ": every word is found as " " + prefix. */
  words: string;
  /** The name's words alone: a hit in the name ranks before one in the company only. */
  nameWords: string;
  digits: string;
}

/**
 * The local contacts, indexed for the two questions asked of them: who is this number (by number
 * key: every written form of one number, extensions exactly), and who matches these typed words
 * (each word the start of a word of the name or company, in any order, diacritics ignored).
 */
export class ContactIndex {
  private byKey = new Map<string, Contact>();
  private entries: Entry[] = [];

  constructor(
    contacts: readonly Contact[],
    private readonly country: CountryCode,
  ) {
    for (const contact of contacts) {
      this.entries.push({
        contact,
        words: ` ${wordsOf(`${contact.name} ${contact.company ?? ''}`)} `,
        nameWords: ` ${wordsOf(contact.name)} `,
        digits: contact.numbers.map((n) => n.number.replace(/[^0-9+]/g, '')).join(' '),
      });
      for (const n of contact.numbers) {
        const key = numberKey(n.number, country);
        // The first contact with a number keeps it (an import never steals a number silently).
        if (key && !this.byKey.has(key)) this.byKey.set(key, contact);
      }
    }
  }

  /** The number's key for this index's country (undefined: not a number). */
  keyOf(number: string): string | undefined {
    return numberKey(number, this.country);
  }

  get size(): number {
    return this.entries.length;
  }

  lookup(number: string): ContactMatch | undefined {
    const key = numberKey(number, this.country);
    const contact = key ? this.byKey.get(key) : undefined;
    return contact ? { name: contact.name, ...(contact.company ? { company: contact.company } : {}), source: 'contacts' } : undefined;
  }

  /** Contacts matching every word (a word of digits matches a number containing them). */
  search(query: string, limit: number): SearchHit[] {
    const words = queryWords(query);
    if (words.length === 0) return [];
    const needles = words.map((w) => (/^\+?[0-9]+$/.test(w) ? { digits: w } : { word: ` ${w}` }));
    const found: Entry[] = [];
    for (const e of this.entries) {
      if (needles.every((n) => (n.word !== undefined ? e.words.includes(n.word) : e.digits.includes(n.digits)))) found.push(e);
    }
    // Names with the first word in them first (not only the company), then alphabetical.
    const first = ` ${words[0]}`;
    found.sort((a, b) => Number(b.nameWords.includes(first)) - Number(a.nameWords.includes(first)) || a.contact.name.localeCompare(b.contact.name));
    return found.slice(0, limit).map(({ contact }) => ({
      name: contact.name,
      ...(contact.company ? { company: contact.company } : {}),
      numbers: contact.numbers.map((n) => ({ number: n.number, ...(n.label ? { label: n.label } : {}) })),
      source: 'contacts',
    }));
  }
}
