import browser from 'webextension-polyfill';
import { UI_PORT_NAME, type BackgroundToUi, type UiToBackground } from '../lib/ui-state';
import type { BackgroundCapability } from './context';

/** Carries the state to the extension's own pages (popup, options) and their actions back. */
export const uiPorts: BackgroundCapability = {
  name: 'ui-ports',
  start({ store }) {
    const ports = new Set<browser.Runtime.Port>();
    store.subscribe((state) => {
      for (const port of ports) {
        try {
          port.postMessage({ type: 'state', state } satisfies BackgroundToUi);
        } catch {
          ports.delete(port);
        }
      }
    });
    browser.runtime.onConnect.addListener((port) => {
      if (port.name !== UI_PORT_NAME) return;
      // Only our own pages may drive the phone; content scripts never get this port.
      if (!port.sender?.url?.startsWith(browser.runtime.getURL(''))) {
        port.disconnect();
        return;
      }
      ports.add(port);
      port.onDisconnect.addListener(() => ports.delete(port));
      port.onMessage.addListener((raw) => {
        const message = raw as UiToBackground;
        if (message?.type !== 'action' || typeof message.seq !== 'number') return;
        store.dispatch(message.action).then(
          (value) =>
            port.postMessage({ type: 'action-result', seq: message.seq, ok: true, ...(value !== undefined ? { value } : {}) } satisfies BackgroundToUi),
          (err: unknown) => {
            // The code (and the field of a settings error) lets the page say it in the user's language.
            const e = err as { message?: string; code?: unknown; data?: unknown };
            port.postMessage({
              type: 'action-result',
              seq: message.seq,
              ok: false,
              error: e?.message ?? String(err),
              ...(typeof e?.code === 'number' ? { code: e.code } : {}),
              ...(e?.data !== undefined ? { data: e.data } : {}),
            } satisfies BackgroundToUi);
          },
        );
      });
      port.postMessage({ type: 'state', state: store.state } satisfies BackgroundToUi);
    });
  },
};
