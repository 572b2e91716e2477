import browser from 'webextension-polyfill';
import type { BackgroundCapability } from './context';

export const SETUP_PATH = 'extension/setup/index.html';

/**
 * First run: the offscreen document (Chrome) and the background page (Firefox) cannot show a
 * permission prompt, so the microphone must be granted to the extension's origin once, from a
 * visible page. Opened on install when the permission is not granted yet, and again when a call
 * finds the microphone refused.
 */
export const onboarding: BackgroundCapability = {
  name: 'onboarding',
  start() {
    browser.runtime.onInstalled.addListener((details) => {
      if (details.reason !== 'install') return;
      void microphonePermission().then((state) => (state === 'granted' ? undefined : openSetupPage()));
    });
  },
};

/** 'unknown' where the Permissions API cannot tell (older Firefox has no 'microphone' name). */
export async function microphonePermission(): Promise<PermissionState | 'unknown'> {
  try {
    return (await navigator.permissions.query({ name: 'microphone' as PermissionName })).state;
  } catch {
    return 'unknown';
  }
}

let openedAt = -Infinity;

/** At most once a minute: a PBX retrying a call must not fill the window with setup tabs. */
export async function openSetupPage(reason?: 'mic-denied'): Promise<void> {
  const now = Date.now();
  if (now - openedAt < 60_000) return;
  openedAt = now;
  const url = browser.runtime.getURL(SETUP_PATH) + (reason ? `?reason=${reason}` : '');
  await browser.tabs.create({ url }).catch(() => (openedAt = -Infinity));
}
