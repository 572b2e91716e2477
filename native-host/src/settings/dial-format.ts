import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { DEFAULT_DIAL_FORMAT, type DialFormat } from '../../../shared/phone/dial-string';
import type { Preferences } from '../../../shared/settings/preferences';

/** The dialling format the call manager uses, from the preferences (an unknown country falls back to the default). */
export function dialFormatOf(preferences: Preferences): DialFormat {
  const f = preferences.dialFormat;
  const country = isSupportedCountry(f.defaultCountry) ? (f.defaultCountry as CountryCode) : DEFAULT_DIAL_FORMAT.defaultCountry;
  return {
    style: f.style,
    defaultCountry: country,
    internationalPrefix: f.internationalPrefix,
    ...(f.outsideLinePrefix ? { outsideLinePrefix: f.outsideLinePrefix } : {}),
  };
}
