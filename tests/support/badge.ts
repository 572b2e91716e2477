import type { WebWorker } from 'puppeteer';

/** The toolbar badge's text, read in the extension's service worker. */
export async function badgeText(worker: WebWorker): Promise<string> {
  return worker.evaluate(() => (globalThis as unknown as { chrome: typeof chrome }).chrome.action.getBadgeText({}));
}

export async function waitForBadge(worker: WebWorker, want: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await badgeText(worker);
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the badge shows "${last}", expected "${want}"`);
}
