import { createHash } from 'node:crypto';
import { join, win32 } from 'node:path';

/** Every location the host writes to. Resolved once in main from the environment it is given. */
export interface HostPaths {
  /** settings.json lives here. */
  configDir: string;
  /** History and other durable state. */
  stateDir: string;
  logDir: string;
  /** The control socket's private folder. */
  runtimeDir: string;
  sandboxDir: string;
  /** Set when VOISPEED_HOME moved everything under one folder. */
  home: string | undefined;
}

export interface PathEnv {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: string;
  tmpdir: string;
  uid: number;
}

const APP = 'voispeed';

export function resolvePaths({ env, platform, homedir, tmpdir, uid }: PathEnv): HostPaths {
  const home = env.VOISPEED_HOME?.trim();
  if (home) {
    return {
      configDir: home,
      stateDir: join(home, 'state'),
      logDir: join(home, 'logs'),
      runtimeDir: join(home, 'run'),
      sandboxDir: join(home, 'sandbox'),
      home,
    };
  }
  if (platform === 'win32') {
    const appData = env.APPDATA ?? join(homedir, 'AppData', 'Roaming');
    const local = env.LOCALAPPDATA ?? join(homedir, 'AppData', 'Local');
    return {
      configDir: join(appData, APP),
      stateDir: join(local, APP, 'state'),
      logDir: join(local, APP, 'logs'),
      runtimeDir: join(local, APP, 'run'),
      sandboxDir: join(local, APP, 'sandbox'),
      home: undefined,
    };
  }
  if (platform === 'darwin') {
    const support = join(homedir, 'Library', 'Application Support', APP);
    return {
      configDir: support,
      stateDir: join(support, 'state'),
      logDir: join(homedir, 'Library', 'Logs', APP),
      runtimeDir: join(tmpdir, `${APP}-${uid}`),
      sandboxDir: join(support, 'sandbox'),
      home: undefined,
    };
  }
  const config = env.XDG_CONFIG_HOME || join(homedir, '.config');
  const state = env.XDG_STATE_HOME || join(homedir, '.local', 'state');
  const runtime = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, APP) : join(tmpdir, `${APP}-${uid}`);
  return {
    configDir: join(config, APP),
    stateDir: join(state, APP),
    logDir: join(state, APP, 'logs'),
    runtimeDir: runtime,
    sandboxDir: join(state, APP, 'sandbox'),
    home: undefined,
  };
}

export function settingsFile(paths: HostPaths): string {
  return join(paths.configDir, 'settings.json');
}

export function controlSocketPath(paths: HostPaths, platform: NodeJS.Platform, uid: number): string {
  if (platform === 'win32') {
    // Named pipes live in one global namespace: make the name per user and per home. uid is 0 for
    // everyone on Windows, so the whole config path must count (its tail is the same for all users).
    const tag = createHash('sha256').update(paths.configDir).digest('hex').slice(0, 24);
    return `\\\\.\\pipe\\${APP}-${uid}-${tag}`;
  }
  return join(paths.runtimeDir, 'control.sock');
}

/**
 * The administrator's system-wide settings file (issue 16): managed keys every user of the machine
 * gets, laid down by the .deb's admin or a Windows deployment. VOISPEED_SYSTEM_SETTINGS moves it
 * (tests, and machines where /etc is read-only). Read only, never written by the host.
 */
export function systemSettingsFile(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const override = env.VOISPEED_SYSTEM_SETTINGS?.trim();
  if (override) return override;
  if (platform === 'win32') return win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', APP, 'settings.json');
  if (platform === 'darwin') return join('/Library/Application Support', APP, 'settings.json');
  return join('/etc', APP, 'settings.json');
}

/** The last browser policy the host was given, kept so the CLI and a host started without a browser see it too. */
export function browserPolicyFile(paths: HostPaths): string {
  return join(paths.configDir, 'browser-policy.json');
}
