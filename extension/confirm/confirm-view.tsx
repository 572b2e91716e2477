import type { AccountProposal, AccountView } from '../../shared/protocol';
import { t, type MessageKey } from '../lib/i18n';

/**
 * The voispeed:U confirmation (DESIGN sections 6 and 8): the account in use and the proposed one side
 * by side, so the user sees what changes before anything does. The HA1 is never shown in full.
 */
export interface ConfirmViewProps {
  /** undefined while the state has not arrived; null when the host does not know this id. */
  proposal: AccountProposal | undefined | null;
  busy: boolean;
  /** Why the last Apply/Cancel failed; shown while the proposal is still pending (e.g. a call is up). */
  error: string | undefined;
  onApply(): void;
  onCancel(): void;
}

function credential(v: AccountView): string {
  if (v.credential === 'ha1') return t('confirmCredHa1', v.ha1Hint ?? '');
  return v.credential === 'password' ? t('confirmCredPassword') : t('confirmNone');
}

const ROWS: [MessageKey, (v: AccountView) => string][] = [
  ['confirmRowUser', (v) => v.user],
  ['confirmRowDomain', (v) => v.domain],
  ['confirmRowExtension', (v) => v.extension],
  ['confirmRowServers', (v) => v.servers.join('\n')],
  ['confirmRowCredential', credential],
];

export function statusText(p: AccountProposal): string {
  switch (p.state) {
    case 'pending':
      return t('confirmPending', new Date(p.expiresAt).toLocaleTimeString());
    case 'applying':
      return t('confirmApplying');
    case 'applied':
      return t('confirmApplied', p.next.extension);
    case 'failed':
      return t('confirmFailed', p.message ?? '');
    case 'cancelled':
      return t('confirmCancelled');
    case 'expired':
      return t('confirmExpired');
  }
}

export function ConfirmView({ proposal, busy, error, onApply, onCancel }: ConfirmViewProps) {
  if (proposal === undefined) {
    return (
      <main class="confirm">
        <h1>{t('confirmTitle')}</h1>
        <p data-testid="confirm-status">{t('confirmLoading')}</p>
      </main>
    );
  }
  if (proposal === null) {
    return (
      <main class="confirm">
        <h1>{t('confirmTitle')}</h1>
        <p class="status status--error" data-testid="confirm-status" data-state="unknown" role="status">
          {t('confirmUnknown')}
        </p>
      </main>
    );
  }
  const pending = proposal.state === 'pending';
  return (
    <main class="confirm">
      <h1>{t('confirmTitle')}</h1>
      <p>{proposal.source === 'page' ? t('confirmFromPage') : t('confirmFromOutside')}</p>
      <p>{t('confirmIntro')}</p>
      <table data-testid="confirm-table">
        <thead>
          <tr>
            <th />
            <th>{t('confirmColCurrent')}</th>
            <th>{t('confirmColNew')}</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(([label, get]) => {
            const now = proposal.current ? get(proposal.current) : t('confirmNone');
            const next = get(proposal.next);
            return (
              <tr key={label}>
                <th scope="row">{t(label)}</th>
                <td style={{ whiteSpace: 'pre-line' }}>{now}</td>
                <td style={{ whiteSpace: 'pre-line' }} class={now === next ? '' : 'changed'} data-testid={`confirm-new-${label}`}>
                  {next}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class={`status status--${proposal.state}`} data-testid="confirm-status" data-state={proposal.state} role="status">
        {statusText(proposal)}
      </p>
      {/* A failed registration is told by the proposal's own state. */}
      {error && pending ? (
        <p class="status status--error" data-testid="confirm-error" role="alert">
          {error}
        </p>
      ) : null}
      {pending ? (
        <div class="buttons">
          <button type="button" data-testid="confirm-apply" disabled={busy} onClick={onApply}>
            {t('confirmApply')}
          </button>
          <button type="button" data-testid="confirm-cancel" disabled={busy} onClick={onCancel}>
            {t('confirmCancel')}
          </button>
        </div>
      ) : null}
    </main>
  );
}
