import en from '../_locales/en/messages.json';

interface Entry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
const catalogue = en as Record<string, Entry>;

/**
 * chrome.i18n.getMessage over the English catalogue, for code that runs outside an extension:
 * component tests and previews read the real strings instead of keys.
 */
export function englishMessage(key: string, substitutions?: string | string[]): string {
  const entry = catalogue[key];
  if (!entry) return '';
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  const positional = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  // One pass, so a substituted value containing "$" is never read again.
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$/g, (whole, name: string | undefined) => {
    if (name === undefined) return '$';
    const p = Object.entries(entry.placeholders ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
    return p ? positional(p[1].content) : whole;
  });
}

/** Enough of `webextension-polyfill` for i18n.ts: `vi.mock('webextension-polyfill', () => fakeI18nBrowser)`. */
export const fakeI18nBrowser = { default: { i18n: { getMessage: englishMessage } } };
