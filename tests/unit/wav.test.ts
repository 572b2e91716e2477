import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseWav, writeToneWav } from '../support/wav';

describe('tone WAV helpers (used to prove audio flowed)', () => {
  it('measures the tone it wrote', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wav-')), 't.wav');
    writeToneWav(path, 440, 1);
    const a = analyseWav(path);
    expect(a.hz).toBeGreaterThan(430);
    expect(a.hz).toBeLessThan(450);
    expect(a.rms).toBeGreaterThan(0.3);
  });
  it('reports silence as silence', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wav-')), 's.wav');
    writeToneWav(path, 440, 1, 48_000, 0);
    expect(analyseWav(path).rms).toBe(0);
  });
});
