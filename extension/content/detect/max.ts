import metadata from 'libphonenumber-js/metadata.max.json';
import { createFinder } from './find-phone-numbers';

/**
 * The finder with libphonenumber-js's `max` metadata linked in, for code that carries the
 * metadata anyway (the background, Node tests). The content script must not import this file: it
 * loads the same metadata on first need (`metadata-loader.ts`), which keeps it out of every page.
 */
export const findPhoneNumbers = createFinder(metadata);
