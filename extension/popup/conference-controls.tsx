import type { CallInfo } from '../../shared/protocol';
import { remoteLabel } from '../lib/call-text';
import { t } from '../lib/i18n';
import type { CallActions } from './call-card';

/** Merge (two answered calls, not merged) or, once merged, who this call is mixed with and Split (issue 17). */
export function ConferenceControls({ call, others, mergeable, actions }: { call: CallInfo; others: CallInfo[]; mergeable: boolean; actions: CallActions }) {
  if (call.merged?.length) {
    const names = call.merged.map((id) => others.find((c) => c.id === id)).map((c) => (c ? remoteLabel(c) || t('callAnonymous') : '')).filter(Boolean);
    return (
      <div class="conference" data-testid="conference">
        <p class="call__note" data-testid="conference-text">
          {t('callConference', names.join(', '))}
        </p>
        <div class="call__controls">
          <button type="button" key="call-split" class="btn" data-testid="call-split" onClick={() => actions.split(call.id)}>
            {t('callSplit')}
          </button>
        </div>
      </div>
    );
  }
  if (!mergeable) return null;
  return (
    <div class="call__controls">
      <button type="button" key="call-merge" class="btn" data-testid="call-merge" title={t('callMergeHint')} onClick={() => actions.merge(call.id)}>
        {t('callMerge')}
      </button>
    </div>
  );
}
