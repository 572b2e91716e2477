import browser from 'webextension-polyfill';
import type { BackgroundCapability } from './context';

const WIDTH = 380;
const HEIGHT = 600;
/** storage.session key: the phone window's id survives a worker restart (not a browser restart). */
const WINDOW_KEY = 'phoneWindowId';

function phoneUrl(): string {
  const manifest = browser.runtime.getManifest();
  return browser.runtime.getURL(manifest.action?.default_popup ?? 'extension/popup/index.html');
}

type SessionArea = { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
const session = () => (browser.storage as unknown as { session?: SessionArea }).session;

/**
 * The phone window that is open now, if any: by the id remembered in storage.session, else by its
 * URL (Chrome shows an extension its own pages' URLs without the tabs permission; Firefox may not).
 */
async function findPhoneWindow(url: string): Promise<browser.Windows.Window | undefined> {
  const remembered = (await session()?.get(WINDOW_KEY).catch(() => undefined))?.[WINDOW_KEY];
  if (typeof remembered === 'number') {
    const w = await browser.windows.get(remembered, { populate: true }).catch(() => undefined);
    if (w && w.type === 'popup' && (w.tabs ?? []).every((t) => t.url === undefined || t.url === url)) return w;
  }
  const windows = await browser.windows.getAll({ populate: true, windowTypes: ['popup'] });
  return windows.find((w) => w.tabs?.some((t) => t.url === url));
}

/**
 * The phone window: the popup UI in its own small browser window, brought to the front. It is
 * found again (see findPhoneWindow), so neither a second press nor a restarted worker opens another.
 */
export async function showPhoneWindow(): Promise<number | undefined> {
  const url = phoneUrl();
  const existing = await findPhoneWindow(url);
  if (existing?.id !== undefined) {
    try {
      await browser.windows.update(existing.id, { focused: true, drawAttention: true, ...(existing.state === 'minimized' ? { state: 'normal' as const } : {}) });
      return existing.id;
    } catch {
      // closed in between: open a new one
    }
  }
  // A new window is focused; Firefox refuses `focused` in create().
  const created = await browser.windows.create({ url, type: 'popup', width: WIDTH, height: HEIGHT });
  if (created.id !== undefined) await session()?.set({ [WINDOW_KEY]: created.id }).catch(() => undefined);
  return created.id;
}

/** The host's `phone.show` push (show hotkey, a call the dial hotkey started, `voispeed show`). */
export const phoneWindow: BackgroundCapability = {
  name: 'phone-window',
  start({ native }) {
    native.on('phone.show', () => {
      showPhoneWindow().catch((e: unknown) => console.warn('phone window', e));
    });
  },
};
