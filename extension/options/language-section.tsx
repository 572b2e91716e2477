import type { PublicSettings } from '../../shared/settings';
import { LANGUAGES, type LanguagePref } from '../../shared/settings/preferences';
import { browserLanguage, t, tIn, type MessageKey } from '../lib/i18n';
import type { SaveSection } from './options-view';

const NAMES: Record<LanguagePref, MessageKey> = { auto: 'langAuto', en: 'langEnglish', it: 'langItalian' };

/** The UI language: the browser's, or one chosen here; every open page switches at once. */
export function LanguageSection({ settings, save }: { settings: PublicSettings | undefined; save: SaveSection }) {
  const prefs = settings?.preferences;
  const choose = (language: LanguagePref) => {
    if (prefs) void save('preferences', { ...prefs, language });
  };
  return (
    <section id="language" data-testid="language">
      <h2>{t('optionsLanguage')}</h2>
      <label>
        <span>{t('fieldLanguage')}</span>{' '}
        <select data-testid="opt-language" disabled={!prefs} value={prefs?.language ?? 'auto'} onChange={(e) => choose((e.currentTarget as HTMLSelectElement).value as LanguagePref)}>
          {LANGUAGES.map((l) => (
            // Each language named in itself too, so a user lost in the wrong one finds theirs.
            <option key={l} value={l}>
              {l === 'auto' ? t('langAuto', tIn(browserLanguage(), NAMES[browserLanguage()])) : `${t(NAMES[l])}${tIn(l, NAMES[l]) !== t(NAMES[l]) ? ` — ${tIn(l, NAMES[l])}` : ''}`}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}
