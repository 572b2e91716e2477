import { join } from 'node:path';
import { install } from '../../native-host/src/install';
import { startSandbox, stopSandbox, type SandboxStatus } from '../../native-host/src/sandbox';
import { SettingsStore } from '../../native-host/src/settings/settings-store';
import { repoRoot } from './host-process';
import { tempDir } from './temp';

export interface Rig {
  root: string;
  home: string;
  sandbox: SandboxStatus;
  /** The Chromium profile the host is installed into. */
  profile: string;
  stop(): Promise<void>;
}

/**
 * A complete set of real parts for one test file: a sandbox PBX, a host home whose account is the
 * sandbox's user 1001, and the host installed for a fresh Chromium profile.
 */
export async function startRig(tag: string, opts: { account?: boolean } = {}): Promise<Rig> {
  const dir = tempDir(tag);
  const home = join(dir.path, 'home');
  const profile = join(dir.path, 'profile');
  const sandbox = await startSandbox({ dir: join(home, 'sandbox') });
  if (opts.account !== false) {
    await new SettingsStore(join(home, 'settings.json')).update((s) => ({ ...s, account: sandbox.account }));
  }
  await install({
    bundleDir: join(repoRoot, 'dist/host'),
    browsers: ['chromium'],
    userDataDir: profile,
    env: { ...process.env, VOISPEED_HOME: home },
    log: () => undefined,
  });
  return {
    root: dir.path,
    home,
    sandbox,
    profile,
    async stop() {
      await stopSandbox(join(home, 'sandbox'));
      if (!process.env.KEEP_RIG) dir.remove();
    },
  };
}

export const chromeExtensionDir = join(repoRoot, 'dist/chrome');
export const firefoxExtensionDir = join(repoRoot, 'dist/firefox');
