import { describe, expect, it, vi } from 'vitest';
import { selectionToNumber } from '../../shared/phone/selection';
import { hostEvents, type HostEventName } from '../../shared/protocol';
import { englishMessage } from '../lib/english-catalogue';
import { mockUiState } from '../lib/mock-connector';
import type { BackgroundContext } from './context';
import { hotkeyStatus } from './hotkey-status';
import { UiStore } from './ui-store';

const fake = vi.hoisted(() => ({}) as Record<string, unknown>);
vi.mock('webextension-polyfill', () => ({ default: fake }));

function start() {
  const create = vi.fn(async (id: string, _options: { title: string; message: string }) => id);
  Object.assign(fake, {
    i18n: { getMessage: englishMessage },
    runtime: { getManifest: () => ({ icons: { 128: 'extension/icons/icon-128.png' } }), getURL: (p: string) => `ext://id/${p}` },
    notifications: { create },
  });
  let onEvent: (event: string, data: unknown) => void = () => undefined;
  // As NativePort.on: one event by name, its data checked against the shared table.
  const on = (name: HostEventName, l: (data: unknown) => void) => {
    const previous = onEvent;
    onEvent = (event, data) => {
      previous(event, data);
      const parsed = hostEvents[name].data.safeParse(data);
      if (event === name && parsed.success) l(parsed.data);
    };
  };
  const native = { onState: () => undefined, on, request: vi.fn() };
  hotkeyStatus.start({ store: new UiStore(mockUiState({ browser: 'chromium' })), native: native as never } as BackgroundContext);
  return { create, push: (event: string, data: unknown) => onEvent(event, data) };
}

describe('hotkey refusals become a notification that says why', () => {
  it('an IBAN the host refused (as the host words it) is named as a bank or tax code', () => {
    const t = start();
    const r = selectionToNumber('IT60 X054 2811 1010 0000 0123 456', 'IT');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    t.push('hotkeys.not-dialable', { excerpt: r.excerpt, reason: r.reason });
    expect(t.create).toHaveBeenCalledOnce();
    const options = t.create.mock.calls[0]![1];
    expect(options.title).toBe(englishMessage('hotkeyNotDialledTitle'));
    expect(options.message).toContain('IT60 X054 2811 1010 0000 0123 456');
    expect(options.message).toContain(englishMessage('hotkeyReasonTaxCode'));
    expect(options.message).toMatch(/IBAN/);
  });

  it('every refusal the protocol documents has its own sentence', () => {
    const t = start();
    for (const reason of ['empty', 'too-long', 'not-a-number', 'tax-or-bank-code', 'no-selection', 'dial-failed']) {
      t.push('hotkeys.not-dialable', { excerpt: 'x', reason, message: 'SIP 503' });
    }
    const messages = t.create.mock.calls.map((c) => c[1].message);
    expect(messages).toHaveLength(6);
    for (const m of messages) expect(m.length).toBeGreaterThan(5);
    expect(new Set(messages.slice(2, 4)).size, 'not-a-number and tax-or-bank-code differ').toBe(2);
  });
});
