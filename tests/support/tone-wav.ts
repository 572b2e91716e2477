import { writeFileSync } from 'node:fs';

/**
 * A pure tone as a 16-bit mono PCM WAV, for Chromium's `--use-file-for-fake-audio-capture` (the
 * fake microphone loops it). A whole number of cycles per file keeps the loop seamless.
 */
export function writeToneWav(path: string, o: { hz: number; seconds?: number; sampleRate?: number; amplitude?: number }): void {
  const sampleRate = o.sampleRate ?? 48_000;
  const seconds = o.seconds ?? 2;
  const amplitude = o.amplitude ?? 0.5;
  const n = Math.round(sampleRate * seconds);
  const data = Buffer.alloc(44 + n * 2);
  data.write('RIFF', 0, 'ascii');
  data.writeUInt32LE(36 + n * 2, 4);
  data.write('WAVEfmt ', 8, 'ascii');
  data.writeUInt32LE(16, 16);
  data.writeUInt16LE(1, 20); // PCM
  data.writeUInt16LE(1, 22); // mono
  data.writeUInt32LE(sampleRate, 24);
  data.writeUInt32LE(sampleRate * 2, 28);
  data.writeUInt16LE(2, 32);
  data.writeUInt16LE(16, 34);
  data.write('data', 36, 'ascii');
  data.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * o.hz * i) / sampleRate)), 44 + i * 2);
  writeFileSync(path, data);
}
