/** One catalogue entry, in chrome.i18n's messages.json format. */
export interface MessageEntry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

/**
 * Formats an entry the way chrome.i18n.getMessage does: `$NAME$` placeholders whose content is
 * `$1`…`$9`, `$$` for a dollar, one pass so a substituted value is never read again. Kept apart
 * from i18n.ts (which bundles both catalogues) so the content script can use it for free.
 */
export function formatMessage(entry: MessageEntry | undefined, substitutions?: string | string[]): string {
  if (!entry || typeof entry.message !== 'string') return '';
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  const positional = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$/g, (whole, name: string | undefined) => {
    if (name === undefined) return '$';
    const p = Object.entries(entry.placeholders ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
    return p ? positional(p[1].content) : whole;
  });
}

/**
 * storage.local key for the strings content scripts show (keys starting with "page"), in the
 * chosen language. chrome.i18n in a content script always speaks the browser's language; the
 * background keeps this copy so pages follow the user's choice without bundling both catalogues.
 */
export const PAGE_STRINGS_KEY = 'uiPageStrings';
