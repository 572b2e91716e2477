import type { MetadataJson } from 'libphonenumber-js/core';
import { api } from '../extension-api';
import { createFinder, type PhoneFinder } from './find-phone-numbers';

let loading: Promise<PhoneFinder> | undefined;

/** The metadata as the background sent it: an object with the tables libphonenumber-js reads. */
export function asMetadata(value: unknown): MetadataJson {
  const m = value as { countries?: unknown; country_calling_codes?: unknown } | null;
  if (!m || typeof m !== 'object' || !m.countries || typeof m.countries !== 'object' || !m.country_calling_codes || typeof m.country_calling_codes !== 'object') {
    throw new Error('the background sent no phone number metadata');
  }
  return value as MetadataJson;
}

/**
 * The finder with libphonenumber-js's `max` metadata (~150 KB), loaded once per frame on first
 * need: most frames never hold a run of seven digits, and those never pay for it. It comes from
 * the background (which links it in for calls from the context menu) as a runtime message, not
 * as a file of the extension: a file a content script can import is a file every page can fetch,
 * and so a way to tell that the extension is installed (issue 13).
 */
export function loadFinder(): Promise<PhoneFinder> {
  loading ??= api.runtime.sendMessage({ type: 'page.metadata' }).then(
    (m) => createFinder(asMetadata(m)),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}
