import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CallInfo } from '../../shared/protocol';
import { callStateText, endReason, remoteParty } from '../lib/call-text';
import { t } from '../lib/i18n';
import { CallDuration } from './call-duration';
import { Keypad } from './keypad';
import { TransferForm } from './transfer-form';
import { AttendedTransferPanel } from './attended-transfer-panel';
import { ConferenceControls } from './conference-controls';

export interface CallActions {
  answer(id: string): void;
  decline(id: string): void;
  hangup(id: string): void;
  hold(id: string, hold: boolean): void;
  mute(id: string, mute: boolean): void;
  dtmf(id: string, tones: string): void;
  transfer(id: string, target: string): void;
  consult(id: string, target: string): void;
  transferComplete(id: string): void;
  transferCancel(id: string): void;
  merge(id: string): void;
  split(id: string): void;
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled])';

/**
 * One call: who, what it is doing, for how long, and only the controls that make sense now.
 * `waiting` says another call is up, so Answer will put that one on hold.
 */
export function CallCard({ call, actions, waiting, mergeable = false, others = [], onFocusLost }: { call: CallInfo; actions: CallActions; waiting: boolean; mergeable?: boolean; others?: CallInfo[]; onFocusLost(): void }) {
  const { id, state } = call;
  const [keypadOpen, setKeypadOpen] = useState(true);
  const card = useRef<HTMLLIElement>(null);
  const hadFocus = useRef(false);
  const { name, number, company, link } = remoteParty(call);
  const label = name ?? (number || t('callAnonymous'));
  const reason = endReason(call);
  const stateText = t(callStateText(call).key);

  // A state change swaps the buttons, and the focused one may vanish with focus falling to <body>:
  // a keyboard user would be thrown to the top of the popup. Keep focus in the card, or hand it on.
  useLayoutEffect(() => {
    if (!hadFocus.current) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const next = card.current?.querySelector<HTMLElement>(FOCUSABLE);
    if (next) next.focus();
    else {
      hadFocus.current = false;
      onFocusLost();
    }
  }, [state]);

  const live = state === 'active' || state === 'held';
  // Controls carry keys: without them Preact turns the focused Answer button into Keypad or Hang up,
  // and a second click meant for Answer lands on whatever took its place.
  return (
    <li
      class={`call call--${state}`}
      ref={card}
      data-testid="call"
      data-call-id={id}
      data-state={state}
      aria-label={t('callLabel', label)}
      onFocusIn={() => (hadFocus.current = true)}
      onFocusOut={(e) => {
        // Focus that leaves for nowhere (a removed button) is still ours to put back.
        const to = e.relatedTarget as Node | null;
        if (to && !card.current?.contains(to)) hadFocus.current = false;
      }}
    >
      <div class="call__head">
        <span class="call__dot" aria-hidden="true" />
        <span class="call__state">
          {reason ? t('callEndedWith', t(reason.key, reason.subs)) : stateText}
        </span>
        <CallDuration call={call} />
      </div>
      <div class="call__who">
        {link ? (
          // The contact's CRM page, as the lookup returned it (http/https only: crmLink).
          <a class="call__name call__name--link" data-testid="call-name" href={link} target="_blank" rel="noopener noreferrer" title={t('contactOpenCrm', label)}>
            {label}
          </a>
        ) : (
          <span class="call__name" data-testid="call-name" title={label}>
            {label}
          </span>
        )}
        {company ? (
          <span class="call__company" data-testid="call-company">
            {company}
          </span>
        ) : null}
        {name && number ? <span class="call__number">{number}</span> : null}
        {call.extId ? (
          <span class="call__ext" data-testid="call-ext-id">
            {t('callExtId', call.extId)}
          </span>
        ) : null}
      </div>
      {state === 'ringing-in' && waiting ? <p class="call__note">{t('callWaitingHint')}</p> : null}
      {call.remoteHold && state !== 'ended' ? <p class="call__note">{t('callRemoteHold')}</p> : null}
      {state === 'ended' ? null : (
        <div class="call__controls">
          {state === 'ringing-in' ? (
            <>
              <button type="button" key="call-answer" class="btn btn--ok" data-testid="call-answer" onClick={() => actions.answer(id)}>
                {t('callAnswer')}
              </button>
              <button type="button" key="call-decline" class="btn btn--danger" data-testid="call-decline" onClick={() => actions.decline(id)}>
                {t('callDecline')}
              </button>
            </>
          ) : (
            <>
              {live ? (
                <>
                  <button type="button" key="call-hold" class="btn" data-testid="call-hold" onClick={() => actions.hold(id, state === 'active')}>
                    {state === 'held' ? t('callResume') : t('callHold')}
                  </button>
                  <button type="button" key="call-mute" class={`btn${call.muted ? ' btn--on' : ''}`} data-testid="call-mute" onClick={() => actions.mute(id, !call.muted)}>
                    {call.muted ? t('callUnmute') : t('callMute')}
                  </button>
                </>
              ) : null}
              {state === 'active' ? (
                <button type="button" key="call-keypad" class="btn" aria-expanded={keypadOpen} data-testid="call-keypad" onClick={() => setKeypadOpen(!keypadOpen)}>
                  {t('callKeypad')}
                </button>
              ) : null}
              <button type="button" key="call-hangup" class="btn btn--danger call__hangup" data-testid="call-hangup" onClick={() => actions.hangup(id)}>
                {t('callHangup')}
              </button>
            </>
          )}
        </div>
      )}
      {state === 'active' && keypadOpen ? <Keypad label={t('callKeypadLabel', label)} testid="call-dtmf" onKey={(k) => actions.dtmf(id, k)} /> : null}
      {live && (mergeable || call.merged?.length) ? <ConferenceControls call={call} others={others} mergeable={mergeable} actions={actions} /> : null}
      {live && (call.transfer || call.consultFor) ? <AttendedTransferPanel call={call} actions={actions} /> : null}
      {live && !call.consultFor && (!call.transfer || call.transfer.phase === 'failed') ? (
        <TransferForm onTransfer={(target) => actions.transfer(id, target)} onConsult={(target) => actions.consult(id, target)} />
      ) : null}
    </li>
  );
}
