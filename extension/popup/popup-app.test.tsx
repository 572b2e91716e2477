// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createMockConnector, mockCall, mockUiState, type MockConnector } from '../lib/mock-connector';
import { PopupApp } from './popup-app';
import { domContainer } from '../lib/testing/dom-container';

vi.mock('webextension-polyfill', async () => (await import('../lib/english-catalogue')).fakeI18nBrowser);

const dom = domContainer();

const $ = (selector: string) => dom.element.querySelector<HTMLElement>(selector);
/** Actions resolve on a microtask; let them, then let Preact render. */
const settle = () => act(async () => await new Promise((r) => setTimeout(r, 0)));

async function mount(connector: MockConnector, openOptions = vi.fn()) {
  act(() => render(<PopupApp connector={connector} openOptions={openOptions} />, dom.element));
  await settle();
  return openOptions;
}
async function click(selector: string) {
  const el = $(selector);
  expect(el, selector).not.toBeNull();
  act(() => el!.click());
  await settle();
}

describe('PopupApp over the mock connector', () => {
  it('opens the microphone ahead only when Call is pressed or Enter is typed in the dial box, never on opening or typing', async () => {
    const connector = createMockConnector();
    const prepared: unknown[] = [];
    const act0 = connector.act.bind(connector);
    connector.act = (action) => (action.type === 'media.prepare' && prepared.push(action), act0(action));
    await mount(connector);
    const input = $('[data-testid=dial-input]') as HTMLInputElement;
    act(() => {
      input.value = '2001';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: '1', bubbles: true }));
    });
    await settle();
    expect(prepared).toHaveLength(0);
    act(() => void $('[data-testid=dial-call]')!.dispatchEvent(new Event('pointerdown', { bubbles: true })));
    expect(prepared).toHaveLength(1);
    // At most one per second, however often it is pressed.
    act(() => void input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect(prepared).toHaveLength(1);
  });


  it('renders what the connector pushes', async () => {
    const connector = createMockConnector(mockUiState({ registration: { state: 'unregistered', since: 0 } }));
    await mount(connector);
    expect($('[data-testid=registration]')!.textContent).toBe('Not registered');
    act(() => connector.set(mockUiState()));
    expect($('[data-testid=registration]')!.textContent).toBe('Registered as 1001 (mock)');
  });

  it('each control becomes the matching UiAction', async () => {
    const connector = createMockConnector();
    const openOptions = await mount(connector);
    const input = $('[data-testid=dial-input]') as HTMLInputElement;
    act(() => {
      input.value = '+39 02 6161 6161';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click('[data-testid=dial-call]');
    const id = connector.state.calls[0]!.id;
    expect($(`[data-call-id="${id}"]`)!.dataset.state).toBe('dialing');
    act(() => connector.set({ calls: connector.state.calls.map((c) => ({ ...c, state: 'active', answeredAt: Date.now() })) }));
    await click('[data-testid=call-mute]');
    await click('[data-testid=call-hold]');
    await click('[data-testid=call-hold]');
    await click('[data-testid="call-dtmf-9"]');
    await click('[data-testid=call-hangup]');
    await click('.popup__header .link');
    expect(connector.acted).toEqual([
      { type: 'dial', number: '0261616161' },
      { type: 'mute', id, mute: true },
      { type: 'hold', id, hold: true },
      { type: 'hold', id, hold: false },
      { type: 'dtmf', id, tones: '9' },
      { type: 'hangup', id },
    ]);
    expect(openOptions).toHaveBeenCalledOnce();
    expect($(`[data-call-id="${id}"]`)!.dataset.state).toBe('ended');
    expect($(`[data-call-id="${id}"] .call__state`)!.textContent).toBe('Call ended: you hung up');
  });

  it('call waiting through the connector: answering the second call holds the first', async () => {
    const first = mockCall({ id: 'first', state: 'active', answeredAt: Date.now() });
    const second = mockCall({ id: 'second', state: 'ringing-in' });
    const connector = createMockConnector(mockUiState({ calls: [first, second] }));
    await mount(connector);
    await click('[data-call-id=second] [data-testid=call-answer]');
    expect($('[data-call-id=first]')!.dataset.state).toBe('held');
    expect($('[data-call-id=second]')!.dataset.state).toBe('active');
  });

  it('a failed action shows its error until the next one succeeds', async () => {
    const connector = createMockConnector(mockUiState({ calls: [mockCall({ id: 'x' })] }));
    await mount(connector);
    connector.failNext('no such call');
    await click('[data-testid=call-answer]');
    expect($('[role=alert]')!.textContent).toBe('no such call');
    await click('[data-testid=call-answer]');
    expect($('.error')).toBeNull();
  });
});
