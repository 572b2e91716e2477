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
  const { samples, rate } = readPcm16(path);
  const frames = samples.length;
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

/**
 * The strongest frequency between `minHz` and `maxHz` (Goertzel, 2 Hz steps) in the loudest
 * half-second of a PCM16 WAV. Unlike zero crossings it is not pulled down by the gaps a loaded
 * receiver's jitter buffer leaves in a recording (Linphone's gave 386 Hz crossings for 440 Hz).
 */
export function peakHz(path: string, minHz = 100, maxHz = 2000): { hz: number; rms: number } {
  const { samples, rate } = readPcm16(path);
  const win = Math.floor(rate / 2);
  let start = 0;
  let bestRms = -1;
  for (let w = 0; w + win <= samples.length; w += Math.floor(win / 2)) {
    let sum = 0;
    for (let i = w; i < w + win; i++) sum += samples[i]! * samples[i]!;
    if (sum > bestRms) {
      bestRms = sum;
      start = w;
    }
  }
  let best = { hz: 0, power: -1 };
  for (let hz = minHz; hz <= Math.min(maxHz, rate / 2); hz += 2) {
    const coeff = 2 * Math.cos((2 * Math.PI * hz) / rate);
    let s1 = 0;
    let s2 = 0;
    for (let i = start; i < start + win && i < samples.length; i++) {
      const s0 = samples[i]! + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    if (power > best.power) best = { hz, power };
  }
  return { hz: best.hz, rms: Math.sqrt(Math.max(0, bestRms) / win) };
}

function readPcm16(path: string): { samples: Float32Array; rate: number } {
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
      // A recorder killed mid-call leaves a size that is too big (or 0): read what is there.
      data = buf.subarray(off + 8, size > 0 ? Math.min(buf.length, off + 8 + size) : buf.length);
      break;
    }
    off += 8 + size + (size % 2);
  }
  if (!data) throw new Error(`${path}: no data chunk`);
  const frames = Math.floor(data.length / (2 * channels));
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) samples[i] = data.readInt16LE(i * 2 * channels) / 32768;
  return { samples, rate };
}

/**
 * The amplitude (0..1 full scale) of one frequency between `from` and `to` seconds of a PCM16 WAV
 * (Goertzel over the whole span): tells apart tones that sound together, as in a conference mix.
 */
export function toneAmplitude(path: string, hz: number, from = 0, to = Infinity): number {
  const { samples, rate } = readPcm16(path);
  const start = Math.max(0, Math.floor(from * rate));
  const end = Math.min(samples.length, Math.floor(to * rate));
  const n = end - start;
  if (n <= 0) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < end; i++) {
    const s0 = samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / n;
}
