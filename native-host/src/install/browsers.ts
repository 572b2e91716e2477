import { posix, win32 } from 'node:path';
import { InstallError } from './install-error';

/**
 * Where each supported browser looks for per-user native-messaging host manifests, per OS.
 * Kept as one table (as KeePassXC does) so a new browser or a moved folder is a one-row change.
 */

export const BROWSER_IDS = ['chrome', 'chromium', 'edge', 'brave', 'firefox'] as const;
export type BrowserId = (typeof BROWSER_IDS)[number];
export type BrowserFamily = 'chromium' | 'firefox';
export type OsFamily = 'linux' | 'darwin' | 'win32';

/** A folder named relative to a per-user base folder, so the table holds no user-specific text. */
interface Place {
  root: Root;
  dir: readonly string[];
}

type Root =
  /** Linux: $CHROME_CONFIG_HOME, else $XDG_CONFIG_HOME, else ~/.config (Chromium's own rule). */
  | 'chromium-config'
  | 'home'
  /** macOS: ~/Library/Application Support. */
  | 'app-support'
  /** Windows: %LOCALAPPDATA% (Chromium-family user data). */
  | 'local-app-data'
  /** Windows: %APPDATA% (Firefox profiles). */
  | 'app-data';

interface BrowserRow {
  label: string;
  family: BrowserFamily;
  /**
   * The browser's default per-user data folder. It exists once the browser has run for this user,
   * which is how `install` finds the browsers to install for. For the Chromium family it is also
   * the user data dir whose `NativeMessagingHosts/` subfolder holds host manifests (Linux, macOS).
   */
  dataDir: Record<OsFamily, Place>;
  /** Firefox keeps host manifests outside its profile folder. */
  hostsDir?: { linux: Place; darwin: Place };
  /** Windows reads hosts only from the registry: HKCU\<this>\<host name> = manifest path. */
  registryKey: string;
  /** Linux: the folder the browser reads for every user (where the .deb puts its manifest). */
  linuxSystemHostsDir: string;
}

const TABLE: Record<BrowserId, BrowserRow> = {
  chrome: {
    label: 'Google Chrome',
    family: 'chromium',
    dataDir: {
      linux: { root: 'chromium-config', dir: ['google-chrome'] },
      darwin: { root: 'app-support', dir: ['Google', 'Chrome'] },
      win32: { root: 'local-app-data', dir: ['Google', 'Chrome', 'User Data'] },
    },
    registryKey: 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts',
    linuxSystemHostsDir: '/etc/opt/chrome/native-messaging-hosts',
  },
  chromium: {
    label: 'Chromium',
    family: 'chromium',
    dataDir: {
      linux: { root: 'chromium-config', dir: ['chromium'] },
      darwin: { root: 'app-support', dir: ['Chromium'] },
      win32: { root: 'local-app-data', dir: ['Chromium', 'User Data'] },
    },
    registryKey: 'HKCU\\Software\\Chromium\\NativeMessagingHosts',
    linuxSystemHostsDir: '/etc/chromium/native-messaging-hosts',
  },
  edge: {
    label: 'Microsoft Edge',
    family: 'chromium',
    dataDir: {
      linux: { root: 'chromium-config', dir: ['microsoft-edge'] },
      darwin: { root: 'app-support', dir: ['Microsoft Edge'] },
      win32: { root: 'local-app-data', dir: ['Microsoft', 'Edge', 'User Data'] },
    },
    registryKey: 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts',
    linuxSystemHostsDir: '/etc/opt/edge/native-messaging-hosts',
  },
  brave: {
    label: 'Brave',
    family: 'chromium',
    dataDir: {
      linux: { root: 'chromium-config', dir: ['BraveSoftware', 'Brave-Browser'] },
      darwin: { root: 'app-support', dir: ['BraveSoftware', 'Brave-Browser'] },
      win32: { root: 'local-app-data', dir: ['BraveSoftware', 'Brave-Browser', 'User Data'] },
    },
    registryKey: 'HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts',
    // Brave's own folder; Brave builds that read Chrome's folder find the Chrome manifest there.
    linuxSystemHostsDir: '/etc/opt/brave/native-messaging-hosts',
  },
  firefox: {
    label: 'Firefox',
    family: 'firefox',
    dataDir: {
      linux: { root: 'home', dir: ['.mozilla'] },
      darwin: { root: 'app-support', dir: ['Firefox'] },
      win32: { root: 'app-data', dir: ['Mozilla', 'Firefox'] },
    },
    hostsDir: {
      // Verified with Firefox ESR here: ~/.mozilla/…, not $XDG_CONFIG_HOME/mozilla/… (NOTES-ENV).
      linux: { root: 'home', dir: ['.mozilla', 'native-messaging-hosts'] },
      darwin: { root: 'app-support', dir: ['Mozilla', 'NativeMessagingHosts'] },
    },
    registryKey: 'HKCU\\Software\\Mozilla\\NativeMessagingHosts',
    // Firefox on Linux also reads /usr/lib64/…; Debian and Ubuntu builds read /usr/lib/….
    linuxSystemHostsDir: '/usr/lib/mozilla/native-messaging-hosts',
  },
};

