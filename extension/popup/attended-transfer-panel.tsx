import type { CallInfo, CallTransfer } from '../../shared/protocol';
import { t, type MessageKey } from '../lib/i18n';
import type { CallActions } from './call-card';

/** The sentence for where an attended transfer stands, failures with their reason (issue 17). */
export function transferText(transfer: CallTransfer): { key: MessageKey; subs: string[] } {
  const target = transfer.target.slice(0, 64);
  if (transfer.phase === 'failed') {
    const key = ({ 'target-busy': 'transferTargetBusy', 'target-unavailable': 'transferTargetUnavailable', 'target-hung-up': 'transferTargetHungUp', 'refer-refused': 'transferReferRefused' } as const)[
      transfer.failure ?? 'target-unavailable'
    ];
    return { key, subs: [target, transfer.code !== undefined ? ` (SIP ${transfer.code})` : ''] };
  }
  const key = ({ consulting: 'transferConsulting', talking: 'transferTalking', completing: 'transferCompleting', done: 'transferDone' } as const)[transfer.phase];
  return { key, subs: [target] };
}

/**
 * On the caller's card: where the transfer stands, with Complete and Cancel. On the consult's
 * card: that it is one, with the same buttons (the host finds the transfer from either call).
 */
export function AttendedTransferPanel({ call, actions }: { call: CallInfo; actions: CallActions }) {
  const transfer = call.transfer;
  const text = transfer ? transferText(transfer) : { key: 'transferConsultOf' as const, subs: [] };
  const canComplete = call.consultFor !== undefined || transfer?.phase === 'talking' || (transfer?.phase === 'failed' && transfer.failure === 'refer-refused');
  const canCancel = call.consultFor !== undefined || (transfer !== undefined && transfer.phase !== 'completing' && transfer.phase !== 'done');
  const failed = transfer?.phase === 'failed';
  return (
    <div class="attended" data-testid="attended-transfer" data-phase={transfer?.phase ?? 'consult'} data-failure={transfer?.failure}>
      <p class={`call__note${failed ? ' call__note--error' : ''}`} role={failed ? 'alert' : undefined} data-testid="attended-transfer-text">
        {t(text.key, text.subs)}
      </p>
      {canComplete || canCancel ? (
        <div class="call__controls">
          {canComplete ? (
            <button type="button" key="transfer-complete" class="btn btn--ok" data-testid="call-transfer-complete" onClick={() => actions.transferComplete(call.id)}>
              {t('transferComplete')}
            </button>
          ) : null}
          {canCancel ? (
            <button type="button" key="transfer-cancel" class="btn" data-testid="call-transfer-cancel" onClick={() => actions.transferCancel(call.id)}>
              {t('transferCancel')}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
