import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlSocketPath, resolvePaths, settingsFile, type HostPaths, type PathEnv } from './paths';

const base = { homedir: '/home/alice', tmpdir: '/tmp', uid: 1000 };
const on = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}, over: Partial<PathEnv> = {}) =>
  resolvePaths({ ...base, platform, env, ...over });

const dirs = (p: HostPaths) => [p.configDir, p.stateDir, p.logDir, p.runtimeDir, p.sandboxDir];

describe('resolvePaths', () => {
  it.each(['linux', 'darwin', 'win32'] as const)('VOISPEED_HOME puts everything under one folder on %s', (platform) => {
    const home = join('/srv', 'voispeed-test');
    const p = on(platform, {
      VOISPEED_HOME: home,
      XDG_CONFIG_HOME: '/x/config',
      XDG_STATE_HOME: '/x/state',
      XDG_RUNTIME_DIR: '/x/run',
      APPDATA: 'C:/AppData',
      LOCALAPPDATA: 'C:/Local',
    });
    expect(p.home).toBe(home);
    expect(p.configDir).toBe(home);
    for (const d of dirs(p)) expect(d === home || d.startsWith(home + '/')).toBe(true);
    // Distinct folders for distinct purposes.
    expect(new Set(dirs(p)).size).toBe(5);
    expect(settingsFile(p)).toBe(join(home, 'settings.json'));
  });

  it('trims VOISPEED_HOME and ignores it when blank', () => {
    expect(on('linux', { VOISPEED_HOME: '  /srv/v  ' }).configDir).toBe('/srv/v');
    const blank = on('linux', { VOISPEED_HOME: '   ' });
    expect(blank.home).toBeUndefined();
    expect(blank.configDir).toBe('/home/alice/.config/voispeed');
  });

  it('uses the XDG defaults on linux', () => {
    expect(on('linux')).toEqual({
      configDir: '/home/alice/.config/voispeed',
      stateDir: '/home/alice/.local/state/voispeed',
      logDir: '/home/alice/.local/state/voispeed/logs',
      runtimeDir: '/tmp/voispeed-1000',
      sandboxDir: '/home/alice/.local/state/voispeed/sandbox',
      home: undefined,
    });
  });

  it('honours XDG_CONFIG_HOME, XDG_STATE_HOME and XDG_RUNTIME_DIR on linux', () => {
    const p = on('linux', { XDG_CONFIG_HOME: '/cfg', XDG_STATE_HOME: '/st', XDG_RUNTIME_DIR: '/run/user/1000' });
    expect(p.configDir).toBe('/cfg/voispeed');
    expect(p.stateDir).toBe('/st/voispeed');
    expect(p.logDir).toBe('/st/voispeed/logs');
    expect(p.sandboxDir).toBe('/st/voispeed/sandbox');
    expect(p.runtimeDir).toBe('/run/user/1000/voispeed');
    expect(p.home).toBeUndefined();
  });

  it('treats empty XDG variables as unset (per the XDG spec)', () => {
    expect(on('linux', { XDG_CONFIG_HOME: '', XDG_STATE_HOME: '', XDG_RUNTIME_DIR: '' })).toEqual(on('linux'));
  });

  it('keeps the runtime folder per user when XDG_RUNTIME_DIR is missing', () => {
    expect(on('linux', {}, { uid: 1001 }).runtimeDir).not.toBe(on('linux').runtimeDir);
  });

  it('uses Library folders on darwin and ignores XDG there', () => {
    const p = on('darwin', { XDG_CONFIG_HOME: '/cfg' });
    expect(p).toEqual({
      configDir: '/home/alice/Library/Application Support/voispeed',
      stateDir: '/home/alice/Library/Application Support/voispeed/state',
      logDir: '/home/alice/Library/Logs/voispeed',
      runtimeDir: '/tmp/voispeed-1000',
      sandboxDir: '/home/alice/Library/Application Support/voispeed/sandbox',
      home: undefined,
    });
  });

  it('uses APPDATA and LOCALAPPDATA on win32', () => {
    const p = on('win32', { APPDATA: '/A/Roaming', LOCALAPPDATA: '/A/Local', XDG_CONFIG_HOME: '/cfg' });
    expect(p).toEqual({
      configDir: join('/A/Roaming', 'voispeed'),
      stateDir: join('/A/Local', 'voispeed', 'state'),
      logDir: join('/A/Local', 'voispeed', 'logs'),
      runtimeDir: join('/A/Local', 'voispeed', 'run'),
      sandboxDir: join('/A/Local', 'voispeed', 'sandbox'),
      home: undefined,
    });
  });

  it('falls back to the profile folders on win32 without APPDATA/LOCALAPPDATA', () => {
    const p = on('win32');
    expect(p.configDir).toBe(join('/home/alice', 'AppData', 'Roaming', 'voispeed'));
    expect(p.stateDir).toBe(join('/home/alice', 'AppData', 'Local', 'voispeed', 'state'));
  });

  it('settingsFile is settings.json in the config folder', () => {
    const p = on('linux');
    expect(settingsFile(p)).toBe('/home/alice/.config/voispeed/settings.json');
  });
});

describe('controlSocketPath', () => {
  it.each(['linux', 'darwin'] as const)('is control.sock in the runtime folder on %s', (platform) => {
    const p = on(platform);
    expect(controlSocketPath(p, platform, 1000)).toBe(join(p.runtimeDir, 'control.sock'));
  });

  it('follows VOISPEED_HOME on linux', () => {
    const p = on('linux', { VOISPEED_HOME: '/srv/v' });
    expect(controlSocketPath(p, 'linux', 1000)).toBe('/srv/v/run/control.sock');
  });

  it('fits in sun_path (108 bytes on Linux, 104 on macOS) for ordinary homes', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const path = controlSocketPath(on(platform, {}, { homedir: '/Users/a-rather-long-user-name' }), platform, 501);
      expect(Buffer.byteLength(path)).toBeLessThan(104);
    }
  });

  it('is a named pipe on win32, stable for the same home and user', () => {
    const p = on('win32', { APPDATA: 'C:\\Users\\alice\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\alice\\AppData\\Local' });
    const name = controlSocketPath(p, 'win32', 0);
    expect(name.startsWith('\\\\.\\pipe\\voispeed-')).toBe(true);
    expect(controlSocketPath({ ...p }, 'win32', 0)).toBe(name);
    // Pipe names may not contain a backslash after the prefix.
    expect(name.slice('\\\\.\\pipe\\'.length)).not.toContain('\\');
    expect(name.length).toBeLessThan(256);
  });

  it('differs between users on win32, whose profiles differ only in the user name', () => {
    // On Windows process.getuid() does not exist, so the host passes uid 0 for everybody: the
    // config folder is what keeps two users of one machine apart.
    const alice = on('win32', { APPDATA: 'C:\\Users\\alice\\AppData\\Roaming' });
    const carol = on('win32', { APPDATA: 'C:\\Users\\carol\\AppData\\Roaming' });
    expect(controlSocketPath(alice, 'win32', 0)).not.toBe(controlSocketPath(carol, 'win32', 0));
  });

  it('differs between homes on win32 (VOISPEED_HOME), even with a common suffix', () => {
    const a = on('win32', { VOISPEED_HOME: 'D:\\one\\a-long-shared-suffix\\voispeed-home' });
    const b = on('win32', { VOISPEED_HOME: 'E:\\two\\a-long-shared-suffix\\voispeed-home' });
    expect(controlSocketPath(a, 'win32', 0)).not.toBe(controlSocketPath(b, 'win32', 0));
  });
});
