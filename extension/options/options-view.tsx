import type { PublicSettings, SectionName } from '../../shared/settings';
import { t } from '../lib/i18n';
import { registrationLine } from '../lib/status-text';
import { installCommand, type UiAction, type UiState } from '../lib/ui-state';
import { AccountSection } from './account-section';
import { AudioDevicesSection } from './audio-devices-section';
import { CallsSection } from './calls-section';
import { ColleaguesSection } from './colleagues-section';
import { DetectionSection } from './detection-section';
import { DirectorySection } from './directory-section';
import { IntegraSection, type TestIntegra } from './integra-section';
import { HotkeysSection } from './hotkeys-section';
import { LanguageSection } from './language-section';

/** Saves one settings section; resolves with the error to show (in the user's language), or undefined. */
export type SaveSection = (section: SectionName, value: unknown) => Promise<{ text: string; field?: string } | undefined>;

export interface OptionsActions {
  retry(): void;
  save: SaveSection;
  exportCsv(): void;
  /** Any UiAction (sections that drive the host directly: hotkeys, Integra's test). */
  act(action: UiAction): Promise<unknown>;
}

/**
 * Options as a pure view, one section per concern; every change applies without a restart.
 * Integra (issue 5) and hotkeys (issue 7) add their own section files next to these.
 */
export function OptionsView({ data, actions }: { data: UiState; actions: OptionsActions }) {
  const line = registrationLine(data);
  const settings: PublicSettings | undefined = data.settings;
  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      <nav class="toc" aria-label={t('optionsSections')}>
        <a href="#connection">{t('optionsConnection')}</a>
        <a href="#account">{t('optionsAccount')}</a>
        <a href="#calls">{t('optionsCalls')}</a>
        <a href="#colleagues">{t('optionsColleagues')}</a>
        <a href="#audio">{t('audioTitle')}</a>
        <a href="#detection">{t('optionsDetection')}</a>
        <a href="#directory">{t('dirTitle')}</a>
        <a href="#integra">{t('integraTitle')}</a>
        <a href="#hotkeys">{t('hotkeysTitle')}</a>
        <a href="#language">{t('optionsLanguage')}</a>
      </nav>
      <section id="connection">
        <h2>{t('optionsConnection')}</h2>
        <p class={`status status--${line.tone}`} data-testid="registration">{t(line.key, line.subs)}</p>
        {data.host ? <p class="muted">{t('optionsHostVersion', [data.host.app, String(data.host.pid)])}</p> : null}
        {data.connection.status === 'disconnected' ? (
          <p>
            <code>{installCommand(data.browser)}</code>{' '}
            <button type="button" onClick={actions.retry}>{t('retry')}</button>
          </p>
        ) : null}
        {data.connection.status === 'connected' && !settings ? <p class="muted">{t('optionsNoSettings')}</p> : null}
      </section>
      <AccountSection settings={settings} save={actions.save} />
      <CallsSection settings={settings} save={actions.save} exportCsv={actions.exportCsv} historyCount={data.history?.length} />
      <ColleaguesSection settings={settings} save={actions.save} />
      <div id="audio">
        <AudioDevicesSection />
      </div>
      <div id="detection">
        <DetectionSection />
      </div>
      <DirectorySection settings={settings} save={actions.save} act={actions.act} />
      <IntegraSection settings={settings} save={actions.save} test={(event, rule) => actions.act({ type: 'integra.test', event, rule }) as ReturnType<TestIntegra>} log={data.integraLog} />
      <div id="hotkeys">
        <HotkeysSection settings={settings?.hotkeys} status={data.hotkeys} act={actions.act} locked={settings?.locked ?? []} />
      </div>
      <LanguageSection settings={settings} save={actions.save} />
    </main>
  );
}
