import { describe, expect, it } from 'vitest';
import { dominantFrequency, rms } from './audio-probe';

/** Magnitude spectrum of a Hann-windowed sine, bins 0..limit only (enough for the test). */
function spectrum(freq: number, sampleRate: number, fftSize: number, limit = 200): Float64Array {
  const out = new Float64Array(fftSize / 2);
  const x = Array.from({ length: fftSize }, (_, n) => Math.sin((2 * Math.PI * freq * n) / sampleRate) * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / fftSize)));
  for (let k = 0; k < limit; k++) {
    let re = 0;
    let im = 0;
    for (let n = 0; n < fftSize; n++) {
      re += x[n]! * Math.cos((2 * Math.PI * k * n) / fftSize);
      im -= x[n]! * Math.sin((2 * Math.PI * k * n) / fftSize);
    }
    out[k] = Math.hypot(re, im);
  }
  return out;
}

describe('audio probe maths', () => {
  it('rms of a full-scale sine is 1/√2, of silence 0', () => {
    const sine = Float32Array.from({ length: 4800 }, (_, n) => Math.sin((2 * Math.PI * 440 * n) / 48_000));
    expect(rms(sine)).toBeCloseTo(Math.SQRT1_2, 3);
    expect(rms(new Float32Array(128))).toBe(0);
    expect(rms([])).toBe(0);
  });

  it('finds 440 Hz within 1 % although it falls between two bins', () => {
    const hz = dominantFrequency(spectrum(440, 48_000, 8192), 48_000, 8192);
    expect(Math.abs(hz - 440) / 440).toBeLessThan(0.01);
  });

  it('ignores hum below 50 Hz and reports 0 for silence', () => {
    const s = spectrum(440, 48_000, 8192);
    s[3] = 1e9; // 17 Hz
    expect(Math.round(dominantFrequency(s, 48_000, 8192))).toBeGreaterThan(430);
    expect(dominantFrequency(new Float64Array(4096), 48_000, 8192)).toBe(0);
  });
});
