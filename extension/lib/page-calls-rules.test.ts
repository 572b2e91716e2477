import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_DIAL_FORMAT } from '../../shared/phone/dial-string';
import { intentFromHref, intentFromNumber, intentFromSelection } from './call-link';
import { isSiteDisabled, normaliseDetectionSettings, parseSiteList, siteKey, withSiteDisabled } from './detection-settings';
import { callLinkScheme } from './page-messages';
import { RateLimiter } from './rate-limit';

// call-link words its refusals through i18n (the browser's i18n here is the English catalogue).
vi.mock('webextension-polyfill', async () => (await import('./english-catalogue')).fakeI18nBrowser);

const F = DEFAULT_DIAL_FORMAT;

describe('call links → what the host is asked', () => {
  it.each([
    ['tel:+390261616161', { kind: 'dial', number: '0261616161', display: '02 6161 6161' }],
    ['tel:+39-02-6161-6161;ext=204', { kind: 'dial', number: '0261616161' }],
    ['tel:%2B39%2002%206161%206161', { kind: 'dial', number: '0261616161' }],
    ['callto:+442079460958', { kind: 'dial', number: '00442079460958' }],
    ['callto://+390261616161/', { kind: 'dial', number: '0261616161' }],
    ['sip:2001@pbx.example.com', { kind: 'dial', number: 'sip:2001@pbx.example.com' }],
    ['sip:2001@pbx.example.com;transport=ws?X-Evil=1', { kind: 'dial', number: 'sip:2001@pbx.example.com' }],
    ['voispeed:0261616161', { kind: 'dial', number: '0261616161' }],
    ['voispeed:C+390261616161', { kind: 'dial', number: '0261616161' }],
    ['voispeed:0261616161,CRM-42', { kind: 'dial', number: '0261616161', extId: 'CRM-42' }],
    ['voispeed:D', { kind: 'hangup' }],
    ['voispeed:Dabc123', { kind: 'hangup', callId: 'abc123' }],
    ['voispeed:F204', { kind: 'forward', target: '204' }],
    ['VOISPEED:204', { kind: 'dial', number: '204' }],
  ])('%s', (href, expected) => {
    expect(intentFromHref(href, F)).toMatchObject(expected);
  });

  it.each([
    'voispeed:Uuser@example.com,0123456789abcdef0123456789abcdef,201,wss://u:p@pbx.example.com/ws',
    'tel:javascript:alert(1)',
    'tel:',
    'voispeed:X123',
    'voispeed:02$(reboot)',
    'tel:%E0%A4%A',
    'https://example.com',
    `tel:${'1'.repeat(600)}`,
  ])('refused: %s', (href) => {
    const intent = intentFromHref(href, F);
    expect(intent.kind).toBe('refused');
  });

  it('voispeed:U becomes a proposal to confirm, with the parsed fields (never applied here)', () => {
    const intent = intentFromHref('voispeed:Uuser@example.com,0123456789ABCDEF0123456789abcdef,201,wss://pbx.example.com/ws,wss://b.example.com/ws', F);
    expect(intent).toEqual({
      kind: 'configure',
      user: 'user',
      domain: 'example.com',
      ha1: '0123456789abcdef0123456789abcdef',
      extension: '201',
      wsUrls: ['wss://pbx.example.com/ws', 'wss://b.example.com/ws'],
    });
  });

  it('numbers from the detector or a selection', () => {
    expect(intentFromNumber('+393331234567', F)).toMatchObject({ kind: 'dial', number: '3331234567' });
    expect(intentFromNumber('204', F)).toMatchObject({ kind: 'dial', number: '204' });
    expect(intentFromNumber('sip:2001@x.example', F).kind).toBe('refused');
    expect(intentFromNumber('hello', F).kind).toBe('refused');
  });

  it('a selection: the first number in it, else the text itself (extensions)', () => {
    expect(intentFromSelection('Tel. 02 6161 6161 (uff.)', F)).toMatchObject({ kind: 'dial', number: '0261616161', display: '02 6161 6161' });
    expect(intentFromSelection('  204 ', F)).toMatchObject({ kind: 'dial', number: '204' });
    expect(intentFromSelection('+44 20 7946 0958', F)).toMatchObject({ kind: 'dial', number: '00442079460958' });
    expect(intentFromSelection('P.IVA 01234567897', F).kind).toBe('refused');
    expect(intentFromSelection('lorem ipsum', F).kind).toBe('refused');
  });

  it('scheme check in the page', () => {
    expect(callLinkScheme(' TEL:123')).toBe('tel');
    expect(callLinkScheme('sips:a@b')).toBe('sips');
    expect(callLinkScheme('https://x')).toBeUndefined();
    expect(callLinkScheme('telephone:1')).toBeUndefined();
  });
});

describe('detection settings', () => {
  it('site keys', () => {
    expect(siteKey('https://www.Example.com/path?q')).toBe('example.com');
    expect(siteKey('crm.example.com:8443')).toBe('crm.example.com');
    expect(siteKey('127.0.0.1')).toBe('127.0.0.1');
    expect(siteKey('not a site')).toBeUndefined();
  });

  it('an entry covers its subdomains; toggling removes every covering entry', () => {
    const s = normaliseDetectionSettings({ defaultCountry: 'IT', disabledSites: ['example.com'] });
    expect(isSiteDisabled(s, 'crm.example.com')).toBe(true);
    expect(isSiteDisabled(s, 'notexample.com')).toBe(false);
    expect(withSiteDisabled(s, 'crm.example.com', false).disabledSites).toEqual([]);
    expect(withSiteDisabled(s, 'other.org', true).disabledSites).toEqual(['example.com', 'other.org']);
  });

  it('bad stored values fall back field by field', () => {
    expect(normaliseDetectionSettings({ defaultCountry: 'italy', disabledSites: ['a.com', 7, 'a.com'] })).toEqual({
      defaultCountry: 'IT',
      disabledSites: ['a.com'],
    });
    expect(normaliseDetectionSettings(undefined)).toEqual({ defaultCountry: 'IT', disabledSites: [] });
  });

  it('the options list: one per line, URLs accepted, junk reported', () => {
    expect(parseSiteList('https://crm.example.com/x\n\nfoo.org, bad site')).toEqual({ sites: ['crm.example.com', 'foo.org'], invalid: ['bad site'] });
  });
});

describe('rate limit of page calls', () => {
  it('duplicates, bursts and a per-minute cap, per tab', () => {
    let now = 0;
    const r = new RateLimiter({ minIntervalMs: 700, duplicateWindowMs: 3000, perMinute: 3, now: () => now });
    expect(r.check('tab:1', 'a')).toEqual({ ok: true });
    now = 100;
    expect(r.check('tab:1', 'b')).toEqual({ ok: false, why: 'too-fast' });
    expect(r.check('tab:2', 'b')).toEqual({ ok: true });
    now = 1000;
    expect(r.check('tab:1', 'a')).toEqual({ ok: false, why: 'duplicate' });
    expect(r.check('tab:1', 'c')).toEqual({ ok: true });
    now = 2000;
    expect(r.check('tab:1', 'd')).toEqual({ ok: true });
    now = 3000;
    expect(r.check('tab:1', 'e')).toEqual({ ok: false, why: 'too-many' });
    now = 61_000;
    expect(r.check('tab:1', 'e')).toEqual({ ok: true });
  });
});
