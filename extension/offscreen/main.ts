import { ErrorCode, ProtocolError, type ProtocolErrorShape } from '../../shared/protocol';
import { createBrowserEngine } from '../media/browser-engine';
import { dispatchToEngine } from '../media/engine-dispatch';
import { MEDIA_PORT_NAME, type FromEngine, type ToEngine } from '../media/offscreen-channel';

declare const __TEST_BUILD__: boolean;

/**
 * The offscreen document (Chrome): the engine's home, because the service worker has no DOM,
 * no getUserMedia and no RTCPeerConnection. It has no storage and no connectNative either, so it
 * only talks to the worker, over one port it opens itself.
 */
let port: chrome.runtime.Port | undefined;

const { engine, extra } = createBrowserEngine((data) => send(port, { kind: 'event', data }));

function send(p: chrome.runtime.Port | undefined, message: FromEngine): void {
  try {
    p?.postMessage(message);
  } catch {
    // The worker is gone; onDisconnect deals with it.
  }
}

function shape(err: unknown): ProtocolErrorShape {
  if (err instanceof ProtocolError) return err.toJSON();
  return { code: ErrorCode.INTERNAL, message: (err as Error)?.message ?? String(err) };
}

function connect(): void {
  const p = chrome.runtime.connect({ name: MEDIA_PORT_NAME });
  port = p;
  p.onMessage.addListener((raw: unknown) => {
    const m = raw as ToEngine;
    // A worker that talks to us is up: a later loss starts a fresh reconnect window.
    reconnectUntil = 0;
    if (m?.kind !== 'call') return;
    // Replies go back on the port the call came from, never on a newer one.
    dispatchToEngine(engine, m.method, m.params, extra).then(
      (result) => send(p, { kind: 'result', id: m.id, result: result ?? {} }),
      (err: unknown) => send(p, { kind: 'error', id: m.id, error: shape(err) }),
    );
  });
  p.onDisconnect.addListener(() => {
    if (port !== p) return;
    port = undefined;
    if (engine.liveCount === 0) {
      // Nothing to keep: no reconnect, which would only wake an idle worker again and again; the
      // next worker replaces this document when it needs media.
      engine.closeAll();
      return;
    }
    // The worker restarted during a call. The host keeps the call (DESIGN section 2), so this
    // document keeps its audio and connects back; connecting also wakes the new worker.
    if (reconnectUntil === 0) reconnectUntil = Date.now() + RECONNECT_FOR_MS;
    scheduleReconnect();
  });
}

/** How long calls wait for a worker to come back before they are given up. */
const RECONNECT_FOR_MS = 30_000;
const RECONNECT_EVERY_MS = 250;
let reconnectUntil = 0;

function scheduleReconnect(): void {
  setTimeout(() => {
    if (port) return;
    if (Date.now() > reconnectUntil || engine.liveCount === 0) {
      engine.closeAll();
      return;
    }
    try {
      connect();
    } catch {
      scheduleReconnect();
    }
  }, RECONNECT_EVERY_MS);
}

connect();

if (__TEST_BUILD__) {
  // Lets a test ask the document itself, even with no worker attached: {type: 'test.analyse',
  // pcId?, windowMs?} (what a call hears) or {type: 'test.state'}.
  chrome.runtime.onMessage.addListener((message: { type?: string }, _sender, sendResponse) => {
    const call = typeof message?.type === 'string' && Object.hasOwn(extra, message.type) ? extra[message.type] : undefined;
    if (!call) return undefined;
    call(message).then(sendResponse, (err: unknown) => sendResponse({ error: shape(err) }));
    return true;
  });
}
