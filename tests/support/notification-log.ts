import type { WebWorker } from 'puppeteer';

/** One desktop notification the extension created or updated, as the test saw it. */
export interface NotificationRecord {
  id: string;
  kind: 'create' | 'update';
  title: string;
  message: string;
  at: number;
}

/**
 * Records every chrome.notifications.create/update of the extension's worker (Chrome shows only
 * ids through getAll). Install before the first notification: webextension-polyfill binds each
 * API function the first time it is used.
 */
export async function recordNotifications(worker: WebWorker): Promise<void> {
  await worker.evaluate(() => {
    const g = globalThis as unknown as { __notes?: unknown[] };
    if (g.__notes) return;
    const log: unknown[] = (g.__notes = []);
    const n = chrome.notifications as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const kind of ['create', 'update'] as const) {
      const original = n[kind]!.bind(chrome.notifications);
      n[kind] = (id: unknown, options: unknown, ...rest: unknown[]) => {
        const o = (options ?? {}) as { title?: string; message?: string };
        log.push({ id, kind, title: o.title ?? '', message: o.message ?? '', at: Date.now() });
        return original(id, options, ...rest);
      };
    }
  });
}

export async function notificationsOf(worker: WebWorker, id: string): Promise<NotificationRecord[]> {
  const all = (await worker.evaluate(() => (globalThis as unknown as { __notes?: unknown[] }).__notes ?? [])) as NotificationRecord[];
  return all.filter((r) => r.id === id);
}
