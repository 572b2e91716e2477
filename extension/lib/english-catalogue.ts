import en from '../_locales/en/messages.json';
import { formatMessage, type MessageEntry } from './message-format';

const catalogue = en as Record<string, MessageEntry>;

/**
 * chrome.i18n.getMessage over the English catalogue, for code that runs outside an extension:
 * component tests and previews read the real strings instead of keys.
 */
export function englishMessage(key: string, substitutions?: string | string[]): string {
  return formatMessage(catalogue[key], substitutions);
}

/** Enough of `webextension-polyfill` for i18n.ts: `vi.mock('webextension-polyfill', () => fakeI18nBrowser)`. */
export const fakeI18nBrowser = { default: { i18n: { getMessage: englishMessage } } };
