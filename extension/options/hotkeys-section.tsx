import { useEffect, useState } from 'preact/hooks';
import { captureCombination, displayCombination, type DisplayPlatform } from '../../shared/hotkeys/combination';
import type { HotkeyBinding, HotkeyStatus } from '../../shared/protocol';
import { defaultHotkeys, HOTKEY_ACTIONS, hotkeySettingsSchema, type HotkeyAction, type HotkeySettings } from '../../shared/settings/hotkeys';
import { t, type MessageKey } from '../lib/i18n';
import { Locked } from './locked-note';
import type { UiAction } from '../lib/ui-state';

const platform: DisplayPlatform = /Mac/i.test(navigator.userAgent) ? 'mac' : /Windows/i.test(navigator.userAgent) ? 'win' : 'linux';

const ACTION_LABEL: Record<HotkeyAction, MessageKey> = { dial: 'hotkeysDial', show: 'hotkeysShow' };
const STATE_LABEL: Record<HotkeyBinding['state'], MessageKey> = {
  grabbed: 'hotkeysStateGrabbed',
  listening: 'hotkeysStateListening',
  'in-use': 'hotkeysStateInUse',
  unbound: 'hotkeysStateUnbound',
  failed: 'hotkeysStateFailed',
};
const REASON_LABEL: Record<NonNullable<HotkeyStatus['reason']>, MessageKey> = {
  wayland: 'hotkeysWayland',
  'no-display': 'hotkeysNoDisplay',
  'x-server': 'hotkeysXServer',
  disabled: 'hotkeysDisabled',
  'helper-failed': 'hotkeysHelperFailed',
  'unsupported-platform': 'hotkeysUnsupported',
};

/** A field that records the next key combination pressed while it has the focus. */
function KeyCapture({ action, value, onChange, disabled }: { action: HotkeyAction; value: string | null; onChange(v: string | null, error?: string): void; disabled?: boolean }) {
  const [listening, setListening] = useState(false);
  const [held, setHeld] = useState('');
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey) return; // keep the page navigable
    e.preventDefault();
    e.stopPropagation();
    if (e.key === 'Escape') {
      (e.currentTarget as HTMLElement).blur();
      return;
    }
    if ((e.key === 'Backspace' || e.key === 'Delete') && !e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey) {
      onChange(null);
      return;
    }
    const r = captureCombination(e);
    if (r.ok === 'pending') {
      setHeld([e.ctrlKey && 'Ctrl', e.altKey && 'Alt', e.shiftKey && 'Shift', e.metaKey && 'Super'].filter(Boolean).join('+') + '+…');
      return;
    }
    setHeld('');
    if (r.ok) onChange(r.text);
    else onChange(value, r.error);
  };
  const shown = listening && held ? held : value ? displayCombination(value, platform) : t('hotkeysNone');
  return (
    <button
      type="button"
      disabled={disabled}
      class={`key-capture${listening ? ' key-capture--listening' : ''}`}
      data-testid={`hotkey-${action}`}
      data-value={value ?? ''}
      aria-label={t(ACTION_LABEL[action])}
      onFocus={() => setListening(true)}
      onBlur={() => {
        setListening(false);
        setHeld('');
      }}
      onKeyDown={onKeyDown}
    >
      {listening && !held ? t('hotkeysPressKeys') : shown}
    </button>
  );
}

/**
 * System-wide hotkeys: dial the highlighted number, bring the phone window to the front. The
 * combinations are saved in the host's settings; the host grabs them and reports what it got
 * ("in use" when another program holds one), or why it holds none (Wayland, no X server).
 */
export function HotkeysSection({ settings, status, act, locked = [] }: { settings: HotkeySettings | undefined; status: HotkeyStatus | undefined; act(a: UiAction): Promise<unknown>; locked?: readonly string[] }) {
  const lk = (field: string) => locked.includes(`hotkeys.${field}`);
  const saved = settings ?? defaultHotkeys();
  const [draft, setDraft] = useState<HotkeySettings>(saved);
  const [note, setNote] = useState('');
  useEffect(() => setDraft(saved), [saved.enabled, saved.dial, saved.show]);

  const save = async (next: HotkeySettings) => {
    setDraft(next);
    const checked = hotkeySettingsSchema.safeParse(next);
    if (!checked.success) {
      setNote(checked.error.issues[0]?.message ?? 'invalid');
      return;
    }
    try {
      await act({ type: 'settings.set', section: 'hotkeys', value: checked.data });
      setNote(t('hotkeysSaved'));
    } catch (err) {
      setNote((err as Error).message);
    }
  };

  const binding = (action: HotkeyAction) => status?.bindings.find((b) => b.action === action);
  const unavailable = status && !status.available && status.reason ? status.reason : undefined;

  return (
    <section data-testid="hotkeys">
      <h2>{t('hotkeysTitle')}</h2>
      {unavailable ? (
        <p class={unavailable === 'disabled' ? 'muted' : 'status--error'} data-testid="hotkeys-unavailable" data-reason={unavailable}>
          {t(REASON_LABEL[unavailable])}
          {unavailable === 'wayland' ? (
            <>
              <br />
              <code>voispeed dial-selection</code> · <code>voispeed show</code>
            </>
          ) : null}
          {status?.message && unavailable !== 'wayland' && unavailable !== 'disabled' ? <span class="muted"> ({status.message})</span> : null}
        </p>
      ) : null}
      <label>
        <input type="checkbox" data-testid="hotkeys-enabled" checked={draft.enabled} disabled={lk('enabled')} onChange={(e) => void save({ ...draft, enabled: (e.target as HTMLInputElement).checked })} />{' '}
        {t('hotkeysEnabled')} <Locked on={lk('enabled')} />
      </label>
      <dl>
        {HOTKEY_ACTIONS.map((action) => {
          const b = binding(action);
          const current = b && b.combination === draft[action] && !unavailable;
          return (
            <>
              <dt>{t(ACTION_LABEL[action])}</dt>
              <dd>
                <KeyCapture
                  action={action}
                  value={draft[action]}
                  disabled={lk(action)}
                  onChange={(value, error) => (error ? setNote(error) : void save({ ...draft, [action]: value }))}
                />{' '}
                <Locked on={lk(action)} />
                {current ? (
                  <span class={b.state === 'in-use' || b.state === 'failed' ? 'status--error' : 'muted'} data-testid={`hotkey-${action}-state`} data-state={b.state}>
                    {t(STATE_LABEL[b.state])}
                  </span>
                ) : null}
              </dd>
            </>
          );
        })}
      </dl>
      <p class="muted">{t('hotkeysCaptureHint')}</p>
      <p class="muted">{t('hotkeysCaptureHint')}</p>
      <p>
        <button type="button" data-testid="hotkeys-defaults" disabled={lk('dial') || lk('show')} onClick={() => void save({ ...defaultHotkeys(), enabled: draft.enabled })}>
          {t('hotkeysDefaults')}
        </button>{' '}
        <span class="muted" role="status" data-testid="hotkeys-note">{note}</span>
      </p>
      <p class="muted">{t('hotkeysHelp', [displayCombination(defaultHotkeys().dial!, platform), displayCombination(defaultHotkeys().show!, platform)])}</p>
    </section>
  );
}
