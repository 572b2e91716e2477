import type { CallInfo, ColleagueLamp, ColleaguesView } from '../../shared/protocol';
import { t, type MessageKey } from '../lib/i18n';

const LAMP_TEXT: Record<ColleagueLamp, MessageKey> = {
  idle: 'colleagueLampIdle',
  ringing: 'colleagueLampRinging',
  'on-call': 'colleagueLampOnCall',
  offline: 'colleagueLampOffline',
  unknown: 'colleagueLampUnknown',
};

export interface ColleagueActions {
  dial(number: string): void;
  transfer(id: string, target: string): void;
  pickUp(ext: string): void;
}

/**
 * Colleagues' lamps (issue 17), in the popup and the phone window: a click calls; a ringing
 * colleague's call can be picked up; during a call each colleague is a one-click (blind) transfer.
 */
export function ColleaguesPanel({ view, calls, canDial, actions }: { view: ColleaguesView | undefined; calls: CallInfo[]; canDial: boolean; actions: ColleagueActions }) {
  if (!view || view.colleagues.length === 0) return null;
  // The call a transfer would move: the one being talked on, else one on hold.
  const current = calls.find((c) => c.state === 'active') ?? calls.find((c) => c.state === 'held');
  return (
    <section class="colleagues" aria-label={t('colleaguesHeading')} data-testid="colleagues">
      <h2 class="colleagues__title">{t('colleaguesHeading')}</h2>
      {view.requested > view.colleagues.length ? (
        <p class="hint" data-testid="colleagues-limited">
          {t('colleaguesLimited', [String(view.colleagues.length), String(view.requested)])}
        </p>
      ) : null}
      <ul class="colleagues__list">
        {view.colleagues.map((c) => {
          const caller = c.caller ? (c.caller.name ? `${c.caller.name} (${c.caller.number})` : c.caller.number) : undefined;
          return (
            <li key={c.ext} class={`colleague colleague--${c.lamp}`} data-testid="colleague" data-ext={c.ext} data-lamp={c.lamp}>
              <span class="colleague__lamp" aria-hidden="true" />
              <span class="colleague__ext">{c.ext}</span>
              <span class="colleague__state" data-testid="colleague-state">
                {t(LAMP_TEXT[c.lamp])}
                {caller ? <span data-testid="colleague-caller"> · {t('colleagueRingingFrom', caller)}</span> : null}
              </span>
              {canDial && c.lamp === 'ringing' ? (
                <button type="button" class="btn btn--small" data-testid="colleague-pickup" onClick={() => actions.pickUp(c.ext)}>
                  {t('colleaguePickUp')}
                </button>
              ) : null}
              {canDial && current ? (
                <button type="button" class="btn btn--small" data-testid="colleague-transfer" onClick={() => actions.transfer(current.id, c.ext)}>
                  {t('colleagueTransfer')}
                </button>
              ) : canDial ? (
                <button type="button" class="btn btn--small btn--quiet" data-testid="colleague-call" aria-label={`${t('colleagueCall')} ${c.ext}`} onClick={() => actions.dial(c.ext)}>
                  {t('colleagueCall')}
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
