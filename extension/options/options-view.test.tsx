// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defaultPreferences } from '../../shared/settings/preferences';
import { defaultSettings, sectionOf, type PublicSettings } from '../../shared/settings';
import { mockUiState } from '../lib/mock-connector';
import { domContainer } from '../lib/testing/dom-container';

vi.mock('webextension-polyfill', async () => {
  const { englishMessage } = await import('../lib/english-catalogue');
  const storage = { get: async () => ({}), set: async () => undefined, onChanged: { addListener: () => undefined, removeListener: () => undefined } };
  return { default: { i18n: { getMessage: englishMessage, getUILanguage: () => 'en-US' }, storage: { local: storage, onChanged: storage.onChanged }, runtime: { getURL: (p: string) => p } } };
});
const { OptionsView } = await import('./options-view');

const dom = domContainer();
const $ = (s: string) => dom.element.querySelector<HTMLElement>(s);
const settle = () => act(async () => await new Promise((r) => setTimeout(r, 0)));
function type(selector: string, value: string) {
  const el = $(selector) as HTMLInputElement;
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const settings: PublicSettings = {
  account: { wsUrls: ['wss://pbx.example/ws'], uri: 'sip:201@pbx.example', passwordSaved: true, ha1Saved: false, label: 'office' },
  preferences: defaultPreferences(),
  integra: sectionOf(defaultSettings(), 'integra'),
  hotkeys: sectionOf(defaultSettings(), 'hotkeys'),
};

type Save = (section: string, value: unknown) => Promise<{ text: string; field?: string } | undefined>;
function show(save = vi.fn<Save>(async () => undefined), shown: PublicSettings = settings) {
  const actions = { retry: vi.fn(), save, exportCsv: vi.fn(), act: vi.fn(async () => undefined) };
  act(() => render(<OptionsView data={mockUiState({ settings: shown })} actions={actions} />, dom.element));
  return actions;
}

describe('options: account section', () => {
  it('shows the account, and only that a password is saved — never the password', () => {
    show();
    expect(($('[data-testid=acc-ws1]') as HTMLInputElement).value).toBe('wss://pbx.example/ws');
    expect(($('[data-testid=acc-password]') as HTMLInputElement).value).toBe('');
    expect($('[data-testid=password-saved]')!.textContent).toBe('saved');
  });

  it('saving without a new password sends no secret (the host keeps the saved one), and the dialling format to preferences', async () => {
    const { save } = show();
    type('[data-testid=acc-display-name]', 'Anna');
    type('[data-testid=dial-outside]', '0');
    act(() => $('[data-testid=acc-save]')!.click());
    await settle();
    expect(save).toHaveBeenCalledWith('account', { wsUrls: ['wss://pbx.example/ws'], uri: 'sip:201@pbx.example', displayName: 'Anna', label: 'office' });
    expect(save).toHaveBeenCalledWith('preferences', { ...defaultPreferences(), dialFormat: { ...defaultPreferences().dialFormat, outsideLinePrefix: '0' } });
    expect($('[data-testid=acc-note]')!.textContent).toBe('Saved.');
  });

  it('a bad value is refused before sending, with a message naming the field', async () => {
    const { save } = show();
    type('[data-testid=acc-ws1]', 'http://pbx.example');
    act(() => $('[data-testid=acc-save]')!.click());
    await settle();
    expect(save).not.toHaveBeenCalled();
    expect($('[data-testid=acc-note]')!.textContent).toBe(
      'Not saved: “Server” must be a wss:// or ws:// URL, a SIP server such as sip:pbx.example.com;transport=tcp or sips:pbx.example.com, or a host name.',
    );
    expect($('[data-testid=acc-ws1]')!.getAttribute('aria-invalid')).toBe('true');
  });

  it('a SIP server is saved as typed, with the extra TLS CA file', async () => {
    const { save } = show();
    type('[data-testid=acc-ws1]', 'sips:pbx.example.com:5061');
    type('[data-testid=acc-ws2]', 'sip:10.0.0.5;transport=udp');
    type('[data-testid=acc-tls-ca]', '/etc/ssl/pbx-ca.pem');
    act(() => $('[data-testid=acc-save]')!.click());
    await settle();
    expect(save).toHaveBeenCalledWith('account', expect.objectContaining({ wsUrls: ['sips:pbx.example.com:5061', 'sip:10.0.0.5;transport=udp'], tlsCaFile: '/etc/ssl/pbx-ca.pem' }));
  });

  it('an HA1 can be entered instead of a password', async () => {
    const { save } = show();
    act(() => $('[data-testid=acc-secret-ha1]')!.click());
    await settle();
    type('[data-testid=acc-ha1]', '5F4DCC3B5AA765D61D8327DEB882CF99');
    type('[data-testid=acc-realm]', 'pbx.example');
    act(() => $('[data-testid=acc-save]')!.click());
    await settle();
    expect(save).toHaveBeenCalledWith('account', expect.objectContaining({ ha1: '5f4dcc3b5aa765d61d8327deb882cf99', realm: 'pbx.example' }));
    expect(save.mock.calls[0]![1]).not.toHaveProperty('password');
  });

  it("the host's refusal is shown naming the field", async () => {
    const { save } = show(vi.fn<Save>(async () => ({ text: 'Not saved: check “Realm”.', field: 'account.realm' })));
    act(() => $('[data-testid=acc-save]')!.click());
    await settle();
    expect(save).toHaveBeenCalledTimes(1);
    expect($('[data-testid=acc-note]')!.textContent).toBe('Not saved: check “Realm”.');
  });
});

describe('options: calls and language', () => {
  it('DND applies at once; a history size out of range names the field', async () => {
    const { save } = show();
    act(() => $('[data-testid=opt-dnd]')!.click());
    await settle();
    expect(save).toHaveBeenCalledWith('preferences', { ...defaultPreferences(), dnd: true });
    type('[data-testid=opt-history-size]', '5');
    act(() => $('[data-testid=opt-history-size]')!.closest('form')!.querySelector<HTMLElement>('button[type=submit]')!.click());
    await settle();
    expect($('[data-testid=calls-note]')!.textContent).toBe('Not saved: check “Calls kept in the history”.');
  });

  it('the RTP port range saves as preferences.rtpPorts; an empty range names the field', async () => {
    const { save } = show();
    expect(($('[data-testid=opt-rtp-min]') as HTMLInputElement).value).toBe('16384');
    type('[data-testid=opt-rtp-min]', '20000');
    type('[data-testid=opt-rtp-max]', '20199');
    act(() => $('[data-testid=opt-rtp-ports]')!.querySelector<HTMLElement>('button[type=submit]')!.click());
    await settle();
    expect(save).toHaveBeenCalledWith('preferences', { ...defaultPreferences(), rtpPorts: { min: 20000, max: 20199 } });
    type('[data-testid=opt-rtp-max]', '20000');
    act(() => $('[data-testid=opt-rtp-ports]')!.querySelector<HTMLElement>('button[type=submit]')!.click());
    await settle();
    expect($('[data-testid=calls-note]')!.textContent).toBe('Not saved: check “RTP ports toward a plain SIP PBX”.');
  });

  it('the language choice saves the preferences', async () => {
    const { save } = show();
    const select = $('[data-testid=opt-language]') as HTMLSelectElement;
    act(() => {
      select.value = 'it';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(save).toHaveBeenCalledWith('preferences', { ...defaultPreferences(), language: 'it' });
  });
});

describe('options: fields an administrator set (issue 16)', () => {
  const locked = { ...settings, locked: ['account.wsUrls', 'account.uri', 'account.ha1', 'account.password', 'integra.enabled', 'hotkeys.dial'] };
  const disabled = (s: string) => ($(s) as HTMLInputElement | HTMLButtonElement).disabled;

  it('shows them disabled with the translated note; the others stay editable', () => {
    show(undefined, locked);
    expect(disabled('[data-testid=acc-ws1]')).toBe(true);
    expect(disabled('[data-testid=acc-ws2]')).toBe(true);
    expect(disabled('[data-testid=acc-uri]')).toBe(true);
    expect(($('[data-testid=acc-secret]') as HTMLFieldSetElement).disabled).toBe(true);
    expect(disabled('[data-testid=acc-display-name]')).toBe(false);
    expect(disabled('[data-testid=integra-enabled]')).toBe(true);
    expect(disabled('[data-testid=integra-only-external]')).toBe(false);
    expect(disabled('[data-testid=hotkey-dial]')).toBe(true);
    expect(disabled('[data-testid=hotkey-show]')).toBe(false);
    const notes = [...dom.element.querySelectorAll('[data-testid=locked-note]')].map((n) => n.textContent);
    expect(notes.length).toBe(5); // servers (once for both), URI, secret, Integra on/off, dial hotkey
    expect(new Set(notes)).toEqual(new Set(['Set by your administrator']));
  });

  it('saving the account sends the managed values unchanged, so the host accepts it', async () => {
    const { save } = show(undefined, locked);
    type('[data-testid=acc-display-name]', 'Desk 4');
    act(() => $('[data-testid=acc-save]')!.click());
    await settle();
    expect(save).toHaveBeenCalledWith('account', { wsUrls: ['wss://pbx.example/ws'], uri: 'sip:201@pbx.example', displayName: 'Desk 4', label: 'office' });
  });

  it('without a locked list nothing is disabled by it', () => {
    show();
    expect(disabled('[data-testid=acc-uri]')).toBe(false);
    expect(dom.element.querySelectorAll('[data-testid=locked-note]').length).toBe(0);
  });
});
