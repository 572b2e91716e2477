import browser from 'webextension-polyfill';
import { t } from '../lib/i18n';
import type { UiState } from '../lib/ui-state';
import type { BackgroundCapability } from './context';

export interface BadgeLook {
  text: string;
  color?: string;
  title: string;
}

/**
 * The toolbar badge: a warning mark when not registered, so trouble is visible; otherwise the
 * number of missed calls not yet seen, or "DND" while do-not-disturb rejects incoming calls, or
 * "VM<n>" for new voicemail messages.
 */
export function badgeLook(state: UiState): BadgeLook {
  const registered = state.connection.status === 'connected' && state.registration?.state === 'registered';
  const dnd = state.settings?.preferences.dnd === true;
  const missed = state.unseenMissed ?? 0;
  const titles = [t('actionTitle')];
  if (dnd) titles.push(t('badgeDndTitle'));
  if (missed > 0) titles.push(t('badgeMissedTitle', String(missed)));
  const voicemail = state.voicemail?.waiting ? state.voicemail.newMessages : 0;
  if (voicemail > 0) titles.push(t('badgeVoicemailTitle', String(voicemail)));
  const title = titles.join(' — ');
  if (!registered) {
    const connecting = state.connection.status === 'connecting' || state.registration?.state === 'connecting';
    return { text: connecting ? '…' : '!', color: connecting ? '#8a8a8a' : '#c62828', title };
  }
  if (missed > 0) return { text: missed > 99 ? '99+' : String(missed), color: '#c62828', title };
  if (dnd) return { text: 'DND', color: '#6a1b9a', title };
  // Missed calls outrank voicemail on the badge (both are in the title); VM + the new count.
  if (voicemail > 0) return { text: voicemail > 9 ? 'VM9+' : `VM${voicemail}`, color: '#1565c0', title };
  return { text: '', title };
}

let shown: BadgeLook | undefined;

async function show(state: UiState): Promise<void> {
  const look = badgeLook(state);
  if (shown && shown.text === look.text && shown.color === look.color && shown.title === look.title) return;
  shown = look;
  const action = browser.action;
  await action.setBadgeText({ text: look.text });
  if (look.color) await action.setBadgeBackgroundColor({ color: look.color });
  await action.setTitle({ title: look.title });
}

export const badge: BackgroundCapability = {
  name: 'badge',
  start({ store }) {
    store.subscribe((s) => void show(s).catch(() => undefined));
  },
};
