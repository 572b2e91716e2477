import type { WebWorker } from 'puppeteer';
import type { MediaBridge, PcEvent } from '../../native-host/src/sip/media-bridge';
import { MediaEventRouter } from '../../native-host/src/sip/media-bridge';

type Hook = {
  request(m: string, p: unknown): Promise<unknown>;
  engine(m: string, p: unknown): Promise<unknown>;
  events(): PcEvent[];
};

/**
 * The host's MediaBridge, with the native channel replaced by the test build's `__voispeedMedia`
 * hook in the service worker: the same relay handler the host's requests reach, the same events
 * (read from the worker's event record as they are appended, and routed by pcId as the host does).
 */
export function workerMediaBridge(worker: WebWorker): MediaBridge & { stop(): void; analyse(pcId: string, windowMs?: number): Promise<{ rms: number; dominantHz: number }> } {
  const router = new MediaEventRouter();
  let cursor = 0;
  let stopped = false;
  const pump = async () => {
    while (!stopped) {
      const events = await worker
        .evaluate((from: number) => (globalThis as unknown as { __voispeedMedia: Hook }).__voispeedMedia.events().slice(from), cursor)
        .catch(() => [] as PcEvent[]);
      cursor += events.length;
      for (const e of events) router.dispatch(e);
      // The worker keeps its record; this only relays it as the native port would.
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  void pump();
  return {
    request: ((method: string, params: unknown) =>
      worker.evaluate(
        (m: string, p: unknown) =>
          (globalThis as unknown as { __voispeedMedia: Hook }).__voispeedMedia.request(m, p).then(
            (ok) => ({ ok }),
            (e: { code: number; message: string; data?: unknown }) => ({ error: { code: e.code, message: e.message, data: e.data } }),
          ),
        method,
        params,
      ).then((r: { ok?: unknown; error?: { code: number; message: string; data?: unknown } }) => {
        if (r.error) throw Object.assign(new Error(r.error.message), r.error);
        return r.ok;
      })) as MediaBridge['request'],
    subscribe: (pcId, listener) => router.subscribe(pcId, listener),
    nextPcId: () => router.nextPcId(),
    stop: () => {
      stopped = true;
    },
    analyse: (pcId, windowMs = 800) =>
      worker.evaluate(
        (m: string, p: unknown) => (globalThis as unknown as { __voispeedMedia: Hook }).__voispeedMedia.engine(m, p),
        'test.analyse',
        { pcId, windowMs },
      ) as Promise<{ rms: number; dominantHz: number }>,
  };
}
