import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', async () => (await import('./english-catalogue')).fakeI18nBrowser);
const i18n = await import('./i18n');

describe('runtime language switching', () => {
  afterEach(() => i18n.setLanguagePreference('en'));

  it('switches every t() at once and tells listeners', () => {
    const heard: string[] = [];
    const off = i18n.onLanguageChange((l) => heard.push(l));
    expect(i18n.t('callAnswer')).toBe('Answer');
    expect(i18n.setLanguagePreference('it')).toBe(true);
    expect(i18n.t('callAnswer')).toBe('Rispondi');
    expect(i18n.language()).toBe('it');
    expect(i18n.setLanguagePreference('it')).toBe(false);
    i18n.setLanguagePreference('en');
    off();
    expect(heard).toEqual(['it', 'en']);
  });

  it('substitutes placeholders in the chosen language', () => {
    i18n.setLanguagePreference('it');
    expect(i18n.t('dialHint', '02 6161 6161')).toMatch(/02 6161 6161/);
    expect(i18n.t('dialHint', '02 6161 6161')).not.toBe(i18n.tIn('en', 'dialHint', '02 6161 6161'));
  });

  it('auto follows the browser: Italian for it-*, English for anything else', () => {
    expect(i18n.resolveLanguage('auto', 'it-IT')).toBe('it');
    expect(i18n.resolveLanguage('auto', 'it')).toBe('it');
    expect(i18n.resolveLanguage('auto', 'de-DE')).toBe('en');
    expect(i18n.resolveLanguage('en', 'it-IT')).toBe('en');
    expect(i18n.resolveLanguage('it', 'en-US')).toBe('it');
  });

  it('every key formats to a non-empty string in both languages', async () => {
    const en = (await import('../_locales/en/messages.json')).default as Record<string, unknown>;
    for (const key of Object.keys(en)) {
      for (const lang of i18n.LANGUAGES) expect(i18n.tIn(lang, key as never, ['1', '2', '3']).trim(), `${lang}:${key}`).not.toBe('');
    }
  });
});
