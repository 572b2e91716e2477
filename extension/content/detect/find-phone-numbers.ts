import { findNumbers, parsePhoneNumberFromString, type CountryCode, type MetadataJson } from 'libphonenumber-js/core';
import { hasEnoughDigits } from './prefilter';
import { trapReason } from '../../../shared/phone/traps/traps';

export interface PhoneMatch {
  /** UTF-16 offsets of the number in the searched text, end exclusive. */
  start: number;
  end: number;
  /** E.164, without any extension: what gets dialled (after the user's dialling rules). */
  e164: string;
  /** Extension written after the number ("int. 204"), if any. */
  ext?: string;
  /**
   * How the user reads it: national format at home, international abroad. Formatted when first
   * read (hover, the popup's list): formatting every number found cost ~15% of a dense page's scan.
   */
  readonly display: string;
}

export interface FindOptions {
  defaultCountry: CountryCode;
  /** Called for each candidate refused as a trap (the detection table counts them). */
  onTrap?(start: number, end: number, reason: string): void;
  /** The caller already ran the digit pre-filter on this text. */
  prefiltered?: boolean;
}

export type PhoneFinder = (text: string, options: FindOptions) => PhoneMatch[];

/**
 * Phone numbers in a piece of text, with the traps (VAT numbers, IBAN, dates, prices, …) removed.
 * libphonenumber-js does the finding and validation with the metadata given here (always its `max`
 * metadata: `max.ts` for code that may carry it, the content script loads it on first need); this
 * adds only the cheap digit pre-filter and the context rules of traps.ts. Pure: no DOM, runs
 * under Node.
 */
export function createFinder(metadata: MetadataJson): PhoneFinder {
  // Formats from the E.164 form when first asked, so a page's thousands of numbers do not keep
  // their parsed PhoneNumber objects alive until then.
  const format = (e164: string, ext: string | undefined, home: boolean): string => {
    const n = parsePhoneNumberFromString(e164, metadata);
    if (!n) return e164;
    if (ext) n.setExt(ext);
    return home ? n.formatNational() : n.formatInternational();
  };
  return (text, options) => {
    if (!options.prefiltered && !hasEnoughDigits(text)) return [];
    const out: PhoneMatch[] = [];
    for (const found of findNumbers(text, { defaultCountry: options.defaultCountry, v2: true }, metadata)) {
      const { startsAt: start, endsAt: end, number } = found;
      const reason = trapReason(text, start, end);
      if (reason) {
        options.onTrap?.(start, end, reason);
        continue;
      }
      const home = number.country === options.defaultCountry;
      const e164 = number.number;
      const ext = number.ext;
      let display: string | undefined;
      out.push({
        start,
        end,
        e164,
        ...(ext ? { ext } : {}),
        get display() {
          display ??= format(e164, ext, home);
          return display;
        },
      });
    }
    return out;
  };
}
