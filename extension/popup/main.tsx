import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { connectToBackground } from '../lib/ui-connector';
import type { UiState } from '../lib/ui-state';
import { PopupView, type PopupActions } from './popup-view';

const connector = connectToBackground();

function App() {
  const [state, setState] = useState<UiState | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [, setTick] = useState(0);
  useEffect(() => connector.subscribe(setState), []);
  // Keeps the "retrying in N s" countdown honest while the host is away.
  useEffect(() => {
    if (state?.connection.status !== 'disconnected') return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [state?.connection.status]);
  const run = (p: Promise<void>) => p.then(() => setError(undefined), (e: Error) => setError(e.message));
  const actions: PopupActions = {
    retry: () => run(connector.act({ type: 'retry' })),
    register: () => run(connector.act({ type: 'register' })),
    unregister: () => run(connector.act({ type: 'unregister' })),
    openOptions: () => void browser.runtime.openOptionsPage(),
  };
  if (!state) return null;
  return <PopupView data={state} actions={actions} error={error} />;
}

render(<App />, document.getElementById('app')!);
