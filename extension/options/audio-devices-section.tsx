import { useEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { t, type MessageKey } from '../lib/i18n';
import { AUDIO_DEVICES_KEY, defaultDevicePrefs, parseDevicePrefs, type AudioDevicePrefs } from '../media/device-prefs';
import { Ringer } from '../media/ringtone';

type Field = keyof AudioDevicePrefs;

const fields: { field: Field; kind: MediaDeviceKind; label: MessageKey }[] = [
  { field: 'micId', kind: 'audioinput', label: 'audioMic' },
  { field: 'speakerId', kind: 'audiooutput', label: 'audioSpeaker' },
  { field: 'ringerId', kind: 'audiooutput', label: 'audioRinger' },
];

/**
 * Microphone, speaker and ringer. Saved to storage.local, where the background picks the change
 * up and applies it to the engine at once, live calls included: no restart.
 */
export function AudioDevicesSection() {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [prefs, setPrefs] = useState<AudioDevicePrefs>(defaultDevicePrefs);
  const [testing, setTesting] = useState(false);
  const ringer = useRef<Ringer | undefined>(undefined);

  useEffect(() => {
    const list = () =>
      navigator.mediaDevices
        ?.enumerateDevices()
        .then(setDevices)
        .catch(() => setDevices([]));
    void browser.storage.local.get(AUDIO_DEVICES_KEY).then((s) => setPrefs(parseDevicePrefs(s[AUDIO_DEVICES_KEY])));
    void list();
    navigator.mediaDevices?.addEventListener('devicechange', list);
    return () => {
      navigator.mediaDevices?.removeEventListener('devicechange', list);
      ringer.current?.stop();
    };
  }, []);

  const choose = (field: Field, id: string) => {
    const next = { ...prefs, [field]: id };
    setPrefs(next);
    void browser.storage.local.set({ [AUDIO_DEVICES_KEY]: next });
  };

  const testRinger = async () => {
    ringer.current ??= new Ringer({
      createAudioElement: () => new Audio(),
      createObjectUrl: (blob) => URL.createObjectURL(blob),
      log: (m, e) => console.warn(m, e ?? ''),
    });
    const r = ringer.current;
    setTesting(true);
    await r.setSink(prefs.ringerId);
    await r.start({ loop: false });
    // One cadence (about 3 s), then the button is back.
    setTimeout(() => {
      r.stop();
      setTesting(false);
    }, 3_000);
  };

  // Without the microphone permission browsers hide device names (and Firefox most devices).
  const unnamed = devices.length > 0 && devices.every((d) => !d.label);
  const noOutputs = !devices.some((d) => d.kind === 'audiooutput');

  return (
    <section data-testid="audio-devices">
      <h2>{t('audioTitle')}</h2>
      {fields.map(({ field, kind, label }) => {
        const options = devices.filter((d) => d.kind === kind && d.deviceId && d.deviceId !== 'default');
        const chosen = prefs[field];
        return (
          <p key={field}>
            <label>
              {t(label)}{' '}
              <select value={chosen} data-field={field} onChange={(e) => choose(field, (e.currentTarget as HTMLSelectElement).value)}>
                <option value="">{t('audioDefault')}</option>
                {options.map((d, i) => (
                  <option key={d.deviceId} value={d.deviceId}>{d.label || `${t(label)} ${i + 1}`}</option>
                ))}
                {chosen && !options.some((d) => d.deviceId === chosen) ? <option value={chosen}>{t('audioUnavailable')}</option> : null}
              </select>
            </label>
          </p>
        );
      })}
      <p>
        <button type="button" disabled={testing} onClick={() => void testRinger()} data-testid="test-ringer">{t('audioTestRinger')}</button>
      </p>
      {unnamed ? (
        <p class="muted">
          {t('audioNoLabels')}{' '}
          <a href={browser.runtime.getURL('extension/setup/index.html')} target="_blank" rel="noreferrer">{t('audioAllowMic')}</a>
        </p>
      ) : null}
      {noOutputs ? <p class="muted">{t('audioNoOutputs')}</p> : null}
    </section>
  );
}
