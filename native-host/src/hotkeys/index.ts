import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CountryCode } from 'libphonenumber-js';
import type { CallInfo, HotkeyStatus } from '../../../shared/protocol';
import type { HotkeyBackend } from './backend';
import type { X11Backend, X11Options } from './x11-backend';
import { detectEnvironment, type HotkeyEnvironment } from './environment';
import { HotkeyService, type NotDialable } from './hotkey-service';
import { systemClipboard } from './uiohook/clipboard';
import type { FromHelper } from './uiohook/messages';
import { UiohookBackend, type HelperProcess } from './uiohook/uiohook-backend';
import { hotkeysHelperCommand } from '../sea-role';

declare const __VOISPEED_SEA__: boolean | undefined;
/** Set by scripts/package/msi.mjs for the Windows single executable. */
const IS_SEA = typeof __VOISPEED_SEA__ === 'boolean' && __VOISPEED_SEA__;

export { HotkeyService } from './hotkey-service';

export interface HotkeysDeps {
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  defaultCountry(): CountryCode;
  dial(number: string): Promise<CallInfo> | CallInfo;
  onStatus(status: HotkeyStatus): void;
  showPhone(reason: 'hotkey' | 'cli', callId?: string): void;
  notDialable(data: NotDialable): void;
  /** dist/host, where hotkeys-helper.cjs sits beside host.cjs. */
  bundleDir?: string;
}

/** The host's hotkeys for this machine: X11 grabs, the uiohook helper, or none with the reason. */
export function createHotkeys(deps: HotkeysDeps): HotkeyService {
  const environment = detectEnvironment(deps.platform, deps.env);
  const helper = hotkeysHelperCommand(IS_SEA, deps.bundleDir ?? __dirname, join);
  const openBackend = (env: Exclude<HotkeyEnvironment, { kind: 'unavailable' }>): Promise<HotkeyBackend> =>
    env.kind === 'x11'
      ? openX11({ display: env.display, log: deps.log })
      : UiohookBackend.open({ platform: deps.platform, clipboard: systemClipboard(deps.platform, deps.env), spawnHelper: () => forkHelper(helper) });
  return new HotkeyService({
    ...deps,
    environment,
    openBackend,
    readSelectionWithoutBackend: () => readSelectionOnce(environment, deps),
  });
}

/** The X11 client library is loaded with the first X11 backend, when hotkeys are on or a selection is read. */
async function openX11(options: X11Options): Promise<X11Backend> {
  const { X11Backend } = await import('./x11-backend');
  return X11Backend.open(options);
}

/** The helper with an IPC channel (what fork() gives; spawn, because in the SEA there is no script to name). */
function forkHelper(command: { file: string; args: string[] }): HelperProcess {
  const child = spawn(command.file, command.args, { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], windowsHide: true });
  return {
    send: (m) => child.send(m),
    onMessage: (l) => child.on('message', (m) => l(m as FromHelper)),
    onExit: (l) => {
      child.on('exit', (code, signal) => l(signal ?? `exit code ${code}`));
      child.on('error', (err) => l(err.message));
    },
    kill: () => void child.kill(),
  };
}

/**
 * The selection without a backend (Wayland, or hotkeys off): `voispeed dial-selection` still
 * works. Wayland: wl-paste (wl-clipboard), primary selection first.
 */
async function readSelectionOnce(environment: HotkeyEnvironment, deps: HotkeysDeps): Promise<string | undefined> {
  if (environment.kind === 'x11') {
    const x = await openX11({ display: environment.display });
    try {
      return await x.readSelection();
    } finally {
      await x.close();
    }
  }
  if (environment.kind === 'uiohook') {
    const text = await systemClipboard(deps.platform, deps.env).read();
    return text.trim() ? text : undefined;
  }
  if (environment.reason === 'wayland') {
    for (const args of [['--primary', '--no-newline'], ['--no-newline']]) {
      const text = await wlPaste(args);
      if (text?.trim()) return text;
    }
    return undefined;
  }
  throw new Error(environment.message);
}

function wlPaste(args: string[]): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile('wl-paste', args, { timeout: 2000, maxBuffer: 64 * 1024 }, (err, stdout) => {
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') reject(new Error('install wl-clipboard (wl-paste) to read the selection on Wayland'));
      else if (err) resolve(undefined); // "No selection" exits non-zero
      else resolve(stdout);
    });
  });
}
