// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HistoryRecord } from '../../shared/protocol';
import { defaultPreferences } from '../../shared/settings/preferences';
import { setLanguagePreference } from '../lib/i18n';
import { createMockConnector, mockUiState, type MockConnector } from '../lib/mock-connector';
import type { UiState } from '../lib/ui-state';
import { PopupApp } from './popup-app';

vi.mock('webextension-polyfill', async () => (await import('../lib/english-catalogue')).fakeI18nBrowser);

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  act(() => render(null, container));
  container.remove();
  setLanguagePreference('en');
});

const $ = (s: string) => container.querySelector<HTMLElement>(s);
const $$ = (s: string) => [...container.querySelectorAll<HTMLElement>(s)];
const settle = () => act(async () => await new Promise((r) => setTimeout(r, 0)));

let seq = 0;
const rec = (over: Partial<HistoryRecord>): HistoryRecord => ({
  seq: seq++,
  id: `h${seq}`,
  direction: 'out',
  number: '0261616161',
  startedAt: Date.now() - 60_000,
  endedAt: Date.now() - 30_000,
  durationMs: 0,
  result: 'failed',
  ...over,
});

function withHistory(history: HistoryRecord[], unseenMissed = 0, over: Partial<UiState> = {}): UiState {
  return mockUiState({ history, unseenMissed, settings: { preferences: defaultPreferences(), integra: { enabled: false } as never, hotkeys: { enabled: true } as never }, ...over });
}

async function mount(connector: MockConnector) {
  act(() => render(<PopupApp connector={connector} openOptions={vi.fn()} />, container));
  await settle();
}

describe('Recent tab', () => {
  const records = [
    rec({ direction: 'in', result: 'answered', number: '2001', name: 'Bot', answeredAt: Date.now() - 50_000, durationMs: 83_000, extId: 'CRM-7' }),
    rec({ direction: 'in', result: 'missed', number: '3001' }),
    rec({ direction: 'out', result: 'busy', number: '486' }),
    rec({ direction: 'out', result: 'missed', number: '480' }),
    rec({ direction: 'in', result: 'busy', number: '4444', dnd: true }),
    rec({ direction: 'out', result: 'failed', number: '0261616161', reason: 'no-microphone', cause: 'No Microphone' }),
    rec({ direction: 'out', result: 'failed', number: '0299', reason: 'failed', cause: 'SIP Failure Code', code: 403 }),
  ];

  it('lists each call with its direction, result, duration and external id; opening it marks missed calls seen', async () => {
    const connector = createMockConnector(withHistory(records, 1));
    await mount(connector);
    expect($('[data-testid=missed-count]')!.textContent).toBe('1');
    expect($$('[data-testid=recent]')).toHaveLength(0);
    act(() => $('[data-testid=tab-recent]')!.click());
    await settle();
    const rows = $$('[data-testid=recent]');
    expect(rows.map((r) => `${r.dataset.direction}:${r.querySelector('[data-testid=recent-result]')!.textContent}`)).toEqual([
      'in:Answered',
      'in:Missed',
      'out:Busy',
      'out:No answer',
      'in:Rejected (do not disturb)',
      'out:Failed: no microphone found',
      'out:Failed: SIP 403',
    ]);
    expect(rows[0]!.textContent).toContain('Bot');
    expect(rows[0]!.textContent).toContain('Ext. ID CRM-7');
    expect(rows[0]!.textContent).toContain('01:23');
    expect(connector.acted).toContainEqual({ type: 'history.markSeen' });
  });

  it('says where a call was transferred, and who was in its conference', async () => {
    const connector = createMockConnector(
      withHistory([
        rec({ direction: 'in', result: 'answered', number: '2001', answeredAt: 1, durationMs: 5_000, transferredTo: '3001' }),
        rec({ direction: 'out', result: 'answered', number: '2001', answeredAt: 1, durationMs: 5_000, conferenceWith: ['3001'] }),
      ]),
    );
    await mount(connector);
    act(() => $('[data-testid=tab-recent]')!.click());
    await settle();
    expect($$('[data-testid=recent-transferred]').map((e) => e.textContent)).toEqual(['transferred to 3001']);
    expect($$('[data-testid=recent-conference]').map((e) => e.textContent)).toEqual(['conference with 3001']);
  });

  it('a click calls the number back with its external id; export asks for the CSV', async () => {
    const connector = createMockConnector(withHistory(records));
    await mount(connector);
    act(() => $('[data-testid=tab-recent]')!.click());
    await settle();
    act(() => $$('[data-testid=recent-call]')[0]!.click());
    await settle();
    expect(connector.acted).toContainEqual({ type: 'history.call', number: '2001', extId: 'CRM-7' });
    expect(connector.acted.some((a) => a.type === 'history.markSeen')).toBe(false);
  });

  it('cannot call back while not registered', async () => {
    const connector = createMockConnector(withHistory(records, 0, { registration: { state: 'unregistered', since: 0 } }));
    await mount(connector);
    act(() => $('[data-testid=tab-recent]')!.click());
    await settle();
    expect($$('[data-testid=recent-call]').every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
  });

  it('the DND switch saves the preferences with dnd flipped, and the popup says DND is on', async () => {
    const connector = createMockConnector(withHistory([]));
    await mount(connector);
    expect($('[data-testid=dnd-note]')).toBeNull();
    act(() => $('[data-testid=dnd]')!.click());
    await settle();
    expect(connector.acted).toContainEqual({ type: 'settings.set', section: 'preferences', value: { ...defaultPreferences(), dnd: true } });
    act(() => connector.set({ settings: { ...connector.state.settings!, preferences: { ...defaultPreferences(), dnd: true } } }));
    expect($('[data-testid=dnd-note]')!.textContent).toMatch(/Do not disturb/);
  });

  it('follows the language in the settings at once', async () => {
    const connector = createMockConnector(withHistory(records));
    await mount(connector);
    expect($('[data-testid=tab-recent]')!.textContent).toBe('Recent');
    act(() => connector.set({ settings: { ...connector.state.settings!, preferences: { ...defaultPreferences(), language: 'it' } } }));
    await settle();
    expect($('[data-testid=tab-recent]')!.textContent).toBe('Recenti');
    expect($('[data-testid=registration]')!.textContent).not.toMatch(/Registered/);
  });

  it('a host error is shown in the user language by its code', async () => {
    const connector = createMockConnector(withHistory(records));
    await mount(connector);
    const err = Object.assign(new Error('not registered: the UI must be registered on the PBX to call'), { code: 3001 });
    connector.act = async () => {
      throw err;
    };
    act(() => $('[data-testid=tab-recent]')!.click());
    await settle();
    act(() => $$('[data-testid=recent-call]')[1]!.click());
    await settle();
    expect($('[role=alert]')!.textContent).toBe('Not registered: the UI must be registered on the PBX to call.');
  });
});
