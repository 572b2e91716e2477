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
