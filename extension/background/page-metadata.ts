import browser from 'webextension-polyfill';
import metadata from 'libphonenumber-js/metadata.max.json';
import type { PageMessage } from '../lib/page-messages';
import type { BackgroundCapability } from './context';

/**
 * Hands content scripts the phone number metadata (`page.metadata`). The background links it in
 * anyway (calls from the context menu parse numbers); content scripts ask for it on first need
 * instead of importing it as a file, because every file a content script can import is
 * web-accessible: any page could fetch it at a fixed URL and learn the extension is installed
 * (issue 13). The metadata is public data, so any sender may have it.
 */
export const pageMetadata: BackgroundCapability = {
  name: 'page-metadata',
  start() {
    browser.runtime.onMessage.addListener((raw: unknown) => {
      const m = raw as PageMessage;
      return m?.type === 'page.metadata' ? Promise.resolve(metadata) : undefined;
    });
  },
};
