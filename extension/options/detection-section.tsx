import { getCountries } from 'libphonenumber-js/max';
import { useEffect, useMemo, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import {
  DEFAULT_DETECTION,
  loadDetectionSettings,
  parseSiteList,
  saveDetectionSettings,
  watchDetectionSettings,
  type DetectionSettings,
  type StorageLike,
} from '../lib/detection-settings';
import { t } from '../lib/i18n';

const storage = browser.storage as unknown as StorageLike;

/**
 * Number detection: the default country and the sites where detection is off. Saved to
 * storage.local; every open page follows the change at once. The toolbar button's menu edits the
 * same list one site at a time, so this view also follows changes made elsewhere.
 */
export function DetectionSection() {
  const [settings, setSettings] = useState<DetectionSettings>(DEFAULT_DETECTION);
  const [sitesText, setSitesText] = useState('');
  const [note, setNote] = useState('');

  useEffect(() => {
    const show = (s: DetectionSettings) => {
      setSettings(s);
      setSitesText(s.disabledSites.join('\n'));
    };
    void loadDetectionSettings(storage).then(show);
    return watchDetectionSettings(storage, show);
  }, []);

  const countries = useMemo(() => {
    const names = new Intl.DisplayNames([browser.i18n.getUILanguage()], { type: 'region' });
    return getCountries()
      .map((code) => ({ code, name: names.of(code) ?? code }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, []);

  const save = async (country: string, text: string) => {
    const { sites, invalid } = parseSiteList(text);
    await saveDetectionSettings(storage, { defaultCountry: country, disabledSites: sites });
    setNote(invalid.length ? t('optionsDetectionInvalid', [invalid.join(', ')]) : t('optionsDetectionSaved'));
  };

  return (
    <section data-testid="detection">
      <h2>{t('optionsDetection')}</h2>
      <label>
        {t('optionsDetectionCountry')}{' '}
        <select data-testid="detection-country" value={settings.defaultCountry} onChange={(e) => void save((e.target as HTMLSelectElement).value, sitesText)}>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>{`${c.name} (${c.code})`}</option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('optionsDetectionSites')}</span>
        <textarea data-testid="detection-sites" rows={5} value={sitesText} onInput={(e) => setSitesText((e.target as HTMLTextAreaElement).value)} />
      </label>
      <p>
        <button type="button" data-testid="detection-save" onClick={() => void save(settings.defaultCountry, sitesText)}>
          {t('optionsDetectionSave')}
        </button>{' '}
        <span class="muted" role="status">{note}</span>
      </p>
      <p class="muted">{t('optionsDetectionOptOut')}</p>
    </section>
  );
}
