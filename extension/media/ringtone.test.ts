import { describe, expect, it } from 'vitest';
import { synthesizeRingtoneWav } from './ringtone';

describe('synthesized ringtone', () => {
  const bytes = synthesizeRingtoneWav(16_000);
  const view = new DataView(bytes.buffer);
  const text = (at: number, n: number) => String.fromCharCode(...bytes.slice(at, at + n));
  const sample = (seconds: number) => view.getInt16(44 + Math.round(seconds * 16_000) * 2, true);

  it('is a valid 16-bit mono PCM WAV of one 3 s cadence', () => {
    expect(text(0, 4)).toBe('RIFF');
    expect(text(8, 8)).toBe('WAVEfmt ');
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(1);
    expect(view.getUint32(24, true)).toBe(16_000);
    expect(view.getUint16(34, true)).toBe(16);
    expect(text(36, 4)).toBe('data');
    expect(view.getUint32(40, true)).toBe(bytes.length - 44);
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    expect((bytes.length - 44) / 2 / 16_000).toBeCloseTo(3.0, 5);
  });

  it('rings, pauses, rings, then stays silent, without clipping', () => {
    let peak = 0;
    for (let i = 44; i < bytes.length; i += 2) peak = Math.max(peak, Math.abs(view.getInt16(i, true)));
    expect(peak).toBeGreaterThan(15_000);
    expect(peak).toBeLessThan(32_767);
    const loud = (from: number, to: number) => {
      let max = 0;
      for (let s = from; s < to; s += 1 / 16_000) max = Math.max(max, Math.abs(sample(s)));
      return max;
    };
    expect(loud(0.1, 0.3)).toBeGreaterThan(10_000);
    expect(loud(0.42, 0.58)).toBe(0);
    expect(loud(0.7, 0.9)).toBeGreaterThan(10_000);
    expect(loud(1.02, 2.99)).toBe(0);
    // Edges fade in and out: no click.
    expect(Math.abs(sample(0))).toBe(0);
  });
});
