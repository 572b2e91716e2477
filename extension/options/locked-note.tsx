import { t } from '../lib/i18n';

/** The translated "Set by your administrator" beside a field a managed policy or the system file set (issue 16). */
export function Locked({ on }: { on: boolean }) {
  return on ? <span class="managed muted" data-testid="locked-note">{t('optManagedNote')}</span> : null;
}
