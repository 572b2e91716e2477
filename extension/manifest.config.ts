import { CHROMIUM_MANIFEST_KEY, FIREFOX_EXTENSION_ID } from '../shared/extension-ids.ts';
import source from './manifest.json' with { type: 'json' };

export type BuildTarget = 'chrome' | 'firefox';

/**
 * Chrome/Edge's managed storage schema (issue 16), generated from shared/settings/managed.ts and
 * checked against it by shared/settings/managed-docs.test.ts. Firefox takes the same keys from
 * policies.json without a schema, and its manifest has no such key.
 */
export const MANAGED_SCHEMA_SOURCE = 'extension/managed-schema.json';
export const MANAGED_SCHEMA_FILE = 'managed-schema.json';

/** Output names of the content scripts; their sources are CONTENT_SCRIPT_SOURCES (vite.config.ts builds them). */
export const CONTENT_SCRIPT_SOURCES = {
  'content/press-guard.js': 'extension/content/press-guard.ts',
  'content/index.js': 'extension/content/index.ts',
} as const;

/**
 * `extension/manifest.json` is the source manifest (DESIGN): everything both browsers share. JSON
 * has no comments, so the why of its fields is here:
 * - `host_permissions` and `content_scripts` on every page: number detection and call links
 *   (extension/content/); the per-site switch in the toolbar button's menu reads the active tab's
 *   address through them. The content script runs in same-origin iframes too, including
 *   about:blank and srcdoc ones a page fills itself (`all_frames`, `match_about_blank`).
 * - The content scripts are named by their output files (CONTENT_SCRIPT_SOURCES): vite.config.ts
 *   builds them as self-contained classic scripts, not crxjs, whose loader imports the real script
 *   by URL, which must then be web-accessible; any page can fetch such a file at a fixed URL and so
 *   tell that the extension is installed (issue 13). Nothing is web-accessible. The press guard runs
 *   at document_start, before any script of the page can register a listener (pointer.ts: what was
 *   under the pointer when the button went down).
 *
 * The build applies what differs per browser, and the version from package.json. Chromium gets
 * the pinned `key` (stable extension id, which host manifests allow) and a service worker plus the
 * offscreen document (the media engine's home; Firefox has no such API and no such permission);
 * Firefox gets a fixed gecko id and an event page instead of a worker.
 */
export function buildManifest(target: BuildTarget, version: string) {
  const { manifest_version, name, short_name, description, default_locale, icons, action, options_ui, permissions, host_permissions, content_scripts } = source;
  const common = {
    manifest_version: manifest_version as 3,
    name,
    short_name,
    description,
    version,
    default_locale,
    icons,
    action,
    options_ui,
    permissions,
    host_permissions,
    content_scripts: content_scripts.map((script) => ({ ...script, run_at: script.run_at as 'document_start' | 'document_idle' })),
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
    storage: { managed_schema: MANAGED_SCHEMA_FILE },
    minimum_chrome_version: '116',
    background: { service_worker: 'extension/background/index.ts', type: 'module' as const },
    permissions: [...common.permissions, 'offscreen'],
  };
}
