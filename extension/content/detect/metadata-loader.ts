import { createFinder, type PhoneFinder } from './find-phone-numbers';

let loading: Promise<PhoneFinder> | undefined;

/**
 * The finder with libphonenumber-js's `max` metadata (~225 KB), loaded once per frame on first
 * need: most frames never hold a run of seven digits, and those never pay for it. The metadata
 * is its own chunk, imported from the extension's files like the content script itself.
 */
export function loadFinder(): Promise<PhoneFinder> {
  loading ??= import('libphonenumber-js/metadata.max.json').then(
    (m) => createFinder(m.default),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}
