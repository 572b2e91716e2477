import browser from 'webextension-polyfill';
import { Connection } from '../../shared/rpc/connection';
import { backgroundSide, fromUiFrame, pageSide, toUiFrame, type ActionOutcome } from '../lib/ui-channel';
import { UI_PORT_NAME } from '../lib/ui-state';
import type { BackgroundCapability } from './context';

/** Carries the state to the extension's own pages (popup, options) and their actions back. */
export const uiPorts: BackgroundCapability = {
  name: 'ui-ports',
  start({ store }) {
    const pages = new Map<browser.Runtime.Port, Connection<typeof backgroundSide, typeof pageSide>>();
    const push = (port: browser.Runtime.Port, connection: Connection<typeof backgroundSide, typeof pageSide>) => {
      try {
        connection.notify('state', store.state);
      } catch {
        pages.delete(port);
      }
    };
    store.subscribe(() => {
      for (const [port, connection] of pages) push(port, connection);
    });
    browser.runtime.onConnect.addListener((port) => {
      if (port.name !== UI_PORT_NAME) return;
      // Only our own pages may drive the phone; content scripts never get this port.
      if (!port.sender?.url?.startsWith(browser.runtime.getURL(''))) {
        port.disconnect();
        return;
      }
      const connection = new Connection({
        local: backgroundSide,
        remote: pageSide,
        send: (m) => {
          const frame = toUiFrame(m);
          if (frame) port.postMessage(frame);
        },
        // The background asks pages nothing; the policy is there for completeness.
        timeoutMs: 10_000,
      });
      connection.handle('action', (action) =>
        store.dispatch(action).then(
          (value): ActionOutcome => ({ ok: true, ...(value !== undefined ? { value } : {}) }),
          (err: unknown): ActionOutcome => {
            // The code (and the field of a settings error) lets the page say it in the user's language.
            const e = err as { message?: string; code?: unknown; data?: unknown };
            return {
              ok: false,
              error: e?.message ?? String(err),
              ...(typeof e?.code === 'number' ? { code: e.code } : {}),
              ...(e?.data !== undefined ? { data: e.data } : {}),
            };
          },
        ),
      );
      pages.set(port, connection);
      port.onDisconnect.addListener(() => pages.delete(port));
      port.onMessage.addListener((raw) => {
        const message = fromUiFrame(raw);
        if (message && 'method' in message) void connection.receive(message);
      });
      push(port, connection);
    });
  },
};
