import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export interface DialFormat {
  /** 'e164': +390261616161; 'national': 0261616161 for the default country, 00… abroad. */
  style: 'e164' | 'national';
  defaultCountry: CountryCode;
  /** Digits prepended to every external number (e.g. "0" for an outside line). */
  outsideLinePrefix?: string;
  /** Prefix for international calls in national style. */
  internationalPrefix?: string;
}

export const DEFAULT_DIAL_FORMAT: DialFormat = { style: 'national', defaultCountry: 'IT', internationalPrefix: '00' };

export type DialTarget = { kind: 'number'; dial: string; display: string } | { kind: 'uri'; dial: string; display: string };

/** Why a dial string is refused: what callers decide and translate on (the message is English, for the CLI and logs). */
export type DialRefusal = 'empty' | 'too-long' | 'control' | 'bad-sip' | 'bad-international' | 'not-a-number';

export class DialStringError extends Error {
  constructor(
    readonly refusal: DialRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'DialStringError';
  }
}

const MAX_LEN = 128;
/** Separators people paste with numbers; removed before anything else. */
const SEPARATORS = /[\s.\-()/\u00a0\u2010-\u2015]/g;

/**
 * Turns what a user typed, pasted or clicked into what the PBX is asked to call: a SIP URI is
 * kept, an extension or short code (digits, * and #) is dialled as is, a full phone number is
 * formatted per the dialling settings. Anything else is refused with a reason.
 */
export function toDialTarget(input: string, format: DialFormat = DEFAULT_DIAL_FORMAT): DialTarget {
  const raw = input.trim();
  if (!raw) throw new DialStringError('empty', 'nothing to dial');
  if (raw.length > MAX_LEN) throw new DialStringError('too-long', `too long to be a number (${raw.length} characters)`);
  // Control characters never belong in a number; in a URL or header they are an attack.
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new DialStringError('control', 'a number cannot contain control characters');
  if (/^(sips?):/i.test(raw)) {
    if (!/^sips?:[A-Za-z0-9_.!~*'()&=+$,;?/%-]+@[A-Za-z0-9.-]+(:\d{1,5})?$/i.test(raw)) {
      throw new DialStringError('bad-sip', 'not a valid SIP address');
    }
    return { kind: 'uri', dial: raw, display: raw.replace(/^sips?:/i, '') };
  }
  const cleaned = raw.replace(/^(tel|callto):/i, '').replace(SEPARATORS, '');
  if (!/^\+?[0-9*#]+$/.test(cleaned)) {
    throw new DialStringError('not-a-number', `"${raw.slice(0, 40)}" is not a phone number`);
  }
  // Extensions, short codes and feature codes: never reformatted.
  if (!cleaned.startsWith('+') && (cleaned.length <= 6 || /[*#]/.test(cleaned))) {
    return { kind: 'number', dial: cleaned, display: cleaned };
  }
  const parsed = parsePhoneNumberFromString(cleaned, format.defaultCountry);
  if (!parsed || !parsed.isPossible()) {
    if (cleaned.startsWith('+')) throw new DialStringError('bad-international', `"${raw.slice(0, 40)}" is not a valid international number`);
    // A long internal number plan or an unknown format: dial the digits as they are.
    return { kind: 'number', dial: cleaned, display: cleaned };
  }
  const outside = format.outsideLinePrefix ?? '';
  if (format.style === 'e164') {
    return { kind: 'number', dial: outside + parsed.number, display: parsed.formatInternational() };
  }
  const domestic =
    parsed.country === format.defaultCountry || parsed.countryCallingCode === getCountryCallingCode(format.defaultCountry);
  // National format keeps the trunk prefix and Italy's leading zero; separators go.
  const dial = domestic
    ? parsed.formatNational().replace(SEPARATORS, '')
    : `${format.internationalPrefix ?? '00'}${parsed.countryCallingCode}${parsed.nationalNumber}`;
  return { kind: 'number', dial: outside + dial, display: domestic ? parsed.formatNational() : parsed.formatInternational() };
}
