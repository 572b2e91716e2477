import { t } from '../lib/i18n';
import { registrationLine } from '../lib/status-text';
import { installCommand, type UiState } from '../lib/ui-state';
import { AudioDevicesSection } from './audio-devices-section';
import { DetectionSection } from './detection-section';

/** Options as a pure view; sections for audio, Integra, hotkeys and detection join it later. */
export function OptionsView({ data, actions }: { data: UiState; actions: { retry(): void } }) {
  const line = registrationLine(data);
  const account = data.registration?.account;
  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      <section>
        <h2>{t('optionsConnection')}</h2>
        <p class={`status status--${line.tone}`} data-testid="registration">{t(line.key, line.subs)}</p>
        {data.host ? <p class="muted">{t('optionsHostVersion', [data.host.app, String(data.host.pid)])}</p> : null}
        {data.connection.status === 'disconnected' ? (
          <p>
            <code>{installCommand(data.browser)}</code>{' '}
            <button type="button" onClick={actions.retry}>{t('retry')}</button>
          </p>
        ) : null}
      </section>
      <section>
        <h2>{t('optionsAccount')}</h2>
        {account ? (
          <dl>
            <dt>SIP</dt>
            <dd>{account.aor}</dd>
            <dt>Server</dt>
            <dd>{account.server}</dd>
          </dl>
        ) : null}
        <p class="muted">{t('optionsAccountCli')}</p>
        <pre>voispeed account set --ws wss://pbx.example:8089/ws --uri sip:201@pbx.example --password-stdin</pre>
      </section>
      <AudioDevicesSection />
      <DetectionSection />
    </main>
  );
}
