import { FIREFOX_EXTENSION_ID } from '../../shared/extension-ids';

/**
 * The Windows host is one executable (a Node single-executable application, built by
 * scripts/package/msi.mjs) holding the launcher, the host and the CLI. What it runs depends only
 * on how it was started:
 * - Chrome, Edge, Brave: `voispeed.exe chrome-extension://<id>/ [--parent-window=N]` → launcher;
 * - Firefox: `voispeed.exe <manifest path> <extension id>` → launcher;
 * - the launcher itself: `voispeed.exe --voispeed-host-daemon` → the host;
 * - anything else (a person, the URL handler) → the `voispeed` CLI.
 */
export const HOST_DAEMON_FLAG = '--voispeed-host-daemon';

export type SeaRole = 'launcher' | 'daemon' | 'cli';

export function seaRole(args: readonly string[]): SeaRole {
  if (args[0] === HOST_DAEMON_FLAG) return 'daemon';
  if (args[0]?.startsWith('chrome-extension://')) return 'launcher';
  if (args.length === 2 && args[1] === FIREFOX_EXTENSION_ID) return 'launcher';
  return 'cli';
}
