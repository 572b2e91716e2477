import type { HistoryRecord } from '../../shared/protocol';
import { crmLink, endCauseText, formatDuration } from '../lib/call-text';
import { language, t, type MessageKey } from '../lib/i18n';
import { plainText } from '../lib/plain-text';
import { AddContact } from './add-contact';

export interface RecentActions {
  callBack(record: HistoryRecord): void;
  exportCsv(): void;
  /** Saves a Recent entry as a local contact (issue 18). */
  addContact?(name: string, company: string, number: string): Promise<void>;
}

/** The result as the user would say it; an outgoing call nobody picked up is "no answer", not "missed". */
export function resultKey(r: HistoryRecord): MessageKey {
  if (r.dnd) return 'histDnd';
  switch (r.result) {
    case 'answered':
      return 'histAnswered';
    case 'missed':
      return r.direction === 'in' ? 'histMissed' : 'histNoAnswer';
    case 'busy':
      return 'histBusy';
    case 'declined':
      return 'histDeclined';
    case 'failed':
      return 'histFailed';
  }
}

/** The result in words; a failed call says why (no microphone, refused by the PBX, …). */
export function resultText(r: HistoryRecord): string {
  if (r.result === 'failed' && r.reason && r.reason !== 'failed') {
    const why = endCauseText({ reason: r.reason, ...(r.code !== undefined ? { code: r.code } : {}) });
    return t('histFailedWhy', t(why.key, why.subs));
  }
  if (r.result === 'failed' && r.code !== undefined) {
    // "Failed: failed (SIP 403)" says it twice: the status alone then.
    return t('histFailedWhy', `SIP ${r.code}`);
  }
  return t(resultKey(r));
}

/** Today: the time; earlier: the date and time, in the UI's language. */
export function whenText(ms: number, now: number): string {
  const d = new Date(ms);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  const fmt = new Intl.DateTimeFormat(language(), sameDay ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' });
  return fmt.format(d);
}

/**
 * The Recent tab: every finished call, newest first; a click calls the number back (with the
 * same external id, so the CRM context follows). The host keeps the history; this is a view.
 */
export function RecentList({ records, actions, canCall, now }: { records: HistoryRecord[] | undefined; actions: RecentActions; canCall: boolean; now: number }) {
  if (records === undefined) return <p class="hint">{t('histUnavailable')}</p>;
  return (
    <section class="recent" aria-label={t('tabRecent')}>
      {records.length === 0 ? <p class="hint" data-testid="recent-empty">{t('histEmpty')}</p> : null}
      <ul class="recent__list">
        {records.map((r) => {
          const number = plainText(r.number, 48);
          const name = r.name ? plainText(r.name, 64) : '';
          const who = name && name !== number ? name : number || t('callAnonymous');
          const result = resultText(r);
          const dir = t(r.direction === 'in' ? 'histIncoming' : 'histOutgoing');
          return (
            <li key={r.seq} class={`recent__item recent__item--${r.result}`} data-testid="recent" data-result={r.result} data-direction={r.direction} data-number={r.number}>
              <button
                type="button"
                class="recent__call"
                data-testid="recent-call"
                disabled={!canCall || !number}
                title={t('histCallBack', who)}
                aria-label={`${t('histCallBack', who)}. ${dir}, ${result}`}
                onClick={() => actions.callBack(r)}
              >
                <span class={`recent__dir recent__dir--${r.direction}`} aria-hidden="true">{r.direction === 'in' ? '↙' : '↗'}</span>
                <span class="recent__who">
                  <span class="recent__name">{who}</span>
                  {r.company ? <span class="recent__company" data-testid="recent-company">{plainText(r.company, 64)}</span> : null}
                  {name && name !== number ? <span class="recent__number">{number}</span> : null}
                  {r.extId ? <span class="recent__ext">{t('callExtId', plainText(r.extId, 64))}</span> : null}
                  {r.transferredTo ? (
                    <span class="recent__ext" data-testid="recent-transferred">
                      {t('historyTransferredTo', plainText(r.transferredTo, 64))}
                    </span>
                  ) : null}
                  {r.conferenceWith?.length ? (
                    <span class="recent__ext" data-testid="recent-conference">
                      {t('historyConferenceWith', r.conferenceWith.map((n) => plainText(n, 64)).join(', '))}
                    </span>
                  ) : null}
                </span>
                <span class="recent__meta">
                  <span class={`recent__result recent__result--${r.result}`} data-testid="recent-result">{result}</span>
                  <span class="recent__when">
                    {whenText(r.startedAt, now)}
                    {r.result === 'answered' ? ` · ${formatDuration(r.durationMs)}` : ''}
                  </span>
                </span>
              </button>
              {crmLink(r.link) ? (
                <a class="recent__link link" data-testid="recent-link" href={crmLink(r.link)} target="_blank" rel="noopener noreferrer">
                  {t('contactOpenCrm', who)}
                </a>
              ) : null}
              {actions.addContact && number && /^[+0-9]/.test(r.number) ? <AddContact record={r} add={actions.addContact} /> : null}
            </li>
          );
        })}
      </ul>
      {records.length ? (
        <p class="recent__footer">
          <button type="button" class="link" data-testid="recent-export" onClick={actions.exportCsv}>{t('histExport')}</button>
        </p>
      ) : null}
    </section>
  );
}
