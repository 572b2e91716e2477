/**
 * The only home-made test before libphonenumber-js: does the text hold enough digits to contain a
 * phone number at all? Most text nodes of a page fail it, which is what makes scanning cheap.
 */
export function hasEnoughDigits(text: string, min = MIN_DIGITS): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++n >= min) return true;
  }
  return false;
}

/** DESIGN section 7: shorter numbers (extensions, 112) are never detected in running text. */
export const MIN_DIGITS = 7;
