import type { StorageLike } from '../lib/detection-settings';

/**
 * The browser's own extension API, without webextension-polyfill (it would add ~10 KB to every
 * page): Firefox has `browser`, Chromium's MV3 `chrome` returns promises for what we use.
 */
interface ContentApi {
  runtime: {
    sendMessage(message: unknown): Promise<unknown>;
    onMessage: {
      addListener(cb: (message: unknown, sender: unknown, sendResponse: (r: unknown) => void) => boolean | undefined): void;
    };
  };
  storage: StorageLike;
  i18n: { getMessage(key: string, subs?: string | string[]): string };
}

const g = globalThis as unknown as { browser?: ContentApi; chrome?: ContentApi };
export const api: ContentApi = (g.browser ?? g.chrome)!;
