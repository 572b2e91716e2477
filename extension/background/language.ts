import browser from 'webextension-polyfill';
import { followSettings, LANGUAGE_STORAGE_KEY } from '../lib/i18n';
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
      void browser.storage.local.set({ [LANGUAGE_STORAGE_KEY]: pref }).catch(() => undefined);
    });
  },
};
