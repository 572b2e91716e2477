import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { languageReady, t } from '../lib/i18n';
import { microphoneGranted, requestMicrophone, type MicAccess } from './microphone-access';

/**
 * First-run onboarding (DESIGN section 2): grants the microphone to the extension's origin, which
 * the offscreen document (Chrome) and the background page (Firefox) need but cannot ask for.
 */
const afterDeniedCall = new URLSearchParams(location.search).get('reason') === 'mic-denied';

function statusText(access: MicAccess): string {
  switch (access.state) {
    case 'asking':
      return t('setupMicAsking');
    case 'granted':
      return t('setupMicGranted');
    case 'denied':
      return t('setupMicDenied');
    case 'missing':
      return t('setupMicMissing');
    case 'error':
      return t('setupMicError', access.detail);
  }
}

function Setup() {
  const [access, setAccess] = useState<MicAccess>({ state: 'asking' });
  const ask = () => {
    setAccess({ state: 'asking' });
    void requestMicrophone().then(setAccess);
  };
  useEffect(() => {
    // Nothing to ask when an earlier visit already granted it.
    void microphoneGranted().then((granted) => (granted ? setAccess({ state: 'granted' }) : ask()));
  }, []);
  return (
    <main class="setup">
      <h1>{t('setupTitle')}</h1>
      <h2>{t('setupMicHeading')}</h2>
      {afterDeniedCall ? <p class="warning">{t('setupMicCallFailed')}</p> : null}
      <p>{t('setupMicWhy')}</p>
      <p class={`status status--${access.state}`} data-testid="mic-status" data-state={access.state} role="status">
        {statusText(access)}
      </p>
      {access.state !== 'granted' && access.state !== 'asking' ? (
        <p>
          <button type="button" onClick={ask} data-testid="mic-retry">{t('setupTryAgain')}</button>
        </p>
      ) : null}
      <p>
        {t('setupNext')}{' '}
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>{t('openOptions')}</button>
      </p>
    </main>
  );
}

// After the stored language is applied, so the page opens in the user's language.
void languageReady.then(() => {
  document.title = t('setupTitle');
  render(<Setup />, document.getElementById('app')!);
});
