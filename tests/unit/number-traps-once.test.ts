import { describe, expect, it, vi } from 'vitest';
import { findPhoneNumbers } from '../../extension/content/detect/max';
import { intentFromSelection } from '../../extension/lib/call-link';
import { DEFAULT_DIAL_FORMAT, type DialFormat } from '../../shared/phone/dial-string';
import { selectionToNumber } from '../../shared/phone/selection';
import { italianVatValid } from '../../shared/phone/traps/checksums';

// call-link's refusals are translated (extension/lib/i18n.ts): the English catalogue stands in for the browser.
vi.mock('webextension-polyfill', async () => (await import('../../extension/lib/english-catalogue')).fakeI18nBrowser);

/**
 * Issue 14: one set of number traps (shared/phone/traps) for the page's detection, the context
 * menu's "Call selection" and the dial hotkey: what the page does not underline, the menu and the
 * hotkey do not call either.
 */
const format: DialFormat = { ...DEFAULT_DIAL_FORMAT, defaultCountry: 'IT' };

describe('number traps decided once', () => {
  it.each([
    // A partita IVA alone: 11 digits with a valid check digit, which libphonenumber-js takes for a landline.
    ['01234567897', 'tax-or-bank-code'],
    ['ordine n. 0261616161', 'not-a-number'],
    ['Fattura 0261616161', 'not-a-number'],
  ] as const)('%s: not underlined on a page, refused by the hotkey (%s) and by the context menu', (text, reason) => {
    expect(findPhoneNumbers(text, { defaultCountry: 'IT' })).toEqual([]);
    expect(selectionToNumber(text, 'IT')).toMatchObject({ ok: false, reason });
    expect(intentFromSelection(text, format).kind).toBe('refused');
  });

  it('the sample VAT number is one (the case above tests the trap, not a typo)', () => expect(italianVatValid('01234567897')).toBe(true));

  it.each([
    ['Tel. 02 6161 6161', '0261616161'],
    ['chiama 02 6161 6161 (uff.)', '0261616161'],
  ])('%s: underlined, dialled by the hotkey and by the context menu alike', (text, dialled) => {
    expect(findPhoneNumbers(text, { defaultCountry: 'IT' })).toHaveLength(1);
    expect(selectionToNumber(text, 'IT')).toMatchObject({ ok: true, number: '+390261616161' });
    expect(intentFromSelection(text, format)).toMatchObject({ kind: 'dial', number: dialled });
  });
});
