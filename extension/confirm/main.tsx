import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { languageReady, t } from '../lib/i18n';
import { connectToBackground } from '../lib/ui-connector';
import type { UiState } from '../lib/ui-state';
import { ConfirmView } from './confirm-view';

/**
 * The page the background opens for a voispeed:U account change (?id=<proposal id>). Its buttons are
 * the only way to apply one: they go through the `ui` port, which only the extension's pages open.
 */
const connector = connectToBackground();
const id = new URLSearchParams(location.search).get('id') ?? '';
document.title = t('confirmTitle');

function App() {
  const [state, setState] = useState<UiState | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => connector.subscribe(setState), []);

  const connected = state?.connection.status === 'connected';
  // proposals is filled once the host answered; until then the page waits rather than say "unknown".
  const proposal = !state || (connected && state.proposals === undefined) || (!connected && !state.proposals) ? undefined : (state.proposals?.find((p) => p.id === id) ?? null);

  const act = (type: 'proposal.apply' | 'proposal.cancel') => {
    setBusy(true);
    setError(undefined);
    connector.act({ type, id }).then(
      () => setBusy(false),
      (err: Error) => {
        setBusy(false);
        setError(err.message);
      },
    );
  };
  return <ConfirmView proposal={proposal} busy={busy} error={error} onApply={() => act('proposal.apply')} onCancel={() => act('proposal.cancel')} />;
}

// After the stored language is applied, so the page opens in the user's language.
void languageReady.then(() => render(<App />, document.getElementById('app')!));
