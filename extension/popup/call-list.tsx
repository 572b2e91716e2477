import { useEffect, useRef, useState } from 'preact/hooks';
import type { CallInfo, CallState } from '../../shared/protocol';
import { callStateText, endReason, remoteLabel } from '../lib/call-text';
import { t } from '../lib/i18n';
import { CallCard, type CallActions } from './call-card';

function spokenState(call: CallInfo): string {
  const reason = endReason(call);
  return reason ? t('callEndedWith', t(reason.key, reason.subs)) : t(callStateText(call).key);
}

/**
 * The live calls, ringing ones first then oldest first, and one polite live region that says what changed: regions
 * inserted with a new card are not reliably announced, a region that is always there is.
 */
export function CallList({ calls, actions, onFocusLost }: { calls: CallInfo[]; actions: CallActions; onFocusLost(): void }) {
  const seen = useRef<Map<string, CallState> | undefined>(undefined);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    const before = seen.current;
    seen.current = new Map(calls.map((c) => [c.id, c.state]));
    // What was there when the popup opened is on screen already; only changes are news.
    if (!before) return;
    const changed = calls.filter((c) => before.get(c.id) !== c.state);
    if (changed.length) {
      setAnnouncement(changed.map((c) => t('callAnnounce', [remoteLabel(c) || t('callAnonymous'), spokenState(c)])).join('. '));
    }
  }, [calls]);

  const up = calls.filter((c) => c.state === 'active' || c.state === 'held');
  // Merge: exactly two answered calls, neither in a transfer nor merged already.
  const mergeable = up.length === 2 && up.every((c) => !c.transfer && !c.consultFor && !c.merged?.length);
  // A ringing call goes on top: below an active call's keypad it would be out of sight in a 600 px popup.
  const shown = [...calls.filter((c) => c.state === 'ringing-in'), ...calls.filter((c) => c.state !== 'ringing-in')];
  return (
    <>
      <p class="sr-only" role="status" aria-live="polite" data-testid="call-announcer">
        {announcement}
      </p>
      {calls.length ? (
        <section class="calls" aria-label={t('callsHeading')}>
          <ul class="calls__list">
            {shown.map((call) => (
              <CallCard key={call.id} call={call} actions={actions} waiting={up.some((c) => c.id !== call.id)} mergeable={mergeable} others={calls} onFocusLost={onFocusLost} />
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
