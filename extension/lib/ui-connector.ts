import browser from 'webextension-polyfill';
import { ErrorCode, ProtocolError } from '../../shared/protocol';
import { Connection } from '../../shared/rpc/connection';
import { backgroundSide, fromUiFrame, pageSide, toUiFrame } from './ui-channel';
import { UI_PORT_NAME, type UiAction, type UiState } from './ui-state';

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

/** The background answers an action within this, or the page says it failed (a stuck worker). */
const ACTION_TIMEOUT_MS = 60_000;

/** The real connector: a runtime port to the background, re-opened if the worker restarts. */
export function connectToBackground(): UiConnector {
  const listeners = new Set<(s: UiState) => void>();
  let port: browser.Runtime.Port | undefined;
  // The first state can arrive before a view subscribes (effects run after the first render).
  let last: UiState | undefined;
  const connection = new Connection({
    local: pageSide,
    remote: backgroundSide,
    send: (m) => {
      const frame = toUiFrame(m);
      if (!port) throw new ProtocolError(ErrorCode.DISCONNECTED, 'background not reachable');
      if (frame) port.postMessage(frame);
    },
    timeoutMs: ACTION_TIMEOUT_MS,
  });
  connection.on('state', (state) => {
    last = state;
    for (const l of listeners) l(state);
  });

  function open(): browser.Runtime.Port {
    const p = browser.runtime.connect({ name: UI_PORT_NAME });
    p.onMessage.addListener((raw) => {
      const message = fromUiFrame(raw);
      if (message) void connection.receive(message);
    });
    p.onDisconnect.addListener(() => {
      port = undefined;
      connection.rejectPending(() => new ProtocolError(ErrorCode.DISCONNECTED, 'background restarted'));
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
    async act(action) {
      const outcome = await connection.request('action', action);
      if (!outcome.ok) throw new ActionError(outcome.error ?? 'failed', outcome.code, outcome.data);
      return outcome.value;
    },
  };
}
