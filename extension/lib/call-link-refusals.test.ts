import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DIAL_FORMAT } from '../../shared/phone/dial-string';

vi.mock('webextension-polyfill', async () => (await import('./english-catalogue')).fakeI18nBrowser);
const i18n = await import('./i18n');
const { intentFromHref, intentFromNumber } = await import('./call-link');

const F = DEFAULT_DIAL_FORMAT;
const reason = (intent: ReturnType<typeof intentFromHref>): string => (intent.kind === 'refused' ? intent.reason : `not refused: ${JSON.stringify(intent)}`);

/**
 * A page link the browser cannot percent-decode is refused with a sentence in the user's language,
 * not the JavaScript engine's English "URI malformed" (issue 12 follow-up).
 */
describe('refused page links say why in the user language', () => {
  afterEach(() => i18n.setLanguagePreference('en'));

  // '%' not followed by two hex digits, a cut escape, escapes that are not UTF-8.
  const broken = ['tel:0261616161%', 'tel:%E0%A4%A', 'tel:02%zz61616161', 'callto:%FF0261616161', 'sip:2001%C3%28@pbx.example.com', 'sips:%@pbx.example.com'];

  it.each(broken)('%s: a translated sentence, never the engine message', (href) => {
    expect(reason(intentFromHref(href, F))).toBe('the link contains a broken %-escape');
    i18n.setLanguagePreference('it');
    expect(reason(intentFromHref(href, F))).toBe('il link contiene una sequenza % non valida');
  });

  it('no refusal reason is the engine English', () => {
    for (const lang of ['en', 'it'] as const) {
      i18n.setLanguagePreference(lang);
      for (const href of broken) expect(reason(intentFromHref(href, F))).not.toMatch(/URI malformed/i);
    }
  });

  it("call-link's own refusals are translated too", () => {
    i18n.setLanguagePreference('it');
    expect(reason(intentFromHref('https://example.com', F))).toBe('non è un link telefonico');
    expect(reason(intentFromHref(`tel:${'1'.repeat(600)}`, F))).toBe('il link è troppo lungo per essere un link telefonico');
    const notNumber = intentFromNumber('sip:2001@x.example', F);
    expect(notNumber.kind === 'refused' && notNumber.reason).toBe('non è un numero di telefono');
    i18n.setLanguagePreference('en');
    expect(reason(intentFromHref('https://example.com', F))).toBe('not a phone link');
  });

  it('a bad voispeed: link or number is refused in the UI language, never in the parser English', () => {
    const cases: [string, string, string][] = [
      ['voispeed:C', 'the link holds no valid number to call', 'il link non contiene un numero valido da chiamare'],
      ['voispeed:Q123', 'not a voispeed: command this version knows', 'non è un comando voispeed: noto a questa versione'],
      ['voispeed:', 'the voispeed: link has no command', 'il link voispeed: non contiene un comando'],
      ['voispeed:Unobody,x,y,z,w', 'the link\'s account (user@domain) is not valid', "l'account del link (utente@dominio) non è valido"],
      ['tel:+12', 'not a valid international number', 'numero internazionale non valido'],
    ];
    for (const [href, en, it] of cases) {
      i18n.setLanguagePreference('en');
      expect(reason(intentFromHref(href, F)), href).toBe(en);
      i18n.setLanguagePreference('it');
      expect(reason(intentFromHref(href, F)), href).toBe(it);
    }
  });
});
