import { applySink } from './audio-output';

/**
 * The ringtone, synthesised here so the project ships no audio asset: a 400 + 450 Hz double ring
 * (0.4 s on, 0.2 s off, 0.4 s on, 2 s off), the cadence of a classic desk phone. Returned as a
 * 16-bit mono WAV that an <audio> element loops, because only a media element can be routed to
 * the ringer device (setSinkId) in both Chromium and Firefox.
 */
export function synthesizeRingtoneWav(sampleRate = 16_000): Uint8Array {
  const cadence: [on: boolean, seconds: number][] = [
    [true, 0.4],
    [false, 0.2],
    [true, 0.4],
    [false, 2.0],
  ];
  const total = Math.round(cadence.reduce((s, [, sec]) => s + sec, 0) * sampleRate);
  const samples = new Int16Array(total);
  const fade = Math.round(0.015 * sampleRate); // no clicks at the edges of a burst
  let at = 0;
  for (const [on, seconds] of cadence) {
    const n = Math.round(seconds * sampleRate);
    if (on) {
      for (let i = 0; i < n; i++) {
        const t = (at + i) / sampleRate;
        const envelope = Math.min(1, i / fade, (n - 1 - i) / fade);
        const v = 0.35 * Math.sin(2 * Math.PI * 400 * t) + 0.35 * Math.sin(2 * Math.PI * 450 * t);
        samples[at + i] = Math.round(v * envelope * 32767);
      }
    }
    at += n;
  }
  return wav(samples, sampleRate);
}

/** A canonical 44-byte-header PCM WAV, little-endian. */
export function wav(samples: Int16Array, sampleRate: number): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => v.setInt16(44 + i * 2, s, true));
  return bytes;
}

export interface RingerDeps {
  createAudioElement(): HTMLAudioElement;
  createObjectUrl(blob: Blob): string;
  log(message: string, err?: unknown): void;
}

/** Plays the ringtone in a loop on the ringer device until stopped. */
export class Ringer {
  private el: HTMLAudioElement | undefined;
  private sinkId = '';
  private ringing = false;

  constructor(private readonly deps: RingerDeps) {}

  get playing(): boolean {
    return this.ringing && !!this.el && !this.el.paused;
  }

  async start(options: { loop?: boolean } = {}): Promise<void> {
    if (this.ringing) return;
    this.ringing = true;
    const el = this.element();
    el.loop = options.loop ?? true;
    el.currentTime = 0;
    await applySink(el, this.sinkId, this.deps.log);
    if (!this.ringing) return;
    try {
      await el.play();
    } catch (err) {
      // Stopped before it started (AbortError) is the normal "answered at once" case.
      if ((err as { name?: string }).name !== 'AbortError') this.deps.log('the ringtone does not play', err);
    }
  }

  stop(): void {
    this.ringing = false;
    this.el?.pause();
  }

  setSink(sinkId: string): Promise<void> {
    this.sinkId = sinkId;
    return this.el ? applySink(this.el, sinkId, this.deps.log) : Promise.resolve();
  }

  private element(): HTMLAudioElement {
    if (!this.el) {
      const el = this.deps.createAudioElement();
      el.src = this.deps.createObjectUrl(new Blob([synthesizeRingtoneWav() as BlobPart], { type: 'audio/wav' }));
      el.addEventListener('ended', () => (this.ringing = false));
      this.el = el;
    }
    return this.el;
  }
}
