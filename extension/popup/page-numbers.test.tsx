// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMockConnector, mockUiState } from '../lib/mock-connector';
import type { PageNumbersState } from '../lib/page-messages';
import type { UiState } from '../lib/ui-state';
import { withPageNumbers } from './page-numbers-source';
import { PopupView, type PopupActions } from './popup-view';

vi.mock('webextension-polyfill', async () => (await import('../lib/english-catalogue')).fakeI18nBrowser);

let container: HTMLElement;
const actions = new Proxy({} as Record<string, ReturnType<typeof vi.fn>>, {
  get: (target, key: string) => (target[key] ??= vi.fn()),
});

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  for (const k of Object.keys(actions)) delete (actions as Record<string, unknown>)[k];
});
afterEach(() => {
  act(() => render(null, container));
  container.remove();
});

const page = (over: Partial<PageNumbersState> = {}): PageNumbersState => ({
  tabId: 7,
  url: 'https://example.com/',
  numbers: [
    { e164: '+390261616161', display: '02 6161 6161', text: '02.6161.6161', count: 2 },
    { e164: '+41446681800', display: '+41 44 668 18 00', text: '+41 44 668 18 00', count: 1 },
  ],
  total: 2,
  ...over,
});
function show(state: UiState) {
  act(() => render(<PopupView data={state} actions={actions as unknown as PopupActions} />, container));
}
const buttons = () => [...container.querySelectorAll<HTMLButtonElement>('[data-testid=page-number]')];
/** A click as the browser delivers the user's own (happy-dom cannot make trusted events). */
function userClick(el: HTMLElement) {
  const e = new MouseEvent('click', { bubbles: true, cancelable: true });
  Object.defineProperty(e, 'isTrusted', { value: true });
  act(() => void el.dispatchEvent(e));
}

describe('popup: numbers on this page', () => {
  it('lists the page numbers as buttons named for screen readers; the user’s click calls through callFromPage', () => {
    show(mockUiState({ page: page() }));
    expect(container.querySelector('#page-numbers-title')?.textContent).toBe('On this page');
    expect(buttons().map((b) => b.textContent)).toEqual(['02 6161 6161', '+41 44 668 18 00']);
    expect(buttons().map((b) => b.getAttribute('aria-label'))).toEqual(['Call 02 6161 6161', 'Call +41 44 668 18 00']);
    // As written on the page, when it differs from how it is shown.
    expect(buttons()[0]!.title).toBe('02.6161.6161');
    expect(container.querySelector('.page-numbers__count')?.textContent).toBe('×2');
    userClick(buttons()[1]!);
    expect(actions.callFromPage).toHaveBeenCalledExactlyOnceWith('+41446681800');
  });

  it('a script’s click() calls nothing', () => {
    show(mockUiState({ page: page() }));
    act(() => buttons()[0]!.click());
    expect(actions.callFromPage).not.toHaveBeenCalled();
  });

  it('buttons are disabled while no call can be placed', () => {
    show(mockUiState({ page: page(), registration: { state: 'unregistered', since: 0 } }));
    expect(buttons().every((b) => b.disabled)).toBe(true);
  });

  it('says why the list is empty: none found, the site switched off, the page opted out; more than listed', () => {
    show(mockUiState({ page: page({ numbers: [], total: 0 }) }));
    expect(container.querySelector('[data-testid=page-numbers-none]')?.textContent).toBe('No phone numbers found on this page.');
    show(mockUiState({ page: page({ numbers: [], total: 0, off: 'site' }) }));
    expect(container.querySelector('[data-testid=page-numbers-off]')?.textContent).toBe('Number detection is off for this site.');
    show(mockUiState({ page: page({ numbers: [], total: 0, off: 'page' }) }));
    expect(container.querySelector('[data-testid=page-numbers-off]')?.textContent).toBe('This page turned number detection off.');
    show(mockUiState({ page: page({ total: 60 }) }));
    expect(container.querySelector('[data-testid=page-numbers-more]')?.textContent).toBe('and 58 more on the page');
  });

  it('shows nothing where no content script answered (browser pages)', () => {
    show(mockUiState());
    expect(container.querySelector('[data-testid=page-numbers]')).toBeNull();
  });
});

describe('popup connector with the page numbers', () => {
  it('adds the page list to every state and follows changes of the list; actions pass through', async () => {
    vi.useFakeTimers();
    try {
      const inner = createMockConnector(mockUiState(), { simulate: false });
      let reply: PageNumbersState | undefined = page();
      const ask = vi.fn(async () => reply);
      const connector = withPageNumbers(inner, ask, 1000);
      const seen: (PageNumbersState | undefined)[] = [];
      connector.subscribe((s) => seen.push(s.page));
      await vi.advanceTimersByTimeAsync(0);
      expect(seen.at(-1)?.numbers.length).toBe(2);
      inner.set({ calls: [] });
      expect(seen.at(-1)?.tabId).toBe(7);
      const before = seen.length;
      await vi.advanceTimersByTimeAsync(1000);
      expect(seen.length).toBe(before); // same list: no new state
      reply = page({ numbers: [], total: 0 });
      await vi.advanceTimersByTimeAsync(1000);
      expect(seen.at(-1)?.numbers).toEqual([]);
      await connector.act({ type: 'page.dial', tabId: 7, number: '+390261616161' });
      expect(inner.acted).toEqual([{ type: 'page.dial', tabId: 7, number: '+390261616161' }]);
    } finally {
      vi.useRealTimers();
    }
  });
});
