import browser from 'webextension-polyfill';
import type { UiState } from '../lib/ui-state';
import type { BackgroundCapability } from './context';

/** The toolbar badge: empty when registered, a warning mark otherwise, so trouble is visible. */
async function show(state: UiState): Promise<void> {
  const action = browser.action;
  const registered = state.connection.status === 'connected' && state.registration?.state === 'registered';
  if (registered) {
    await action.setBadgeText({ text: '' });
    return;
  }
  const connecting = state.connection.status === 'connecting' || state.registration?.state === 'connecting';
  await action.setBadgeText({ text: connecting ? '…' : '!' });
  await action.setBadgeBackgroundColor({ color: connecting ? '#8a8a8a' : '#c62828' });
}

export const badge: BackgroundCapability = {
  name: 'badge',
  start({ store }) {
    store.subscribe((s) => void show(s).catch(() => undefined));
  },
};
