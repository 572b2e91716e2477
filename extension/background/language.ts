import browser from 'webextension-polyfill';
import { entriesWithPrefix, followSettings, language as current, LANGUAGE_STORAGE_KEY } from '../lib/i18n';
import { PAGE_STRINGS_KEY } from '../lib/message-format';
import type { BackgroundCapability } from './context';

/**
 * The UI language lives in the host's preferences; the background follows it (notifications,
 * badge titles) and keeps a copy in storage.local, so a page that opens before the host answers
 * already speaks the chosen language and every open page switches at once.
 */
export const language: BackgroundCapability = {
  name: 'language',
  start({ store }) {
    let last: string | undefined;
    store.subscribe((state) => {
      const pref = state.settings?.preferences.language;
      if (pref === undefined || pref === last) return;
      last = pref;
      followSettings(pref);
      // Content scripts cannot switch chrome.i18n: they read their few strings from here.
      void browser.storage.local
        .set({ [LANGUAGE_STORAGE_KEY]: pref, [PAGE_STRINGS_KEY]: entriesWithPrefix(current(), 'page') })
        .catch(() => undefined);
    });
  },
};
