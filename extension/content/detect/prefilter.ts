/**
 * The only home-made test before libphonenumber-js: does the text hold a run of at least
 * MIN_DIGITS digits with nothing but separators between them? No phone number is shorter, and
 * most text fails it (scattered digits: dates, counts, years), which is what makes scanning
 * cheap — including never paying libphonenumber-js's first-call set-up on pages without numbers.
 */
export const MIN_DIGITS = 7;

/** Up to three separator characters (space, NBSP, . - – / ( )) between two digits. */
const DIGIT_RUN = /\d(?:[\s\u00a0.\-\u2010-\u2015/()]{0,3}\d){6}/;

export function hasEnoughDigits(text: string): boolean {
  return DIGIT_RUN.test(text);
}
