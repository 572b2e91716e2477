import browser from 'webextension-polyfill';
import { ErrorCode, ProtocolError, type Execution } from '../../shared/protocol';
import type { BackgroundCapability } from './context';

const LOG_SIZE = 50;
/** Tabs remembered per (call, rule); old calls fall out first. */
const MAX_REMEMBERED = 200;

export interface TabsApi {
  create(url: string): Promise<{ id?: number; windowId?: number }>;
  /** Brings the tab and its window to the front; rejects if the tab is gone. */
  focus(tabId: number): Promise<void>;
}

const realTabs: TabsApi = {
  create: (url) => browser.tabs.create({ url, active: true }),
  async focus(tabId) {
    const tab = await browser.tabs.update(tabId, { active: true });
    if (tab.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true }).catch(() => undefined);
  },
};

/**
 * Opens Integra URL rules as tabs (DESIGN section 5). One tab per call and rule: a later event of
 * the same call focuses that tab instead of opening a duplicate; if the user closed it, a new one
 * opens. Requests for one key are serialised, so two events arriving together open one tab.
 */
export class IntegraTabs {
  private readonly tabs = new Map<string, Promise<number | undefined>>();

  constructor(private readonly api: TabsApi) {}

  open(callId: string, ruleId: string, url: string): Promise<'created' | 'focused'> {
    const key = `${callId}\u0000${ruleId}`;
    const previous = this.tabs.get(key);
    let outcome: 'created' | 'focused' = 'created';
    const next = (async () => {
      const existing = previous ? await previous.catch(() => undefined) : undefined;
      if (existing !== undefined) {
        try {
          await this.api.focus(existing);
          outcome = 'focused';
          return existing;
        } catch {
          // Closed by the user: open it again.
        }
      }
      const tab = await this.api.create(url);
      return tab.id;
    })();
    this.tabs.delete(key);
    this.tabs.set(key, next);
    while (this.tabs.size > MAX_REMEMBERED) this.tabs.delete(this.tabs.keys().next().value!);
    return next.then(() => outcome);
  }

  forgetTab(tabId: number): void {
    for (const [key, p] of this.tabs) {
      void p.then((id) => {
        if (id === tabId && this.tabs.get(key) === p) this.tabs.delete(key);
      }, () => undefined);
    }
  }
}

/** Integra in the background: CRM tabs, the execution list and the options page's Test button. */
export const integraTabs: BackgroundCapability = {
  name: 'integra-tabs',
  start({ native, store }) {
    const tabs = new IntegraTabs(realTabs);
    browser.tabs.onRemoved.addListener((tabId) => tabs.forgetTab(tabId));

    const merge = (entry: Execution) => {
      const list = (store.state.integraLog ?? []).filter((e) => e.seq !== entry.seq);
      list.push(entry);
      list.sort((a, b) => b.seq - a.seq);
      store.update({ integraLog: list.slice(0, LOG_SIZE) });
    };

    native.handle('integra.open', async ({ url, callId, ruleId }) => {
      // The host built the URL (http/https, its host literal); check again before opening it.
      const protocol = URL.canParse(url) ? new URL(url).protocol : '';
      if (protocol !== 'http:' && protocol !== 'https:') throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'not an http(s) URL');
      return { tab: await tabs.open(callId, ruleId, url) };
    });
    native.on('integra.executed', merge);

    native.onState((connection) => {
      if (connection.status !== 'connected') {
        store.update({ integraLog: undefined });
        return;
      }
      native.request('integra.log').then(
        ({ entries }) => store.update({ integraLog: entries }),
        () => undefined,
      );
    });

    store.handle('integra.test', (a) => native.request('integra.test', { event: a.event, ...(a.rule ? { rule: a.rule } : {}) }));
  },
};
