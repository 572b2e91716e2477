import { join } from 'node:path';
import { install } from '../../native-host/src/install';
import type { Settings } from '../../shared/settings';
import { startSandbox, stopSandbox, type ClassicSandboxStatus, type SandboxStatus } from '../../native-host/src/sandbox';
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
  return rigWith(tag, (dir) => startSandbox({ dir }), (s) => (opts.account !== false ? { ...s.settings, account: s.sandbox.account } : s.settings));
}

/** The same with the classic sandbox (plain SIP, no rtpengine): 1001 over `transport`, TLS trusting the sandbox CA. */
export interface ClassicRig extends Omit<Rig, 'sandbox'> {
  sandbox: ClassicSandboxStatus;
}

/** `settings` may add more (Integra rules) before any host starts. */
export async function startClassicRig(tag: string, transport: 'udp' | 'tcp' | 'tls', settings: (s: Settings) => Settings = (s) => s): Promise<ClassicRig> {
  return rigWith(tag, (dir) => startSandbox({ dir, profile: 'classic' }), (s) => settings({ ...s.settings, account: s.sandbox.accounts[transport] }));
}

async function rigWith<S>(tag: string, start: (dir: string) => Promise<S>, settings: (s: { settings: Settings; sandbox: S }) => Settings) {
  const dir = tempDir(tag);
  const home = join(dir.path, 'home');
  const profile = join(dir.path, 'profile');
  const sandbox = await start(join(home, 'sandbox'));
  const stop = async () => {
    await stopSandbox(join(home, 'sandbox'));
    if (!process.env.KEEP_RIG) dir.remove();
  };
  try {
    await new SettingsStore(join(home, 'settings.json')).update((current) => settings({ settings: current, sandbox }));
    await install({
      bundleDir: join(repoRoot, 'dist/host'),
      browsers: ['chromium'],
      userDataDir: profile,
      env: { ...process.env, VOISPEED_HOME: home },
      log: () => undefined,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { root: dir.path, home, sandbox, profile, stop };
}

export const chromeExtensionDir = join(repoRoot, 'dist/chrome');
export const firefoxExtensionDir = join(repoRoot, 'dist/firefox');
