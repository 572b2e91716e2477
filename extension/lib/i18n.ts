import browser from 'webextension-polyfill';
import type en from '../_locales/en/messages.json';

export type MessageKey = keyof typeof en;

/** A translated string; the key type comes from the English catalogue, so typos fail to compile. */
export function t(key: MessageKey, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}
