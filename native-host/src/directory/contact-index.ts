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
  /** The name folded: the order hits are listed in. */
  order: string;
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
      const entry: Entry = {
        contact,
        words: ` ${wordsOf(`${contact.name} ${contact.company ?? ''}`)} `,
        nameWords: ` ${wordsOf(contact.name)} `,
        digits: contact.numbers.map((n) => n.number.replace(/[^0-9+]/g, '')).join(' '),
        order: fold(contact.name),
      };
      this.entries.push(entry);
      for (const n of contact.numbers) {
        const key = numberKey(n.number, country);
        // The first contact with a number keeps it (an import never steals a number silently).
        if (key && !this.byKey.has(key)) this.byKey.set(key, contact);
      }
    }
    // Name order, once: a search lists hits as it finds them.
    this.entries.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
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
    // Entries are in name order: hits in the name first, then company-only hits; a short query
    // ("m") stops after `limit` name hits instead of sorting thousands (a keystroke fits a frame).
    const first = ` ${words[0]}`;
    const byName: Entry[] = [];
    const byCompany: Entry[] = [];
    for (const e of this.entries) {
      if (!needles.every((n) => (n.word !== undefined ? e.words.includes(n.word) : e.digits.includes(n.digits)))) continue;
      if (e.nameWords.includes(first) || !first.trim() || /^ \+?[0-9]/.test(first)) byName.push(e);
      else if (byCompany.length < limit) byCompany.push(e);
      if (byName.length >= limit) break;
    }
    const found = [...byName, ...byCompany];
    return found.slice(0, limit).map(({ contact }) => ({
      name: contact.name,
      ...(contact.company ? { company: contact.company } : {}),
      numbers: contact.numbers.map((n) => ({ number: n.number, ...(n.label ? { label: n.label } : {}) })),
      source: 'contacts',
    }));
  }
}