/** What a location depends on; passed in so every OS can be computed (and tested) on any OS. */
export interface LocationEnv {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
}

/** BSDs and other Unixes lay Chromium and Firefox out as on Linux. */
export function osFamily(platform: NodeJS.Platform): OsFamily {
  if (platform === 'win32' || platform === 'darwin') return platform;
  return 'linux';
}

export function pathFor(platform: NodeJS.Platform): typeof posix {
  return osFamily(platform) === 'win32' ? win32 : posix;
}

export function browserLabel(browser: BrowserId): string {
  return TABLE[browser].label;
}

export function browserFamily(browser: BrowserId): BrowserFamily {
  return TABLE[browser].family;
}

export function isBrowserId(value: string): value is BrowserId {
  return (BROWSER_IDS as readonly string[]).includes(value);
}

function absoluteEnv(loc: LocationEnv, name: string): string | undefined {
  const value = loc.env[name];
  // The XDG spec says a relative value is to be ignored; a relative folder would also land
  // wherever the installer happened to run.
  return value && pathFor(loc.platform).isAbsolute(value) ? value : undefined;
}

function rootDir(root: Root, loc: LocationEnv): string {
  const p = pathFor(loc.platform);
  switch (root) {
    case 'home':
      return loc.homedir;
    case 'chromium-config':
      // CHROME_CONFIG_HOME is Chromium's own override (docs/user_data_dir.md); the Edge and Brave
      // builds share that code.
      return absoluteEnv(loc, 'CHROME_CONFIG_HOME') ?? absoluteEnv(loc, 'XDG_CONFIG_HOME') ?? p.join(loc.homedir, '.config');
    case 'app-support':
      return p.join(loc.homedir, 'Library', 'Application Support');
    case 'local-app-data':
      return absoluteEnv(loc, 'LOCALAPPDATA') ?? p.join(loc.homedir, 'AppData', 'Local');
    case 'app-data':
      return absoluteEnv(loc, 'APPDATA') ?? p.join(loc.homedir, 'AppData', 'Roaming');
  }
}

function placePath(place: Place, loc: LocationEnv): string {
  return pathFor(loc.platform).join(rootDir(place.root, loc), ...place.dir);
}

/** The browser's default per-user data folder (present once the browser has run). */
export function browserDataDir(browser: BrowserId, loc: LocationEnv): string {
  return placePath(TABLE[browser].dataDir[osFamily(loc.platform)], loc);
}

/**
 * The folder the browser reads host manifests from, or undefined on Windows, where it reads only
 * the registry. With `userDataDir` (a Chromium started with --user-data-dir) Chromium reads
 * `<dir>/NativeMessagingHosts/` and no longer the default folder (verified, NOTES-ENV).
 */
export function manifestDir(browser: BrowserId, loc: LocationEnv, userDataDir?: string): string | undefined {
  const os = osFamily(loc.platform);
  const p = pathFor(loc.platform);
  const row = TABLE[browser];
  if (userDataDir !== undefined) {
    if (row.family !== 'chromium') {
      throw new InstallError(`--user-data-dir applies only to a Chromium-family browser, not ${row.label}`);
    }
    if (os === 'win32') {
      throw new InstallError('--user-data-dir is not supported on Windows: Chromium reads native hosts only from the registry there');
    }
    return p.join(userDataDir, 'NativeMessagingHosts');
  }
  if (os === 'win32') return undefined;
  if (row.hostsDir) return placePath(row.hostsDir[os], loc);
  return p.join(browserDataDir(browser, loc), 'NativeMessagingHosts');
}

/** `HKCU\…\NativeMessagingHosts\<host name>`: its default value is the manifest's path. */
export function registryKey(browser: BrowserId, hostName: string): string {
  return `${TABLE[browser].registryKey}\\${hostName}`;
}

/** Linux: the folder the browser reads host manifests from for every user (packages put theirs there). */
export function linuxSystemManifestDir(browser: BrowserId): string {
  return TABLE[browser].linuxSystemHostsDir;
}
