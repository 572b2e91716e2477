/**
 * The audio devices the user picked in the options page. Kept in storage.local (per browser
 * profile: device ids are per origin and per machine, so they must not sync). An empty id means
 * the system default.
 */
export interface AudioDevicePrefs {
  micId: string;
  speakerId: string;
  ringerId: string;
}

export const AUDIO_DEVICES_KEY = 'audioDevices';

export const defaultDevicePrefs: AudioDevicePrefs = { micId: '', speakerId: '', ringerId: '' };

/** Whatever storage holds (missing, old or hand-edited) becomes a complete, valid value. */
export function parseDevicePrefs(raw: unknown): AudioDevicePrefs {
  const r = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const id = (v: unknown) => (typeof v === 'string' && v.length <= 512 ? v : '');
  return { micId: id(r.micId), speakerId: id(r.speakerId), ringerId: id(r.ringerId) };
}

export function sameDevicePrefs(a: AudioDevicePrefs, b: AudioDevicePrefs): boolean {
  return a.micId === b.micId && a.speakerId === b.speakerId && a.ringerId === b.ringerId;
}
