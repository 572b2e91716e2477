import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorText, fieldLabel } from '../lib/error-text';
import { followSettings, onLanguageChange, t } from '../lib/i18n';
import { connectToBackground, type ActionError } from '../lib/ui-connector';
import type { UiState } from '../lib/ui-state';
import { downloadCsv } from '../lib/download';
import { OptionsView, type OptionsActions } from './options-view';

const connector = connectToBackground();
document.title = t('optionsTitle');

const actions: OptionsActions = {
  retry: () => void connector.act({ type: 'retry' }),
  act: (action) => connector.act(action),
  save: async (section, value) => {
    try {
      await connector.act({ type: 'settings.set', section, value });
      return undefined;
    } catch (err) {
      const e = err as ActionError;
      const field = (e.data as { field?: unknown } | undefined)?.field;
      return typeof field === 'string' ? { text: t('errInvalidSettings', fieldLabel(field)), field } : { text: errorText(e) };
    }
  },
  exportCsv: () =>
    void connector.act({ type: 'history.export' }).then(
      (csv) => downloadCsv(String(csv ?? '')),
      () => undefined,
    ),
};

function App() {
  const [state, setState] = useState<UiState | undefined>(undefined);
  const [, setTick] = useState(0);
  useEffect(() => connector.subscribe(setState), []);
  useEffect(
    () =>
      onLanguageChange(() => {
        document.title = t('optionsTitle');
        setTick((n) => n + 1);
      }),
    [],
  );
  if (state?.settings) followSettings(state.settings.preferences.language);
  if (!state) return null;
  return <OptionsView data={state} actions={actions} />;
}

render(<App />, document.getElementById('app')!);
