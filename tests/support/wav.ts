import { readFileSync, writeFileSync } from 'node:fs';

/** Writes a 16-bit mono PCM WAV with a sine tone (Chromium's fake microphone plays it in a loop). */
export function writeToneWav(path: string, hz: number, seconds = 5, sampleRate = 48_000, amplitude = 0.5): void {
  const n = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / sampleRate) * amplitude * 32767), i * 2);
  }
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVE', 8);
  head.write('fmt ', 12);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(sampleRate, 24);
  head.writeUInt32LE(sampleRate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([head, data]));
}

export interface ToneAnalysis {
  seconds: number;
  /** RMS of the loudest half-second window, 0..1 full scale. */
  rms: number;
  /** Frequency estimated from zero crossings in that window. */
  hz: number;
}

/** Reads a PCM16 WAV (any channel count; the first channel is analysed). */
export function analyseWav(path: string, from = 0, to = Infinity): ToneAnalysis {
  const buf = readFileSync(path);
  let off = 12;
  let channels = 1;
  let rate = 8000;
  let data: Buffer | undefined;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(off + 10);
      rate = buf.readUInt32LE(off + 12);
    } else if (id === 'data') {
      data = buf.subarray(off + 8, Math.min(buf.length, off + 8 + size));
      break;
    }
    off += 8 + size + (size % 2);
  }
  if (!data) throw new Error(`${path}: no data chunk`);
  const frames = Math.floor(data.length / (2 * channels));
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) samples[i] = data.readInt16LE(i * 2 * channels) / 32768;
  const start = Math.max(0, Math.floor(from * rate));
  const end = Math.min(frames, Math.floor(to * rate));
  const win = Math.floor(rate / 2);
  let best = { rms: 0, hz: 0 };
  for (let w = start; w + win <= end; w += win) {
    let sum = 0;
    let crossings = 0;
    for (let i = w; i < w + win; i++) {
      sum += samples[i]! * samples[i]!;
      if (i > w && samples[i - 1]! < 0 && samples[i]! >= 0) crossings++;
    }
    const rms = Math.sqrt(sum / win);
    if (rms > best.rms) best = { rms, hz: crossings / (win / rate) };
  }
  return { seconds: frames / rate, ...best };
}
