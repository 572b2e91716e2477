import { findNumbers, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { ibanChecksumHolds } from './traps/checksums';
import { trapReason } from './traps/traps';

/**
 * Text a user highlighted in any program → the number the dial hotkey calls. A real phone number
 * (libphonenumber-js, the default country, `isValid()`) wins, the first one when the selection
 * holds several; otherwise the selection is dialled as digits and `+*#` only when it looks like
 * something a PBX dials: an extension, a short code, a feature code ("*72#"). Dates, prices, IP
 * addresses, tax and bank codes and prose are refused with a reason the notification shows.
 */
export type SelectionResult =
  | { ok: true; number: string; display: string; kind: 'phone' | 'short' }
  | { ok: false; reason: SelectionRefusal; excerpt: string };

export type SelectionRefusal = 'empty' | 'too-long' | 'not-a-number' | 'tax-or-bank-code';

/** What a notification may quote of the selection: one line, at most 60 characters. */
export function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** Long selections are paragraphs, not numbers; libphonenumber-js is only asked about this much. */
const MAX_SELECTION = 500;
/** Labels in front of a number that say it is no phone number. */
const TAX_OR_BANK = /\b(?:p\.?\s?iva|partita\s+iva|vat(?:\s+(?:no|number|id))?|codice\s+fiscale|iban|bic|swift|ust-?id(?:nr)?|tva)\b|\bc\.\s?f\./i;
/**
 * An IBAN as people write it: a country code, two check digits and 11–30 letters or digits,
 * in groups of four or not ("IT60 X054 2811 1010 0000 0123 456", "DE89370400440532013000").
 * The whole selection in that shape is refused even with a typo in it (it is still a bank code);
 * inside longer text, only a sequence whose ISO 13616 check (mod 97) holds counts.
 */
const IBAN_WHOLE = /^[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}$/i;
const IBAN_IN_TEXT = /\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b/gi;
/** An Italian codice fiscale (RSSMRA80A01H501U), and a VAT number with its EU country prefix. */
const CODICE_FISCALE = /\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b/i;
const EU_VAT = /\b(?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK)U?[0-9]{8,12}\b/;

/** A tax or bank code, labelled ("P.IVA …", "IBAN: …") or recognisable by its shape. */
function isTaxOrBankCode(text: string): boolean {
  if (TAX_OR_BANK.test(text) || IBAN_WHOLE.test(text) || CODICE_FISCALE.test(text) || EU_VAT.test(text)) return true;
  // The pattern runs on into the next word ("… 0123 456 entro"): try each prefix that ends a group.
  for (const m of text.matchAll(IBAN_IN_TEXT)) {
    const candidate = m[0];
    for (let end = candidate.length; end >= 15; end--) {
      if ((end === candidate.length || candidate[end] === ' ') && ibanChecksumHolds(candidate.slice(0, end))) return true;
    }
  }
  return false;
}

/** Labels people put in front of a short number: "int. 201", "ext 12", "tel: 112". */
const SHORT_LABEL = /^(?:int(?:erno)?|ext(?:ension)?|tel(?:efono)?|phone|ph|cell|mob(?:ile)?|fax|n|nr|no)\b\.?\s*:?\s*/i;
/** A dialable code: digits, * and #, an optional leading +, spaces or dashes between groups. */
const DIALABLE = /^\+?[0-9*#](?:[0-9*#]|[ -](?=[0-9*#]))*$/;

export function selectionToNumber(selection: string, defaultCountry: CountryCode): SelectionResult {
  const text = selection.replace(/[\u00a0\u2000-\u200b\u202f]/g, ' ').trim();
  if (!text) return { ok: false, reason: 'empty', excerpt: '' };
  if (text.length > MAX_SELECTION) return { ok: false, reason: 'too-long', excerpt: excerpt(text) };
  if (isTaxOrBankCode(text)) return { ok: false, reason: 'tax-or-bank-code', excerpt: excerpt(text) };
  const unprefixed = text.replace(/^(?:tel|callto):(?:\/\/)?/i, '');

  // The page's traps (shared/phone/traps) judge each number found, as they do on a page: a tax or
  // bank code is refused as such; a date, a price, a card or part of a longer token is no number.
  let trapped = false;
  for (const found of findNumbers(unprefixed, { defaultCountry, v2: true })) {
    if (!found.number.isValid()) continue;
    const trap = trapReason(unprefixed, found.startsAt, found.endsAt);
    if (trap === 'vat' || trap === 'bank') return { ok: false, reason: 'tax-or-bank-code', excerpt: excerpt(text) };
    if (trap === undefined) return phone(found.number);
    trapped = true;
  }
  // The whole selection as one number (libphonenumber-js also reads one out of text around it):
  // not when the number in it was just found to be a trap.
  const whole = trapped ? undefined : parsePhoneNumberFromString(unprefixed, defaultCountry);
  if (whole?.isValid()) {
    const trap = trapReason(unprefixed, 0, unprefixed.length);
    if (trap === 'vat' || trap === 'bank') return { ok: false, reason: 'tax-or-bank-code', excerpt: excerpt(text) };
    if (trap === undefined) return phone(whole);
  }

  const bare = unprefixed.replace(SHORT_LABEL, '').trim();
  const digits = bare.replace(/[^0-9]/g, '');
  if (DIALABLE.test(bare) && digits.length + (bare.match(/[*#]/g)?.length ?? 0) >= 2 && digits.length <= 15) {
    const number = bare.replace(/[ -]/g, '');
    // A "+" number libphonenumber-js did not accept is a mistyped international number.
    if (!number.startsWith('+')) return { ok: true, number, display: number, kind: 'short' };
  }
  return { ok: false, reason: 'not-a-number', excerpt: excerpt(text) };
}

function phone(n: NonNullable<ReturnType<typeof parsePhoneNumberFromString>>): SelectionResult {
  const ext = n.ext ? ` ext. ${n.ext}` : '';
  return { ok: true, number: n.number, display: n.formatInternational() + ext, kind: 'phone' };
}
