import { useEffect, useState } from 'preact/hooks';
import type { PublicSettings } from '../../shared/settings';
import { t } from '../lib/i18n';
import type { SaveSection } from './options-view';
import { usePreferencesSave } from './preferences-save';
import { RtpPortsForm } from './rtp-ports-form';

/** Do-not-disturb (applies at once), how many calls the history keeps, the CSV export, and the media gateway's RTP ports. */
export function CallsSection({ settings, save, exportCsv, historyCount }: { settings: PublicSettings | undefined; save: SaveSection; exportCsv(): void; historyCount: number | undefined }) {
  const prefs = settings?.preferences;
  const [size, setSize] = useState(String(prefs?.historySize ?? ''));
  const { note, apply } = usePreferencesSave(prefs, save);
  useEffect(() => setSize(String(prefs?.historySize ?? '')), [prefs?.historySize]);

  return (
    <section id="calls" data-testid="calls-prefs">
      <h2>{t('optionsCalls')}</h2>
      <label class="inline">
        <input type="checkbox" data-testid="opt-dnd" disabled={!prefs} checked={prefs?.dnd ?? false} onChange={(e) => void apply({ dnd: (e.currentTarget as HTMLInputElement).checked })} />{' '}
        {t('dndLabel')}
      </label>
      <p class="muted">{t('dndHint')}</p>
      <form
        class="form form--row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void apply({ historySize: Number(size) });
        }}
      >
        <label>
          <span>{t('fieldHistorySize')}</span>
          <input type="number" data-testid="opt-history-size" min={100} max={100000} step={100} value={size} onInput={(e) => setSize((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={!prefs}>{t('optionsSave')}</button>
      </form>
      <RtpPortsForm prefs={prefs} apply={apply} />
      <label class="inline">
        <input type="checkbox" data-testid="opt-srtp-on-tls" disabled={!prefs} checked={prefs?.srtpOnTls ?? false} onChange={(e) => void apply({ srtpOnTls: (e.currentTarget as HTMLInputElement).checked })} />{' '}
        {t('srtpOnTlsLabel')}
      </label>
      <p class="muted">{t('srtpOnTlsHint')}</p>
      <p>
        <button type="button" data-testid="opt-export" onClick={exportCsv} disabled={!historyCount}>{t('histExport')}</button>{' '}
        {historyCount !== undefined ? <span class="muted">{t('histCount', String(historyCount))}</span> : null}
      </p>
      <p class={note?.error ? 'error' : 'muted'} role={note?.error ? 'alert' : 'status'} data-testid="calls-note">{note?.text ?? ''}</p>
    </section>
  );
}
