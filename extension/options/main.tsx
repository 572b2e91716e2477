import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import { connectToBackground } from '../lib/ui-connector';
import type { UiState } from '../lib/ui-state';
import { OptionsView } from './options-view';

const connector = connectToBackground();
document.title = t('optionsTitle');

function App() {
  const [state, setState] = useState<UiState | undefined>(undefined);
  useEffect(() => connector.subscribe(setState), []);
  if (!state) return null;
  return <OptionsView data={state} actions={{ retry: () => void connector.act({ type: 'retry' }) }} />;
}

render(<App />, document.getElementById('app')!);
