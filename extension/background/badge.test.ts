import { describe, expect, it, vi } from 'vitest';
import { defaultPreferences } from '../../shared/settings/preferences';
import { mockUiState } from '../lib/mock-connector';
import type { UiState } from '../lib/ui-state';

vi.mock('webextension-polyfill', async () => (await import('../lib/english-catalogue')).fakeI18nBrowser);
const { badgeLook } = await import('./badge');

const withPrefs = (over: Partial<UiState>, dnd = false): UiState =>
  mockUiState({ settings: { preferences: { ...defaultPreferences(), dnd }, integra: {} as never, hotkeys: {} as never }, ...over });

describe('badgeLook', () => {
  it('is empty when registered with nothing to tell', () => expect(badgeLook(withPrefs({})).text).toBe(''));
  it('counts unseen missed calls, capped at 99+', () => {
    expect(badgeLook(withPrefs({ unseenMissed: 3 }))).toMatchObject({ text: '3', title: expect.stringContaining('3 missed calls') });
    expect(badgeLook(withPrefs({ unseenMissed: 120 })).text).toBe('99+');
  });
  it('shows DND while do-not-disturb is on, and missed calls take the text when there are some', () => {
    expect(badgeLook(withPrefs({}, true))).toMatchObject({ text: 'DND', title: expect.stringContaining('Do not disturb is on') });
    expect(badgeLook(withPrefs({ unseenMissed: 2 }, true))).toMatchObject({ text: '2', title: expect.stringContaining('Do not disturb is on') });
  });
  it('shows VM and the new voicemail count; missed calls outrank it; cleared when nothing waits', () => {
    const vm = (newMessages: number, waiting = true) => ({ voicemail: { known: true, waiting, newMessages, oldMessages: 8 } });
    expect(badgeLook(withPrefs(vm(2)))).toMatchObject({ text: 'VM2', title: expect.stringContaining('2 new voicemail messages') });
    expect(badgeLook(withPrefs(vm(12))).text).toBe('VM9+');
    expect(badgeLook(withPrefs({ ...vm(2), unseenMissed: 1 })).text).toBe('1');
    expect(badgeLook(withPrefs(vm(0, false))).text).toBe('');
  });
  it('a registration problem comes first', () => {
    expect(badgeLook(withPrefs({ unseenMissed: 2, registration: { state: 'failed', since: 0 } }, true)).text).toBe('!');
    expect(badgeLook(withPrefs({ registration: { state: 'connecting', since: 0 } })).text).toBe('…');
  });
});
