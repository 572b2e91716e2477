import { CHROMIUM_MANIFEST_KEY, FIREFOX_EXTENSION_ID } from '../shared/extension-ids.ts';

export type BuildTarget = 'chrome' | 'firefox';

/**
 * The one manifest source for every browser. Chromium gets the pinned `key` (stable extension id,
 * which host manifests allow); Firefox gets a fixed gecko id and an event page instead of a worker.
 */
export function buildManifest(target: BuildTarget, version: string) {
  const common = {
    manifest_version: 3 as const,
    name: '__MSG_extName__',
    short_name: 'VOIspeed',
    description: '__MSG_extDescription__',
    version,
    default_locale: 'en',
    icons: { 16: 'extension/icons/icon-16.png', 32: 'extension/icons/icon-32.png', 48: 'extension/icons/icon-48.png', 128: 'extension/icons/icon-128.png' },
    action: {
      default_popup: 'extension/popup/index.html',
      default_title: '__MSG_actionTitle__',
      default_icon: { 16: 'extension/icons/icon-16.png', 32: 'extension/icons/icon-32.png' },
    },
    options_ui: { page: 'extension/options/index.html', open_in_tab: true },
    permissions: ['nativeMessaging', 'storage', 'notifications', 'contextMenus'],
    // Number detection and call links on every page (extension/content/); the per-site switch in
    // the toolbar button's menu reads the active tab's address through these.
    host_permissions: ['http://*/*', 'https://*/*', 'file:///*'],
    content_scripts: [
      {
        matches: ['http://*/*', 'https://*/*', 'file:///*'],
        js: ['extension/content/index.ts'],
        css: ['extension/content/highlight.css'],
        // Same-origin iframes, including about:blank and srcdoc ones a page fills itself.
        all_frames: true,
        match_about_blank: true,
        run_at: 'document_idle' as const,
      },
    ],
  };
  if (target === 'firefox') {
    return {
      ...common,
      background: { scripts: ['extension/background/index.ts'], type: 'module' as const },
      browser_specific_settings: {
        gecko: {
          id: FIREFOX_EXTENSION_ID,
          strict_min_version: '128.0',
          // addons.mozilla.org requires the declaration for new add-ons: the extension sends nothing
          // to anyone but the local host (Firefox before 140 ignores the key).
          data_collection_permissions: { required: ['none'] },
        },
      },
    };
  }
  return {
    ...common,
    key: CHROMIUM_MANIFEST_KEY,
    minimum_chrome_version: '116',
    background: { service_worker: 'extension/background/index.ts', type: 'module' as const },
    // The media engine's home (extension/offscreen/); Firefox has no such API and no such permission.
    permissions: [...common.permissions, 'offscreen'],
  };
}
