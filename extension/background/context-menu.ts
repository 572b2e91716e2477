import browser from 'webextension-polyfill';
import { intentFromSelection } from '../lib/call-link';
import {
  isSiteDisabled,
  loadDetectionSettings,
  saveDetectionSettings,
  siteKey,
  watchDetectionSettings,
  withSiteDisabled,
  type StorageLike,
} from '../lib/detection-settings';
import { onLanguageChange, t } from '../lib/i18n';
import type { PageToast } from '../lib/page-messages';
import type { BackgroundCapability } from './context';
import { pageCallDeps, runIntent } from './page-calls';

const CALL_SELECTION = 'voispeed-call-selection';
const DETECT_ON_SITE = 'voispeed-detect-on-site';

const webSite = (url: string | undefined) => (url && /^https?:/i.test(url) ? siteKey(url) : undefined);

/**
 * Right-click a selection → "Call “…”" (MV3 menus cannot show the normalised number before the
 * click, so the title shows the selection and the number is normalised on click). The toolbar
 * button's menu holds the per-site detection switch; its tick follows the active tab.
 */
export const contextMenu: BackgroundCapability = {
  name: 'context-menu',
  start({ native }) {
    const menus = browser.contextMenus;
    if (!menus) return;
    const storage = browser.storage as unknown as StorageLike;
    const deps = pageCallDeps(native);

    // Menus survive worker restarts in Chromium but not always event pages: rebuild every time.
    void menus.removeAll().then(() => {
      menus.create({ id: CALL_SELECTION, title: t('menuCallSelection'), contexts: ['selection'] });
      menus.create({ id: DETECT_ON_SITE, title: t('menuDetectOnSite'), type: 'checkbox', checked: true, contexts: ['action'] });
      void refreshTick();
    });
    // The titles follow the user's language when it changes (options page, or the stored choice read at start).
    onLanguageChange(() => {
      void menus.update(CALL_SELECTION, { title: t('menuCallSelection') }).catch(() => undefined);
      void menus.update(DETECT_ON_SITE, { title: t('menuDetectOnSite') }).catch(() => undefined);
    });

    async function refreshTick(): Promise<void> {
      const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
      const site = webSite(tab?.url);
      const settings = await loadDetectionSettings(storage);
      await menus.update(DETECT_ON_SITE, { enabled: !!site, checked: !!site && !isSiteDisabled(settings, site) }).catch(() => undefined);
    }

    async function acknowledge(tabId: number | undefined, frameId: number | undefined, ok: boolean, text: string): Promise<void> {
      if (tabId === undefined || tabId < 0) return;
      const toast: PageToast = { type: 'page.toast', ok, text };
      try {
        await browser.tabs.sendMessage(tabId, toast, { frameId: frameId ?? 0 });
      } catch {
        // No content script there (browser pages, PDF viewer): the tab's badge says it briefly.
        await browser.action.setBadgeText({ tabId, text: ok ? '✓' : '!' }).catch(() => undefined);
        setTimeout(() => void browser.action.setBadgeText({ tabId, text: '' }).catch(() => undefined), 4000);
      }
    }

    menus.onClicked.addListener((info, tab) => {
      if (info.menuItemId === CALL_SELECTION) {
        void runIntent(intentFromSelection(info.selectionText ?? '', deps.format()), 'context-menu', `menu:${tab?.id ?? -1}`, deps).then((reply) =>
          acknowledge(tab?.id, info.frameId, reply.ok, reply.text),
        );
      } else if (info.menuItemId === DETECT_ON_SITE) {
        const site = webSite(tab?.url ?? info.pageUrl);
        if (!site) return;
        void loadDetectionSettings(storage).then((s) => saveDetectionSettings(storage, withSiteDisabled(s, site, !info.checked)));
      }
    });

    browser.tabs.onActivated.addListener(() => void refreshTick().catch(() => undefined));
    browser.tabs.onUpdated.addListener((_id, change) => {
      if (change.url) void refreshTick().catch(() => undefined);
    });
    browser.windows?.onFocusChanged.addListener(() => void refreshTick().catch(() => undefined));
    watchDetectionSettings(storage, () => void refreshTick().catch(() => undefined));
  },
};
