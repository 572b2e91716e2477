import { italianVatValid, luhnValid } from './checksums';
import { lastLabel, type TrapClass } from './labels';

/** How far before a candidate a label is looked for. */
const LABEL_WINDOW = 48;
/** A trap label rules the digits after it only while nothing but this much label-ish text intervenes. */
const MAX_LABEL_GAP = 24;

/** Abbreviations whose dot does not end a sentence ("Fattura n. 12"). */
const ABBREVIATIONS = /(?<![a-z])(?:n|nr|no|num|cod|rif|prot|art|fatt|ord|sig|dott|ing|avv)\.\s?/gi;

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlnum = (c: string | undefined) => c !== undefined && /[0-9A-Za-z\u00c0-\u024f]/.test(c);

/**
 * Why a candidate libphonenumber-js accepted is not a phone number, or undefined when it is one.
 * `text` is the whole searched string, `[start, end)` the candidate, `digits` its digits.
 * Pure and DOM-free: the detection table tests it under Node.
 */
export function trapReason(text: string, start: number, end: number): TrapClass | 'token' | undefined {
  const raw = text.slice(start, end);
  const digits = raw.replace(/\D/g, '');

  // Dates and times that slipped through: 01.02.2024, 2024-03-12, 12/03/24.
  if (/^\d{1,4}([./-])\d{1,2}\1\d{1,4}$/.test(raw)) return 'date';
  if (/^\d{4}[ .-]?\d{2}[ .-]?\d{2}$/.test(raw) && /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(digits) && /\D/.test(raw)) return 'date';

  // Part of a larger token: IP addresses, version strings, times, paths, e-mail addresses, codes.
  const before = text[start - 1];
  const after = text[end];
  if (before !== undefined && /[.:/\\_@#=&?\-]/.test(before) && isAlnum(text[start - 2])) return 'token';
  if (after !== undefined && /[.:/\\_@=&\-,]/.test(after) && isAlnum(text[end + 1])) return 'token';
  // "#0261616161", "№ 0261616161": a hash or numero sign marks an order or item number.
  // Non-ASCII characters in these regular expressions are written as \u escapes: esbuild escapes
  // strings but not regular expressions, and one such character makes V8 hold the whole host bundle
  // as a two-byte string (twice its size in memory). № is \u2116.
  if (/[#\u2116]\s?$/.test(text.slice(Math.max(0, start - 2), start))) return 'order';
  if (after === '@' || (after !== undefined && /[:]/.test(after) && isAlnum(text[end + 1]))) return 'token';
  // Prices: a currency sign or code touching the candidate, or a decimal comma after it:
  // € \u20ac, £ \u00a3, ¥ \u00a5, ₹ \u20b9, ‰ \u2030.
  const head = text.slice(Math.max(0, start - 4), start);
  const tail = text.slice(end, end + 5);
  if (/[\u20ac$\u00a3\u00a5\u20b9]\s*$/.test(head) || /^\s*(?:[\u20ac$\u00a3\u00a5%\u2030]|,\d{2}(?!\d)|eur\b|euro\b|usd\b|chf\b)/i.test(tail)) return 'price';

  // Coordinates: decimal degrees next to the candidate, or a degree sign (° \u00b0).
  if (/\u00b0/.test(tail) || /-?\d{1,3}\.\d{3,}\s*[,;]\s*$/.test(text.slice(Math.max(0, start - 24), start))) return 'coordinates';
  if (/^\s*[,;]\s*-?\d{1,3}\.\d{3,}/.test(text.slice(end, end + 24)) && /\.\d{3,}$/.test(raw)) return 'coordinates';

  // Payment cards (Luhn, 13–19 digits) and EAN/ISBN-13 style codes.
  if (digits.length >= 13 && digits.length <= 19 && !raw.trimStart().startsWith('+') && luhnValid(digits)) return 'card';
  if (/^\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7}$/.test(raw)) return 'card';
  if (/^97[89][ -]?\d/.test(raw) && digits.length === 13) return 'isbn';

  // Italian partita IVA / numeric codice fiscale: 11 digits in one block, leading 0, valid check digit.
  if (/^0\d{10}$/.test(raw) && italianVatValid(raw)) return 'vat';

  // A label in front decides the rest.
  const windowStart = Math.max(0, start - LABEL_WINDOW);
  let window = text.slice(windowStart, start);
  const newline = Math.max(window.lastIndexOf('\n'), window.lastIndexOf('\u2029'));
  if (newline >= 0) window = window.slice(newline + 1);
  const label = lastLabel(window);
  if (label && label.kind !== 'phone') {
    const gap = window.slice(label.end).replace(ABBREVIATIONS, ' ');
    const sentenceEnded = /[;!?|]|\.\s/.test(gap);
    if (gap.length <= MAX_LABEL_GAP && !/\d/.test(gap) && !sentenceEnded) return label.kind;
  }
  // A label right after the candidate: "01234567890 (P.IVA)".
  const follow = text.slice(end, end + 20).replace(/^[\s(\[:-]+/, '');
  if (/^(?:p\.?\s?iva|partita\s+iva|c\.\s?f\.|cod(?:\.|ice)\s*fisc|vat|cf)(?![a-z])/i.test(follow)) return 'vat';
  if (/^iban(?![a-z])/i.test(follow)) return 'bank';
  return undefined;
}
