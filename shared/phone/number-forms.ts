import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * One number in the forms a directory may have stored it (issue 18): `+39 02 1234 5678`,
 * `0039 02…`, `02 1234 5678` and `021234 5678` are one number and share one `key`; an extension or
 * short code only ever matches itself exactly.
 */
export interface NumberForms {
  /** As received or typed, without separators (digits, a leading +, * and #). */
  asDialled: string;
  /** +390212345678, when it parses as a possible number. */
  e164?: string;
  /** 0212345678: the national significant form with the national prefix, without spaces. */
  national?: string;
  /** What two numbers share when they are the same: the E.164 form, else `x:` + the digits. */
  key: string;
}

const SEPARATORS = /[\s.\-()/\u00a0\u2010-\u2015]/g;
const MAX = 32;

/**
 * The forms of a number, or undefined when it is not one (a name, an empty or hostile caller id):
 * total, never throws, so any caller id can be passed.
 */
export function numberForms(raw: string, country: CountryCode = 'IT'): NumberForms | undefined {
  const cleaned = String(raw).trim().replace(/^(tel|sip):/i, '').replace(/@.*$/, '').replace(SEPARATORS, '');
  if (!/^\+?[0-9*#]{1,32}$/.test(cleaned) || cleaned.length > MAX) return undefined;
  // Extensions, short codes and feature codes: exact matches only, never reformatted.
  if (!cleaned.startsWith('+') && !cleaned.startsWith('00') && (cleaned.length <= 6 || /[*#]/.test(cleaned))) {
    return { asDialled: cleaned, key: `x:${cleaned}` };
  }
  if (/[*#]/.test(cleaned)) return { asDialled: cleaned, key: `x:${cleaned}` };
  const international = cleaned.startsWith('00') ? `+${cleaned.slice(2)}` : cleaned;
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(international, country);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !parsed.isPossible()) return { asDialled: cleaned, key: `x:${cleaned}` };
  return { asDialled: cleaned, e164: parsed.number, national: parsed.formatNational().replace(SEPARATORS, ''), key: parsed.number };
}

/** The key of a number (see NumberForms), or undefined when it is not a number. */
export function numberKey(raw: string, country: CountryCode = 'IT'): string | undefined {
  return numberForms(raw, country)?.key;
}
