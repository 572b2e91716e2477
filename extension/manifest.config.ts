import { CHROMIUM_MANIFEST_KEY, FIREFOX_EXTENSION_ID } from '../shared/extension-ids.ts';

export type BuildTarget = 'chrome' | 'firefox';

const PAGES = ['http://*/*', 'https://*/*', 'file:///*'];

/** Output names of the content scripts; their sources are CONTENT_SCRIPT_SOURCES (vite.config.ts builds them). */
export const CONTENT_SCRIPT_SOURCES = {
  'content/press-guard.js': 'extension/content/press-guard.ts',
  'content/index.js': 'extension/content/index.ts',
} as const;

const CONTENT_SCRIPTS = [
  {
    matches: PAGES,
    js: ['content/press-guard.js'],
    all_frames: true,
    match_about_blank: true,
    run_at: 'document_start' as const,
  },
  {
    matches: PAGES,
    js: ['content/index.js'],
    css: ['content/highlight.css'],
    // Same-origin iframes, including about:blank and srcdoc ones a page fills itself.
    all_frames: true,
    match_about_blank: true,
    run_at: 'document_idle' as const,
  },
];

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
    host_permissions: PAGES,
    // Built by vite.config.ts (contentScripts) as self-contained classic scripts, not by crxjs: its
    // loader imports the real script by URL, which must then be web-accessible, and any page can
    // fetch such a file at a fixed URL and so tell that the extension is installed (issue 13).
    // Nothing is web-accessible. The press guard runs before any script of the page can register a
    // listener (pointer.ts: what was under the pointer when the button went down).
    content_scripts: CONTENT_SCRIPTS,
  };
  if (target === 'firefox') {
    return {
      ...common,
      background: { scripts: ['extension/background/index.ts'], type: 'module' as const },
      browser_specific_settings: { gecko: { id: FIREFOX_EXTENSION_ID, strict_min_version: '128.0' } },
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
