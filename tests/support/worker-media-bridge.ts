import type { Page, WebWorker } from 'puppeteer';
import type { MediaBridge, PcEvent } from '../../native-host/src/sip/media-bridge';
import { MediaEventRouter } from '../../native-host/src/sip/media-bridge';
import { backgroundMedia } from './firefox-media';

type Reply = { ok?: unknown; error?: { code: number; message: string; data?: unknown } };
type Hook = {
  request(m: string, p: unknown): Promise<unknown>;
  engine(m: string, p: unknown): Promise<unknown>;
  events(): PcEvent[];
};

/** The test build's `__voispeedMedia` hook as seen from the test: requests, engine calls, the event record. */
interface HookAccess {
  request(method: string, params: unknown): Promise<Reply>;
  engine(method: string, params: unknown): Promise<Reply>;
  events(from: number): Promise<PcEvent[]>;
}

/**
 * The host's MediaBridge, with the native channel replaced by the test build's `__voispeedMedia`
 * hook: the same relay handler the host's requests reach, the same events (read from the
 * extension's event record as they are appended, and routed by pcId as the host does).
 */
function hookMediaBridge(hook: HookAccess): MediaBridge & { stop(): void; engine(method: string, params: unknown): Promise<unknown> } {
  const router = new MediaEventRouter();
  let cursor = 0;
  let stopped = false;
  const pump = async () => {
    while (!stopped) {
      const events = await hook.events(cursor).catch(() => [] as PcEvent[]);
      cursor += events.length;
      for (const e of events) router.dispatch(e);
      // The extension keeps its record; this only relays it as the native port would.
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  void pump();
  const unwrap = (r: Reply) => {
    if (r.error) throw Object.assign(new Error(r.error.message), r.error);
    return r.ok;
  };
  return {
    request: ((method: string, params: unknown) => hook.request(method, params).then(unwrap)) as MediaBridge['request'],
    subscribe: (pcId, listener) => router.subscribe(pcId, listener),
    nextPcId: () => router.nextPcId(),
    stop: () => {
      stopped = true;
    },
    engine: (method, params) => hook.engine(method, params).then(unwrap),
  };
}

/** Chromium: the hook lives in the service worker. */
export function workerMediaBridge(worker: WebWorker) {
  const call = (fn: 'request' | 'engine', method: string, params: unknown) =>
    worker.evaluate(
      (f: 'request' | 'engine', m: string, p: unknown) =>
        (globalThis as unknown as { __voispeedMedia: Hook }).__voispeedMedia[f](m, p).then(
          (ok) => ({ ok }),
          (e: { code: number; message: string; data?: unknown }) => ({ error: { code: e.code, message: e.message, data: e.data } }),
        ),
      fn,
      method,
      params,
    ) as Promise<Reply>;
  const bridge = hookMediaBridge({
    request: (m, p) => call('request', m, p),
    engine: (m, p) => call('engine', m, p),
    events: (from) => worker.evaluate((f: number) => (globalThis as unknown as { __voispeedMedia: Hook }).__voispeedMedia.events().slice(f), from),
  });
  return Object.assign(bridge, {
    analyse: (pcId: string, windowMs = 800) => bridge.engine('test.analyse', { pcId, windowMs }) as Promise<{ rms: number; dominantHz: number }>,
  });
}

/** Firefox: the hook lives in the background page, reached from an extension page. */
export function backgroundMediaBridge(page: Page) {
  const media = backgroundMedia(page);
  return hookMediaBridge({
    request: (m, p) => media.request(m, p),
    engine: (m, p) => media.engine(m, p),
    events: async (from) => ((await media.events()) ?? []).slice(from) as PcEvent[],
  });
}
