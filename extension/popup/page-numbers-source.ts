import browser from 'webextension-polyfill';
import type { NumbersListReply, NumbersListRequest, PageNumbersState } from '../lib/page-messages';
import type { UiConnector } from '../lib/ui-connector';
import type { UiState } from '../lib/ui-state';

/** How often the list is asked again while the popup is open (pages add content later). */
const REFRESH_MS = 2000;

/**
 * The tab the popup speaks for: the active tab of its window. Opened as a tab itself (tests,
 * keyboard users with a pinned popup tab), the most recently used other tab of the window;
 * `?tab=<id>` names one explicitly (the end-to-end tests use it).
 */
export async function targetTab(search = location.search): Promise<number | undefined> {
  const param = new URLSearchParams(search).get('tab');
  if (param && /^\d+$/.test(param)) return Number(param);
  const self = await browser.tabs.getCurrent().catch(() => undefined);
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  if (active?.id !== undefined && active.id !== self?.id) return active.id;
  const others = (await browser.tabs.query({ currentWindow: true })).filter((t) => t.id !== undefined && t.id !== self?.id);
  others.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  return others[0]?.id;
}

/** The top frame's answer to `numbers.list`, or undefined when no content script runs there. */
export async function askPageNumbers(): Promise<PageNumbersState | undefined> {
  const tabId = await targetTab();
  if (tabId === undefined) return undefined;
  const request: NumbersListRequest = { type: 'numbers.list' };
  const reply = (await browser.tabs.sendMessage(tabId, request, { frameId: 0 }).catch(() => undefined)) as NumbersListReply | undefined;
  return reply && Array.isArray(reply.numbers) ? { ...reply, tabId } : undefined;
}

const sameList = (a: PageNumbersState | undefined, b: PageNumbersState | undefined) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The popup's connector with `page` filled in: the background's state plus the page's numbers,
 * asked for here (the background has no business knowing which tab a popup is over).
 */
export function withPageNumbers(inner: UiConnector, ask: () => Promise<PageNumbersState | undefined> = askPageNumbers, refreshMs = REFRESH_MS): UiConnector {
  const listeners = new Set<(s: UiState) => void>();
  let last: UiState | undefined;
  let page: PageNumbersState | undefined;
  const emit = () => {
    if (!last) return;
    const state = { ...last, page };
    for (const l of listeners) l(state);
  };
  inner.subscribe((s) => {
    last = s;
    emit();
  });
  const refresh = () =>
    void ask().then(
      (p) => {
        if (sameList(p, page)) return;
        page = p;
        emit();
      },
      () => undefined,
    );
  refresh();
  setInterval(refresh, refreshMs);
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (last) listener({ ...last, page });
      return () => listeners.delete(listener);
    },
    act: (action) => inner.act(action),
  };
}
