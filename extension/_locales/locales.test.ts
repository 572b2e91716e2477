import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The extension's catalogues (chrome.i18n format): same keys and placeholders in every language,
 * nothing empty, and every key the code asks for exists.
 */
interface Entry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
type Catalogue = Record<string, Entry>;

const localesDir = fileURLToPath(new URL('.', import.meta.url));
const extensionDir = join(localesDir, '..');
const locales = readdirSync(localesDir).filter((d) => statSync(join(localesDir, d)).isDirectory());
const load = (locale: string) => JSON.parse(readFileSync(join(localesDir, locale, 'messages.json'), 'utf8')) as Catalogue;
const catalogues = Object.fromEntries(locales.map((l) => [l, load(l)])) as Record<string, Catalogue>;
const en = catalogues.en!;
const others = locales.filter((l) => l !== 'en');

/** $NAME$ references in a message, lower-cased (chrome.i18n matches them case-insensitively). */
function references(message: string): string[] {
  return [...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()).sort();
}
const declared = (e: Entry) => Object.keys(e.placeholders ?? {}).map((k) => k.toLowerCase()).sort();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === '_locales') continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

describe('extension locales', () => {
  it('has an English catalogue and at least one translation', () => {
    expect(Object.keys(en).length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
  });

  it.each(others)('%s has exactly the English keys', (locale) => {
    const theirs = Object.keys(catalogues[locale]!).sort();
    const ours = Object.keys(en).sort();
    expect(ours.filter((k) => !theirs.includes(k)), `missing in ${locale}`).toEqual([]);
    expect(theirs.filter((k) => !ours.includes(k)), `only in ${locale}`).toEqual([]);
  });

  it.each(others)('%s declares the same placeholders, with the same contents, as English', (locale) => {
    for (const [key, entry] of Object.entries(catalogues[locale]!)) {
      const base = en[key];
      if (!base) continue; // reported by the key test
      const contents = (e: Entry) =>
        Object.fromEntries(Object.entries(e.placeholders ?? {}).map(([k, v]) => [k.toLowerCase(), v.content]));
      expect(contents(entry), `${locale}:${key}`).toEqual(contents(base));
    }
  });

  it.each(locales)('%s: no empty message, and every $NAME$ used is declared and vice versa', (locale) => {
    for (const [key, entry] of Object.entries(catalogues[locale]!)) {
      expect(typeof entry.message, `${locale}:${key}`).toBe('string');
      expect(entry.message.trim(), `${locale}:${key} is empty`).not.toBe('');
      expect([...new Set(references(entry.message))], `${locale}:${key}`).toEqual(declared(entry));
    }
  });

  it.each(locales)('%s: key and placeholder names are valid for chrome.i18n, contents are $1…$9', (locale) => {
    for (const [key, entry] of Object.entries(catalogues[locale]!)) {
      expect(key, `${locale}:${key}`).toMatch(/^[A-Za-z0-9_@]+$/);
      expect(key.startsWith('@@'), `${locale}:${key} is reserved`).toBe(false);
      for (const [name, p] of Object.entries(entry.placeholders ?? {})) {
        expect(name, `${locale}:${key}`).toMatch(/^[A-Za-z0-9_]+$/);
        expect(p.content, `${locale}:${key}.${name}`).toMatch(/^\$[1-9]$/);
      }
    }
  });

  it('every key the code passes to t() exists in English', () => {
    const files = sourceFiles(extensionDir);
    const used = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*(['"`])([^'"`]+)\1/g)) used.set(m[2]!, relative(extensionDir, file));
    }
    // Guard against a regex that silently matches nothing.
    expect(used.size).toBeGreaterThan(5);
    const missing = [...used].filter(([key]) => !(key in en)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('every __MSG_key__ in the manifest exists in English', () => {
    // The source manifest and what the build adds per browser.
    const text = ['manifest.json', 'manifest.config.ts'].map((f) => readFileSync(join(extensionDir, f), 'utf8')).join('\n');
    const keys = [...text.matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !(k in en))).toEqual([]);
  });
});
