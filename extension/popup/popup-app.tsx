import { useEffect, useState } from 'preact/hooks';
import type { UiConnector } from '../lib/ui-connector';
import type { UiAction, UiState } from '../lib/ui-state';
import { PopupView, type PopupActions } from './popup-view';

/** Binds the pure view to a connector (the real one in the extension, the mock in tests and previews). */
export function PopupApp({ connector, openOptions }: { connector: UiConnector; openOptions(): void }) {
  const [state, setState] = useState<UiState | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [, setTick] = useState(0);
  useEffect(() => connector.subscribe(setState), [connector]);
  // Keeps the "retrying in N s" countdown honest while the host is away.
  useEffect(() => {
    if (state?.connection.status !== 'disconnected') return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [state?.connection.status]);
  const act = (action: UiAction) =>
    void connector.act(action).then(
      () => setError(undefined),
      (e: Error) => setError(e.message),
    );
  const actions: PopupActions = {
    retry: () => act({ type: 'retry' }),
    register: () => act({ type: 'register' }),
    unregister: () => act({ type: 'unregister' }),
    openOptions,
    dial: (number) => act({ type: 'dial', number }),
    answer: (id) => act({ type: 'answer', id }),
    decline: (id) => act({ type: 'decline', id }),
    hangup: (id) => act({ type: 'hangup', id }),
    hold: (id, hold) => act({ type: 'hold', id, hold }),
    mute: (id, mute) => act({ type: 'mute', id, mute }),
    dtmf: (id, tones) => act({ type: 'dtmf', id, tones }),
    transfer: (id, target) => act({ type: 'transfer', id, target }),
  };
  if (!state) return null;
  return <PopupView data={state} actions={actions} error={error} />;
}
