import { getCountries } from 'libphonenumber-js/max';
import { useMemo } from 'preact/hooks';
import { language } from '../lib/i18n';

/** Every country libphonenumber knows, named in the UI's language, sorted by name. */
export function CountrySelect({ value, onChange, testid }: { value: string; onChange(code: string): void; testid: string }) {
  const lang = language();
  const countries = useMemo(() => {
    const names = new Intl.DisplayNames([lang], { type: 'region' });
    return getCountries()
      .map((code) => ({ code, name: names.of(code) ?? code }))
      .sort((a, b) => a.name.localeCompare(b.name, lang));
  }, [lang]);
  return (
    <select data-testid={testid} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
      {countries.map((c) => (
        <option key={c.code} value={c.code}>{`${c.name} (${c.code})`}</option>
      ))}
    </select>
  );
}
