/**
 * Number-detection settings, kept in storage.local so they survive restarts and reach every
 * content script at once (storage.onChanged). Pure helpers plus a thin storage adapter: the
 * content script passes the browser's own storage object, the options page the polyfilled one.
 */
export interface DetectionSettings {
  /** ISO 3166 country for numbers written without an international prefix. */
  defaultCountry: string;
  /** Host names where detection is off; an entry also covers its subdomains. */
  disabledSites: string[];
}

export const DETECTION_STORAGE_KEY = 'detection';
export const DEFAULT_DETECTION: DetectionSettings = { defaultCountry: 'IT', disabledSites: [] };

/** Never trust what storage holds: an old or hand-edited value falls back field by field. */
export function normaliseDetectionSettings(raw: unknown): DetectionSettings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const country = typeof r.defaultCountry === 'string' && /^[A-Z]{2}$/.test(r.defaultCountry) ? r.defaultCountry : DEFAULT_DETECTION.defaultCountry;
  const sites = Array.isArray(r.disabledSites) ? r.disabledSites.map((s) => (typeof s === 'string' ? siteKey(s) : undefined)) : [];
  return { defaultCountry: country, disabledSites: [...new Set(sites.filter((s): s is string => !!s))].sort() };
}

/** The site a URL or a typed entry names: its host name, lower case, without "www.". */
export function siteKey(input: string): string | undefined {
  const text = input.trim().toLowerCase();
  if (!text) return undefined;
  let host = text;
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) {
    try {
      host = new URL(text).hostname;
    } catch {
      return undefined;
    }
  } else {
    host = text.split(/[/?#]/)[0]!.replace(/:\d+$/, '');
  }
  host = host.replace(/^www\./, '').replace(/\.$/, '');
  return /^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/.test(host) && host.length <= 253 ? host : undefined;
}

export function isSiteDisabled(settings: DetectionSettings, hostname: string): boolean {
  const host = siteKey(hostname);
  if (!host) return false;
  return settings.disabledSites.some((s) => host === s || host.endsWith(`.${s}`));
}

/** Turns detection off for the site, or back on (removing every entry that covers it). */
export function withSiteDisabled(settings: DetectionSettings, hostname: string, disabled: boolean): DetectionSettings {
  const host = siteKey(hostname);
  if (!host) return settings;
  const others = settings.disabledSites.filter((s) => !(host === s || host.endsWith(`.${s}`)));
  return normaliseDetectionSettings({ ...settings, disabledSites: disabled ? [...others, host] : others });
}

/** One site per line (or comma separated), as the options page edits them. */
export function parseSiteList(text: string): { sites: string[]; invalid: string[] } {
  const sites: string[] = [];
  const invalid: string[] = [];
  for (const entry of text.split(/[\n,]+/)) {
    if (!entry.trim()) continue;
    const key = siteKey(entry);
    if (key) sites.push(key);
    else invalid.push(entry.trim());
  }
  return { sites: [...new Set(sites)].sort(), invalid };
}

/** The part of storage.local these helpers use (browser's native object or the polyfill). */
export interface StorageLike {
  local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
  onChanged: { addListener(cb: (changes: Record<string, { newValue?: unknown }>, area: string) => void): void; removeListener(cb: never): void };
}

export async function loadDetectionSettings(storage: StorageLike): Promise<DetectionSettings> {
  const got = await storage.local.get(DETECTION_STORAGE_KEY);
  return normaliseDetectionSettings(got[DETECTION_STORAGE_KEY]);
}

export async function saveDetectionSettings(storage: StorageLike, settings: DetectionSettings): Promise<void> {
  await storage.local.set({ [DETECTION_STORAGE_KEY]: normaliseDetectionSettings(settings) });
}

/** Calls back with the new settings whenever any extension context changes them. */
export function watchDetectionSettings(storage: StorageLike, cb: (s: DetectionSettings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && changes[DETECTION_STORAGE_KEY]) cb(normaliseDetectionSettings(changes[DETECTION_STORAGE_KEY].newValue));
  };
  storage.onChanged.addListener(listener);
  return () => storage.onChanged.removeListener(listener as never);
}
