import { useEffect, useMemo, useState } from 'preact/hooks';
import { downloadCsv } from '../lib/download';
import { errorText } from '../lib/error-text';
import { followSettings, onLanguageChange } from '../lib/i18n';
import type { ActionError, UiConnector } from '../lib/ui-connector';
import type { UiAction, UiState } from '../lib/ui-state';
import type { SearchNames } from './name-search';
import { PopupView, type PopupActions } from './popup-view';

const PREPARE_EVERY_MS = 1_000;

/** Binds the pure view to a connector (the real one in the extension, the mock in tests and previews). */
export function PopupApp({ connector, openOptions }: { connector: UiConnector; openOptions(): void }) {
  const [state, setState] = useState<UiState | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [, setTick] = useState(0);
  useEffect(() => connector.subscribe(setState), [connector]);
  // Stable across renders: the dial box searches again only when its text changes.
  const searchNames = useMemo<SearchNames>(() => (query) => connector.act({ type: 'directory.search', query }) as ReturnType<SearchNames>, [connector]);
  // The language can change while the popup is open (options page, another window).
  useEffect(() => onLanguageChange(() => setTick((n) => n + 1)), []);
  if (state?.settings) followSettings(state.settings.preferences.language);
  // Keeps the "retrying in N s" countdown honest while the host is away.
  useEffect(() => {
    if (state?.connection.status !== 'disconnected') return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [state?.connection.status]);
  // A press on Call (or Enter in the dial box) opens the microphone before the click completes: a
  // human press lasts ~80-120 ms, which hides the ~12 ms getUserMedia takes (issue 19). Not on
  // opening or typing: the OS's "microphone in use" light must not come on with no call coming.
  const registered = state?.registration?.state === 'registered';
  useEffect(() => {
    if (!registered) return undefined;
    // The next call's offer is made now (a peer connection prepared ahead, issue 19): no microphone.
    void connector.act({ type: 'media.warm' }).catch(() => undefined);
    let last = 0;
    const onPress = (e: Event) => {
      const target = e.target instanceof Element ? e.target : null;
      const starts = e.type === 'pointerdown' ? target?.closest('[data-testid=dial-call]') : (e as KeyboardEvent).key === 'Enter' && target?.closest('[data-testid=dial-input]');
      if (!starts || Date.now() - last < PREPARE_EVERY_MS) return;
      last = Date.now();
      void connector.act({ type: 'media.prepare' }).catch(() => undefined);
    };
    document.addEventListener('pointerdown', onPress, true);
    document.addEventListener('keydown', onPress, true);
    return () => {
      document.removeEventListener('pointerdown', onPress, true);
      document.removeEventListener('keydown', onPress, true);
    };
  }, [connector, registered]);
  const act = (action: UiAction) =>
    void connector.act(action).then(
      () => setError(undefined),
      (e: ActionError) => setError(errorText(e)),
    );
  const actions: PopupActions = {
    retry: () => act({ type: 'retry' }),
    register: () => act({ type: 'register' }),
    unregister: () => act({ type: 'unregister' }),
    openOptions,
    dial: (number) => act({ type: 'dial', number }),
    searchNames,
    callFromPage: (number) => state?.page && act({ type: 'page.dial', tabId: state.page.tabId, number }),
    answer: (id) => act({ type: 'answer', id }),
    decline: (id) => act({ type: 'decline', id }),
    hangup: (id) => act({ type: 'hangup', id }),
    hold: (id, hold) => act({ type: 'hold', id, hold }),
    mute: (id, mute) => act({ type: 'mute', id, mute }),
    dtmf: (id, tones) => act({ type: 'dtmf', id, tones }),
    transfer: (id, target) => act({ type: 'transfer', id, target }),
    consult: (id, target) => act({ type: 'consult', id, target }),
    transferComplete: (id) => act({ type: 'transfer.complete', id }),
    transferCancel: (id) => act({ type: 'transfer.cancel', id }),
    merge: () => act({ type: 'merge' }),
    split: (id) => act({ type: 'split', id }),
    callBack: (r) => act({ type: 'history.call', number: r.number, ...(r.extId ? { extId: r.extId } : {}) }),
    markSeen: () => act({ type: 'history.markSeen' }),
    addContact: (name, company, number) =>
      connector.act({ type: 'contacts.add', name, ...(company ? { company } : {}), number }).then(
        () => undefined,
        (e: ActionError) => Promise.reject(new Error(errorText(e))),
      ),
    exportCsv: () =>
      void connector.act({ type: 'history.export' }).then(
        (csv) => downloadCsv(String(csv ?? '')),
        (e: ActionError) => setError(errorText(e)),
      ),
    pickUp: (ext) => act({ type: 'colleague.pickup', ext }),
    callVoicemail: () => act({ type: 'voicemail.call' }),
    setDnd: (on) => {
      const preferences = state?.settings?.preferences;
      if (preferences) act({ type: 'settings.set', section: 'preferences', value: { ...preferences, dnd: on } });
    },
  };
  if (!state) return null;
  return <PopupView data={state} actions={actions} error={error} />;
}

