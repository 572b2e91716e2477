import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDevices, demoChromiumArgs } from '../../scripts/capture-devices.mjs';
import { tempDir } from '../support/temp';

/** Issue 12.7: `npm start` on a machine without a microphone must still give the demo working calls. */
describe('npm start: capture devices', () => {
  const dirs: { remove(): void }[] = [];
  const fresh = () => {
    const d = tempDir('snd');
    dirs.push(d);
    return d.path;
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('no /dev/snd and no sound server: absent, and Chromium gets its fake audio devices', () => {
    const r = captureDevices({ platform: 'linux', devSnd: join(fresh(), 'missing'), runtimeDir: fresh() });
    expect(r.present).toBe(false);
    const args = demoChromiumArgs({ profile: '/p', extensionDir: '/e', url: 'http://127.0.0.1:1/', noSandbox: false, captureDevice: r.present });
    expect(args).toContain('--use-fake-device-for-media-stream');
    expect(args.at(-1)).toBe('http://127.0.0.1:1/');
  });

  it('playback-only ALSA devices are not a microphone; a capture PCM is', () => {
    const snd = fresh();
    for (const f of ['controlC0', 'pcmC0D0p', 'timer']) writeFileSync(join(snd, f), '');
    expect(captureDevices({ platform: 'linux', devSnd: snd, runtimeDir: undefined }).present).toBe(false);
    writeFileSync(join(snd, 'pcmC0D0c'), '');
    expect(captureDevices({ platform: 'linux', devSnd: snd, runtimeDir: undefined })).toEqual({ present: true, why: 'ALSA capture pcmC0D0c' });
    expect(demoChromiumArgs({ profile: '/p', extensionDir: '/e', url: 'u', noSandbox: true, captureDevice: true })).not.toContain('--use-fake-device-for-media-stream');
  });

  it('a running sound server counts as present (it may offer sources of its own)', () => {
    const run = fresh();
    mkdirSync(join(run, 'pulse'));
    writeFileSync(join(run, 'pulse', 'native'), '');
    expect(captureDevices({ platform: 'linux', devSnd: join(run, 'none'), runtimeDir: run }).present).toBe(true);
  });
});
