import { fork } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FromHelper } from '../../native-host/src/hotkeys/uiohook/messages';
import { UiohookBackend, type HelperProcess } from '../../native-host/src/hotkeys/uiohook/uiohook-backend';
import type { HotkeyAction } from '../../shared/settings/hotkeys';
import { repoRoot } from '../support/host-process';
import { startXvfb, type Xvfb } from '../support/xvfb';

const helperPath = join(repoRoot, 'dist/host/hotkeys-helper.cjs');

function spawnHelper(env: NodeJS.ProcessEnv): HelperProcess {
  const child = fork(helperPath, [], { env, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  return {
    send: (m) => child.send(m),
    onMessage: (l) => child.on('message', (m) => l(m as FromHelper)),
    onExit: (l) => child.on('exit', (code, signal) => l(signal ?? `exit code ${code}`)),
    kill: () => void child.kill(),
  };
}

/**
 * The Windows/macOS helper with the real uiohook-napi addon, run where this machine can run it
 * (libuiohook on X11): the bundled dist/host/hotkeys-helper.cjs loads the prebuilt addon, reports
 * a bound combination pressed with xdotool, and a hook that cannot start on an unusable display
 * (libuiohook hangs or aborts there) is given up without touching the host — which is why it is a
 * child process. The clipboard copy needs a real desktop and is not run here.
 */
describe('the uiohook helper process (real addon, on Xvfb)', { timeout: 30_000 }, () => {
  let x: Xvfb;
  beforeAll(async () => {
    x = await startXvfb(130);
  });
  afterAll(async () => {
    await x?.stop();
  });

  it('loads uiohook-napi and reports the bound combination once per press', async () => {
    const backend = await UiohookBackend.open({ platform: 'win32', spawnHelper: () => spawnHelper(x.env), clipboard: { read: async () => '', write: async () => undefined } });
    try {
      const presses: HotkeyAction[] = [];
      backend.onPress((a) => presses.push(a));
      expect(await backend.bind([{ action: 'dial', combination: 'Ctrl+Alt+Shift+D' }, { action: 'show', combination: 'Ctrl+Alt+Shift+P' }])).toEqual([
        { action: 'dial', combination: 'Ctrl+Alt+Shift+D', state: 'listening' },
        { action: 'show', combination: 'Ctrl+Alt+Shift+P', state: 'listening' },
      ]);
      x.run('xdotool', ['key', 'ctrl+alt+shift+p', 'ctrl+alt+d', 'ctrl+alt+shift+d']);
      await expect.poll(() => presses, { timeout: 5000 }).toEqual(['show', 'dial']);
    } finally {
      await backend.close();
    }
  });

  it('a display the hook cannot use: the helper is given up and reported, the host stays up', async () => {
    const opened = UiohookBackend.open({
      platform: 'win32',
      spawnHelper: () => spawnHelper({ ...process.env, DISPLAY: ':139' }),
      clipboard: { read: async () => '', write: async () => undefined },
      startTimeoutMs: 3000,
    });
    await expect(opened).rejects.toThrow(/the keyboard hook (helper did not start|helper ended|did not start)/);
    // Still here: this process (standing in for the host) was not taken down with it.
    expect(process.exitCode ?? 0).toBe(0);
  });
});
