import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../shared/protocol';

vi.mock('webextension-polyfill', async () => (await import('./english-catalogue')).fakeI18nBrowser);
const i18n = await import('./i18n');
const { callFailedText, errorText, registrationCauseText } = await import('./error-text');

/** Issue 12.7: the host's CALL_FAILED reaches the user as one translated sentence. */
describe('call failures in words', () => {
  afterEach(() => i18n.setLanguagePreference('en'));
  const noMic = { code: ErrorCode.CALL_FAILED, message: 'the call to 2001 did not start: no microphone was found', data: { end: { originator: 'system', reason: 'no-microphone', cause: 'No Microphone' } } };
  const transfer = { code: ErrorCode.CALL_FAILED, message: 'the transfer to 486 failed: SIP 486', data: { target: '486', code: 486 } };

  it('a call that did not start: the reason, translated from its end, not the host English', () => {
    expect(errorText(noMic)).toBe('The call could not start: no microphone found');
    expect(callFailedText(noMic)).toBe('no microphone found');
    i18n.setLanguagePreference('it');
    expect(errorText(noMic)).toBe('Impossibile avviare la chiamata: nessun microfono trovato');
  });

  it('a failed transfer names the target and the SIP status', () => {
    expect(errorText(transfer)).toBe('the transfer to 486 failed (SIP 486)');
    expect(callFailedText(transfer)).toBe('the transfer to 486 failed (SIP 486)');
  });

  it('a malformed CALL_FAILED keeps the host message; other errors translate by code', () => {
    expect(callFailedText({ code: ErrorCode.CALL_FAILED, message: 'it failed', data: 'x' })).toBe('it failed');
    expect(callFailedText({ code: ErrorCode.NOT_REGISTERED, message: 'not registered' })).toBe(errorText({ code: ErrorCode.NOT_REGISTERED, message: 'x' }));
  });
});

/** Issue 14: clients decide on error codes, never on the host's English text. */
describe('registration causes', () => {
  afterEach(() => i18n.setLanguagePreference('en'));
  it("a second browser's state is told by its code (2004), in the user's language, whatever the host's words", () => {
    const secondary = { cause: 'Already running: another browser (chrome) uses this VOIspeed UI (pid 42)', code: ErrorCode.ALREADY_RUNNING };
    expect(registrationCauseText(secondary)).toBe(i18n.t('errAlreadyRunning'));
    expect(registrationCauseText({ ...secondary, cause: 'anything else' })).toBe(i18n.t('errAlreadyRunning'));
    i18n.setLanguagePreference('it');
    expect(registrationCauseText(secondary)).toBe(i18n.t('errAlreadyRunning'));
  });
  it('a direct-SIP TLS or DNS failure is told by its code, translated, with the host detail after it', () => {
    const tls = { cause: 'TLS Certificate Error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)', code: ErrorCode.TLS_CERTIFICATE };
    expect(registrationCauseText(tls)).toBe(`${i18n.t('causeTls')} (${tls.cause})`);
    i18n.setLanguagePreference('it');
    expect(registrationCauseText(tls)).toMatch(/^il certificato TLS del centralino non è attendibile/);
    expect(registrationCauseText({ cause: 'DNS Error: cannot resolve x', code: ErrorCode.SERVER_NOT_FOUND })).toMatch(/^il nome del centralino non si risolve \(DNS Error/);
    // Without the code the same words are only words.
    expect(registrationCauseText({ cause: tls.cause })).toBe(tls.cause);
  });
  it('text that only looks like it is shown as it is (no startsWith on words)', () => {
    expect(registrationCauseText({ cause: 'Already running: something' })).toBe('Already running: something');
    expect(registrationCauseText({ cause: 'Authentication Error' })).toBe(`${i18n.t('causeAuth')} (Authentication Error)`);
  });
});
