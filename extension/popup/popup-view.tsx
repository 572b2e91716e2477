import { useEffect, useRef, useState } from 'preact/hooks';
import type { HistoryRecord } from '../../shared/protocol';
import { registrationCauseText } from '../lib/error-text';
import { t } from '../lib/i18n';
import { registrationLine } from '../lib/status-text';
import { installCommand, type UiState } from '../lib/ui-state';
import type { CallActions } from './call-card';
import { CallList } from './call-list';
import { ColleaguesPanel } from './colleagues-panel';
import { VoicemailLine } from './voicemail-line';
import { DialPad } from './dial-pad';
import type { SearchNames } from './name-search';
import { PageNumbers } from './page-numbers';
import { RecentList } from './recent-list';

export interface PopupActions extends CallActions {
  retry(): void;
  register(): void;
  unregister(): void;
  openOptions(): void;
  dial(number: string): void;
  /** Dial by name (issue 18): the contacts and directory entries matching the typed words. */
  searchNames?: SearchNames;
  /** "On this page": call a number the page lists (dial source 'page'). */
  callFromPage?(number: string): void;
  /** Recent tab: call a finished call's number back (dial source 'history'). */
  callBack(record: HistoryRecord): void;
  /** Recent: save a number as a local contact (issue 18). */
  addContact?(name: string, company: string, number: string): Promise<void>;
  markSeen(): void;
  exportCsv(): void;
  setDnd(on: boolean): void;
  /** Colleagues panel: take the call ringing at a colleague. */
  pickUp?(ext: string): void;
  /** Voicemail line: call the voicemail. */
  callVoicemail?(): void;
}

export type PopupTab = 'calls' | 'recent';

/** The popup as a pure view over `{data, actions}`; the connector lives in popup-app.tsx. */
export function PopupView({ data, actions, error, initialTab = 'calls' }: { data: UiState; actions: PopupActions; error?: string | undefined; initialTab?: PopupTab }) {
  const [tab, setTab] = useState<PopupTab>(initialTab);
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

  // Missed calls count on the badge until the user has looked at them here.
  const unseen = data.unseenMissed ?? 0;
  useEffect(() => {
    if (tab === 'recent' && unseen > 0) actions.markSeen();
  }, [tab, unseen]);
  const dnd = data.settings?.preferences.dnd;

  const focusLost = () => (dialInput.current ?? main.current?.querySelector<HTMLElement>('button'))?.focus();

  return (
    <main class="popup" ref={main}>
      <header class="popup__header">
        <h1>{t('extName')}</h1>
        {dnd !== undefined && primary ? (
          <label class={`dnd${dnd ? ' dnd--on' : ''}`} title={t('dndHint')}>
            <input type="checkbox" data-testid="dnd" checked={dnd} onChange={(e) => actions.setDnd((e.currentTarget as HTMLInputElement).checked)} />
            {t('dndLabel')}
          </label>
        ) : null}
        <button type="button" class="link" onClick={actions.openOptions}>
          {t('openOptions')}
        </button>
      </header>
      <section class={`status status--${line.tone}`} role="status" aria-live="polite" data-testid="registration">
        <span class="status__dot" aria-hidden="true" />
        <span class="status__text">{t(line.key, line.subs)}</span>
      </section>
      {reg?.cause && reg.state !== 'registered' && primary ? (
        <p class="cause" data-testid="cause">{t('regCause', registrationCauseText(reg))}</p>
      ) : null}
      {needsInstall ? (
        <section class="install">
          <p>{t('connInstallHint')}</p>
          <code class="command" data-testid="install-command">{installCommand(data.browser)}</code>
        </section>
      ) : null}
      {reg?.state === 'unconfigured' && primary ? <p class="hint">{t('regUnconfiguredHint')}</p> : null}
      {dnd && primary ? <p class="hint" data-testid="dnd-note">{t('dndOnNote')}</p> : null}
      {primary ? <VoicemailLine voicemail={data.voicemail} canDial={canDial} onCall={() => actions.callVoicemail?.()} /> : null}
      <CallList calls={data.calls} actions={actions} onFocusLost={focusLost} />
      {primary ? <ColleaguesPanel view={data.colleagues} calls={liveCalls} canDial={canDial} actions={{ dial: actions.dial, transfer: actions.transfer, pickUp: (ext) => actions.pickUp?.(ext) }} /> : null}
      {primary ? (
        <div class="tabs" role="tablist" aria-label={t('tabsLabel')}>
          <button type="button" role="tab" id="tab-calls" class="tabs__tab" data-testid="tab-calls" aria-selected={tab === 'calls'} aria-controls="panel-calls" onClick={() => setTab('calls')}>
            {t('tabCalls')}
          </button>
          <button type="button" role="tab" id="tab-recent" class="tabs__tab" data-testid="tab-recent" aria-selected={tab === 'recent'} aria-controls="panel-recent" onClick={() => setTab('recent')}>
            {t('tabRecent')}
            {unseen > 0 ? <span class="tabs__badge" data-testid="missed-count" aria-label={t('badgeMissedTitle', String(unseen))}>{unseen}</span> : null}
          </button>
        </div>
      ) : null}
      {tab === 'calls' || !primary ? (
        <div role="tabpanel" id="panel-calls" aria-labelledby="tab-calls" class="tabs__panel">
          {canDial ? <DialPad onDial={actions.dial} keysOpenByDefault={liveCalls.length === 0} inputRef={dialInput} {...(actions.searchNames ? { search: actions.searchNames } : {})} /> : null}
          <PageNumbers data={data} actions={actions} />
        </div>
      ) : (
        <div role="tabpanel" id="panel-recent" aria-labelledby="tab-recent" class="tabs__panel">
          <RecentList records={data.history} actions={actions} canCall={canDial} now={Date.now()} />
        </div>
      )}
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
