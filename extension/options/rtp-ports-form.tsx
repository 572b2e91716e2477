import { useEffect, useState } from 'preact/hooks';
import type { Preferences } from '../../shared/settings/preferences';
import { t } from '../lib/i18n';

/**
 * The media gateway's UDP port range toward a plain SIP PBX (DESIGN section 11): what a firewall
 * between the computer and the PBX must let through. Checked by the one preferences schema on apply.
 */
export function RtpPortsForm({ prefs, apply }: { prefs: Preferences | undefined; apply(change: Partial<Preferences>): Promise<void> }) {
  const [min, setMin] = useState(String(prefs?.rtpPorts.min ?? ''));
  const [max, setMax] = useState(String(prefs?.rtpPorts.max ?? ''));
  useEffect(() => {
    setMin(String(prefs?.rtpPorts.min ?? ''));
    setMax(String(prefs?.rtpPorts.max ?? ''));
  }, [prefs?.rtpPorts.min, prefs?.rtpPorts.max]);
  return (
    <form
      class="form form--row"
      noValidate
      data-testid="opt-rtp-ports"
      onSubmit={(e) => {
        e.preventDefault();
        void apply({ rtpPorts: { min: Number(min), max: Number(max) } });
      }}
    >
      <fieldset>
        <legend>{t('fieldRtpPorts')}</legend>
        <label>
          <span>{t('fieldRtpFirst')}</span>
          <input type="number" data-testid="opt-rtp-min" min={1024} max={65534} value={min} onInput={(e) => setMin((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          <span>{t('fieldRtpLast')}</span>
          <input type="number" data-testid="opt-rtp-max" min={1025} max={65535} value={max} onInput={(e) => setMax((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <p class="muted">{t('rtpPortsHint')}</p>
      </fieldset>
      <button type="submit" disabled={!prefs}>{t('optionsSave')}</button>
    </form>
  );
}
