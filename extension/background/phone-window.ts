import browser from 'webextension-polyfill';
import { hostEvents } from '../../shared/protocol';
import type { BackgroundCapability } from './context';

const WIDTH = 380;
const HEIGHT = 600;

function phoneUrl(): string {
  const manifest = browser.runtime.getManifest();
  return browser.runtime.getURL(manifest.action?.default_popup ?? 'extension/popup/index.html');
}

/**
 * The phone window: the popup UI in its own small browser window, brought to the front. The
 * window is found again by its URL, so a restarted service worker does not open a second one.
 */
export async function showPhoneWindow(): Promise<number | undefined> {
  const url = phoneUrl();
  const windows = await browser.windows.getAll({ populate: true, windowTypes: ['popup'] });
  const existing = windows.find((w) => w.tabs?.some((t) => t.url === url));
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
  return created.id;
}

/** The host's `phone.show` push (show hotkey, a call the dial hotkey started, `voispeed show`). */
export const phoneWindow: BackgroundCapability = {
  name: 'phone-window',
  start({ native }) {
    native.onEvent((event, data) => {
      if (event !== 'phone.show' || !hostEvents['phone.show'].data.safeParse(data).success) return;
      showPhoneWindow().catch((e: unknown) => console.warn('phone window', e));
    });
  },
};
