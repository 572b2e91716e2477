import type { VoicemailState } from '../../shared/protocol';
import { t } from '../lib/i18n';

/** New and old voicemail messages, once the PBX said anything, with the one-click call. */
export function VoicemailLine({ voicemail, canDial, onCall }: { voicemail: VoicemailState | undefined; canDial: boolean; onCall(): void }) {
  if (!voicemail?.known) return null;
  const fresh = voicemail.waiting ? voicemail.newMessages : 0;
  return (
    <section class={`voicemail${fresh > 0 ? ' voicemail--new' : ''}`} data-testid="voicemail" data-new={String(fresh)} data-old={String(voicemail.oldMessages)}>
      <span class="voicemail__text" data-testid="voicemail-text">
        {fresh > 0 || voicemail.waiting ? t('voicemailWaiting', [String(fresh), String(voicemail.oldMessages)]) : t('voicemailNone', String(voicemail.oldMessages))}
      </span>
      {canDial ? (
        <button type="button" class="btn btn--small" data-testid="voicemail-call" onClick={onCall}>
          {t('voicemailCall')}
        </button>
      ) : null}
    </section>
  );
}
