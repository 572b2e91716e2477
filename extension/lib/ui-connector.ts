import browser from 'webextension-polyfill';
import { UI_PORT_NAME, type BackgroundToUi, type UiAction, type UiState, type UiToBackground } from './ui-state';

export interface UiConnector {
  subscribe(listener: (state: UiState) => void): () => void;
  /** Resolves with the action's value, when it has one (history.export: the CSV). */
  act(action: UiAction): Promise<unknown>;
}

/** A failed action: the host's error code (and data, e.g. the settings field) travel with the message. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly code?: number,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

/** The real connector: a runtime port to the background, re-opened if the worker restarts. */
export function connectToBackground(): UiConnector {
  const listeners = new Set<(s: UiState) => void>();
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let seq = 0;
  let port: browser.Runtime.Port | undefined;
  // The first state can arrive before a view subscribes (effects run after the first render).
  let last: UiState | undefined;

  function open(): browser.Runtime.Port {
    const p = browser.runtime.connect({ name: UI_PORT_NAME });
    p.onMessage.addListener((raw) => {
      const message = raw as BackgroundToUi;
      if (message.type === 'state') {
        last = message.state;
        for (const l of listeners) l(message.state);
      }
      else if (message.type === 'action-result') {
        const w = waiting.get(message.seq);
        waiting.delete(message.seq);
        if (message.ok) w?.resolve(message.value);
        else w?.reject(new ActionError(message.error ?? 'failed', message.code, message.data));
      }
    });
    p.onDisconnect.addListener(() => {
      port = undefined;
      for (const w of waiting.values()) w.reject(new Error('background restarted'));
      waiting.clear();
      setTimeout(() => (port = open()), 200);
    });
    return p;
  }
  port = open();

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (last) listener(last);
      return () => listeners.delete(listener);
    },
    act(action) {
      return new Promise((resolve, reject) => {
        if (!port) {
          reject(new Error('background not reachable'));
          return;
        }
        const n = ++seq;
        waiting.set(n, { resolve, reject });
        port.postMessage({ type: 'action', seq: n, action } satisfies UiToBackground);
      });
    },
  };
}
