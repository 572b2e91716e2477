import browser from 'webextension-polyfill';
import en from '../_locales/en/messages.json';
import it from '../_locales/it/messages.json';
import type { LanguagePref } from '../../shared/settings/preferences';
import { formatMessage, type MessageEntry } from './message-format';

export type MessageKey = keyof typeof en;
/** The languages the extension is translated into (`_locales/<lang>/messages.json`). */
export type Language = 'en' | 'it';
export const LANGUAGES: readonly Language[] = ['en', 'it'];
/** storage.local key the background keeps the user's choice in, for pages that start before the host answers. */
export const LANGUAGE_STORAGE_KEY = 'uiLanguage';

const catalogues: Record<Language, Record<string, MessageEntry>> = { en, it };
export { formatMessage };

/** The entries whose key starts with `prefix`, in a language (the content script's strings). */
export function entriesWithPrefix(lang: Language, prefix: string): Record<string, MessageEntry> {
  return Object.fromEntries(Object.entries(catalogues[lang]).filter(([k]) => k.startsWith(prefix)));
}

/** The browser's UI language mapped onto ours: Italian for it-*, English otherwise. */
export function browserLanguage(): Language {
  let ui = '';
  try {
    ui = browser.i18n.getUILanguage?.() ?? '';
  } catch {
    // Not in an extension (tests, previews).
  }
  if (!ui && typeof navigator !== 'undefined') ui = navigator.language ?? '';
  return resolveLanguage('auto', ui);
}

export function resolveLanguage(pref: LanguagePref | undefined, browserUi: string): Language {
  if (pref === 'en' || pref === 'it') return pref;
  return browserUi.toLowerCase().startsWith('it') ? 'it' : 'en';
}

let current: Language = browserLanguage();
/** Set once the host's settings said which language: the stored copy may be older than that. */
let fromSettings = false;
const listeners = new Set<(l: Language) => void>();

/** The language strings are shown in now. */
export function language(): Language {
  return current;
}

/** Applies the user's choice ('auto' = the browser's); listeners re-render. Returns whether it changed. */
export function setLanguagePreference(pref: LanguagePref | undefined): boolean {
  const next = pref === 'en' || pref === 'it' ? pref : browserLanguage();
  if (next === current) return false;
  current = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const l of listeners) l(next);
  return true;
}

/** The preference as the host's settings give it (the popup, the options page, the background). */
export function followSettings(pref: LanguagePref | undefined): boolean {
  fromSettings = true;
  return setLanguagePreference(pref);
}

export function onLanguageChange(listener: (l: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A translated string in the current language (English when a key is missing there). */
export function t(key: MessageKey, substitutions?: string | string[]): string {
  return formatMessage(catalogues[current][key] ?? catalogues.en[key], substitutions) || key;
}

/** A string in a given language, for tests and for the language picker's own labels. */
export function tIn(lang: Language, key: MessageKey, substitutions?: string | string[]): string {
  return formatMessage(catalogues[lang][key], substitutions) || key;
}

let markReady: () => void = () => undefined;
/**
 * Resolves once the stored choice is applied (a few ms): a page without a live view state
 * (setup, confirmation) renders after it, so its first paint is already in the right language.
 */
export const languageReady: Promise<void> = new Promise((r) => (markReady = r));

// Extension pages follow the stored choice at once, before the host's settings arrive.
try {
  const storage = (browser as { storage?: typeof browser.storage }).storage;
  if (storage?.local) {
    void storage.local
      .get(LANGUAGE_STORAGE_KEY)
      .then((s) => {
        if (!fromSettings) setLanguagePreference(s[LANGUAGE_STORAGE_KEY] as LanguagePref | undefined);
      })
      .catch(() => undefined)
      .finally(() => markReady());
    storage.onChanged?.addListener((changes, area) => {
      if (area === 'local' && LANGUAGE_STORAGE_KEY in changes) setLanguagePreference(changes[LANGUAGE_STORAGE_KEY]!.newValue as LanguagePref | undefined);
    });
  } else {
    markReady();
  }
} catch {
  // No storage here (tests, the offscreen document): the browser's language it is.
  markReady();
}
if (typeof document !== 'undefined') document.documentElement.lang = current;
