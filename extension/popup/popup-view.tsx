import { useEffect, useRef } from 'preact/hooks';
import { t } from '../lib/i18n';
import { registrationLine } from '../lib/status-text';
import { installCommand, type UiState } from '../lib/ui-state';
import type { CallActions } from './call-card';
import { CallList } from './call-list';
import { DialPad } from './dial-pad';

export interface PopupActions extends CallActions {
  retry(): void;
  register(): void;
  unregister(): void;
  openOptions(): void;
  dial(number: string): void;
}

/** The popup as a pure view over `{data, actions}`; the connector lives in popup-app.tsx. */
export function PopupView({ data, actions, error }: { data: UiState; actions: PopupActions; error?: string | undefined }) {
  const line = registrationLine(data);
  const c = data.connection;
  const needsInstall = c.status === 'disconnected' && (c.reason === 'host-not-found' || c.reason === 'forbidden');
  const retrySeconds = c.status === 'disconnected' && c.retryAt ? Math.max(0, Math.round((c.retryAt - Date.now()) / 1000)) : undefined;
  const reg = data.registration;
  const primary = c.status === 'connected' && data.host?.role !== 'secondary';
  const canDial = primary && reg?.state === 'registered';
  const liveCalls = data.calls.filter((call) => call.state !== 'ended');
  const main = useRef<HTMLElement>(null);
  const dialInput = useRef<HTMLInputElement>(null);

  // Opened on a ringing call, the popup is there to answer it; otherwise to dial.
  useEffect(() => {
    const answer = main.current?.querySelector<HTMLElement>('[data-testid=call-answer]');
    (answer ?? dialInput.current)?.focus();
  }, []);

  const focusLost = () => (dialInput.current ?? main.current?.querySelector<HTMLElement>('button'))?.focus();

  return (
    <main class="popup" ref={main}>
      <header class="popup__header">
        <h1>{t('extName')}</h1>
        <button type="button" class="link" onClick={actions.openOptions}>
          {t('openOptions')}
        </button>
      </header>
      <section class={`status status--${line.tone}`} role="status" aria-live="polite" data-testid="registration">
        <span class="status__dot" aria-hidden="true" />
        <span class="status__text">{t(line.key, line.subs)}</span>
      </section>
      {reg?.cause && reg.state !== 'registered' && primary ? (
        <p class="cause" data-testid="cause">{t('regCause', reg.cause)}</p>
      ) : null}
      {needsInstall ? (
        <section class="install">
          <p>{t('connInstallHint')}</p>
          <code class="command" data-testid="install-command">{installCommand(data.browser)}</code>
        </section>
      ) : null}
      {reg?.state === 'unconfigured' && primary ? <p class="hint">{t('regUnconfiguredHint')}</p> : null}
      <CallList calls={data.calls} actions={actions} onFocusLost={focusLost} />
      {canDial ? <DialPad onDial={actions.dial} keysOpenByDefault={liveCalls.length === 0} inputRef={dialInput} /> : null}
      {error ? <p class="error" role="alert">{error}</p> : null}
      <footer class="actions">
        {c.status === 'disconnected' ? (
          <button type="button" class="btn" onClick={actions.retry} data-testid="retry">
            {t('retry')}
            {retrySeconds !== undefined ? ` (${t('connRetryIn', String(retrySeconds))})` : ''}
          </button>
        ) : null}
        {primary && reg && reg.state !== 'unconfigured' ? (
          reg.state === 'registered' || reg.state === 'connecting' ? (
            <button type="button" class="btn btn--quiet" onClick={actions.unregister}>{t('unregister')}</button>
          ) : (
            <button type="button" class="btn" onClick={actions.register}>{t('register')}</button>
          )
        ) : null}
      </footer>
    </main>
  );
}
