import { FIREFOX_EXTENSION_ID } from '../../shared/extension-ids';

/**
 * The Windows host is one executable (a Node single-executable application, built by
 * scripts/package/msi.mjs) holding the launcher, the host and the CLI. What it runs depends only
 * on how it was started:
 * - Chrome, Edge, Brave: `voispeed.exe chrome-extension://<id>/ [--parent-window=N]` → launcher;
 * - Firefox: `voispeed.exe <manifest path> <extension id>` → launcher;
 * - the launcher itself: `voispeed.exe --voispeed-host-daemon` → the host;
 * - the host, for hotkeys: `voispeed.exe --voispeed-hotkeys-helper` (with an IPC channel) → the
 *   keyboard-hook helper (hotkeys/uiohook/helper-main.ts). Without its own role the host's
 *   `fork(…/hotkeys-helper.cjs)` ran this executable as the CLI: a SEA ignores a script argument;
 * - anything else (a person, the URL handler) → the `voispeed` CLI.
 */
export const HOST_DAEMON_FLAG = '--voispeed-host-daemon';
export const HOTKEYS_HELPER_FLAG = '--voispeed-hotkeys-helper';

export type SeaRole = 'launcher' | 'daemon' | 'hotkeys-helper' | 'cli';

export function seaRole(args: readonly string[]): SeaRole {
  if (args[0] === HOST_DAEMON_FLAG) return 'daemon';
  if (args[0] === HOTKEYS_HELPER_FLAG && args.length === 1) return 'hotkeys-helper';
  if (args[0]?.startsWith('chrome-extension://')) return 'launcher';
  if (args.length === 2 && args[1] === FIREFOX_EXTENSION_ID) return 'launcher';
  return 'cli';
}

/**
 * How the host starts the hotkeys helper: the bundle beside it (node + hotkeys-helper.cjs), or, in
 * the single executable, the executable itself in its helper role.
 */
export function hotkeysHelperCommand(isSea: boolean, bundleDir: string, join: (...p: string[]) => string): { file: string; args: string[] } {
  return isSea ? { file: process.execPath, args: [HOTKEYS_HELPER_FLAG] } : { file: process.execPath, args: [join(bundleDir, 'hotkeys-helper.cjs')] };
}
