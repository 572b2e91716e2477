/** Luhn (mod 10) over a digit string: payment cards, IMEI. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * The check digit of an Italian partita IVA (11 digits): odd positions summed, even positions
 * doubled (minus 9 above 9), the last digit makes the total a multiple of 10. Same rule as Luhn.
 */
export function italianVatValid(digits: string): boolean {
  return /^\d{11}$/.test(digits) && luhnValid(digits);
}

/** ISO 13616 (IBAN): the first four characters moved to the end, letters as 10–35, mod 97 is 1. */
export function ibanChecksumHolds(candidate: string): boolean {
  const compact = candidate.replace(/ /g, '').toUpperCase();
  const moved = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const code = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of code) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1;
}
