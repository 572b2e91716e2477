import { useEffect, useState } from 'preact/hooks';
import type { PublicSettings } from '../../shared/settings';
import { t } from '../lib/i18n';
import type { SaveSection } from './options-view';
import { usePreferencesSave } from './preferences-save';

/** The list as typed: one extension per line, or separated by commas, semicolons or spaces. */
export function parseColleagueList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** Desk-phone features: colleagues' lamps (which, how to pick up), the voicemail number, intercom auto-answer. */
export function ColleaguesSection({ settings, save }: { settings: PublicSettings | undefined; save: SaveSection }) {
  const prefs = settings?.preferences;
  const [list, setList] = useState((prefs?.colleagues ?? []).join('\n'));
  const [code, setCode] = useState(prefs?.pickupCode ?? '');
  const [voicemail, setVoicemail] = useState(prefs?.voicemailNumber ?? '');
  useEffect(() => setVoicemail(prefs?.voicemailNumber ?? ''), [prefs?.voicemailNumber]);
  const { note, apply: applyPrefs } = usePreferencesSave(prefs, save);
  useEffect(() => setList((prefs?.colleagues ?? []).join('\n')), [prefs?.colleagues.join(',')]);
  useEffect(() => setCode(prefs?.pickupCode ?? ''), [prefs?.pickupCode]);

  // The typed fields go with every change (a checkbox click also saves what was typed), as before.
  const apply = (change: Record<string, unknown> = {}) =>
    applyPrefs({ ...change, colleagues: parseColleagueList(list), pickupCode: code.trim(), voicemailNumber: voicemail.trim() });

  return (
    <section id="colleagues" data-testid="colleagues-prefs">
      <h2>{t('optionsColleagues')}</h2>
      <label class="inline">
        <input type="checkbox" data-testid="opt-auto-answer" disabled={!prefs} checked={prefs?.autoAnswer ?? false} onChange={(e) => void apply({ autoAnswer: (e.currentTarget as HTMLInputElement).checked })} />{' '}
        {t('autoAnswerLabel')}
      </label>
      <p class="muted">{t('autoAnswerHint')}</p>
      <form
        class="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <label>
          <span>{t('fieldColleagues')}</span>
          <textarea data-testid="opt-colleagues" rows={4} value={list} onInput={(e) => setList((e.currentTarget as HTMLTextAreaElement).value)} />
        </label>
        <p class="muted">{t('colleaguesListHint')}</p>
        <label>
          <span>{t('fieldPickupCode')}</span>
          <input type="text" data-testid="opt-pickup-code" maxLength={16} value={code} onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <p class="muted">{t('pickupCodeHint')}</p>
        <label>
          <span>{t('fieldVoicemailNumber')}</span>
          <input type="text" data-testid="opt-voicemail-number" maxLength={32} value={voicemail} onInput={(e) => setVoicemail((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <p class="muted">{t('voicemailNumberHint')}</p>
        <button type="submit" data-testid="opt-colleagues-save" disabled={!prefs}>{t('optionsSave')}</button>
      </form>
      <p class={note?.error ? 'error' : 'muted'} role={note?.error ? 'alert' : 'status'} data-testid="colleagues-note">{note?.text ?? ''}</p>
    </section>
  );
}
