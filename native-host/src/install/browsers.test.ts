import { describe, expect, it } from 'vitest';
import { BROWSER_IDS, browserDataDir, manifestDir, osFamily, registryKey, type BrowserId, type LocationEnv } from './browsers';

const linux: LocationEnv = { platform: 'linux', env: {}, homedir: '/home/ann' };
const mac: LocationEnv = { platform: 'darwin', env: {}, homedir: '/Users/ann' };
const win: LocationEnv = {
  platform: 'win32',
  env: { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local', APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' },
  homedir: 'C:\\Users\\ann',
};

describe('manifest folder per browser × OS', () => {
  const expected: Record<BrowserId, { linux: string; darwin: string }> = {
    chrome: {
      linux: '/home/ann/.config/google-chrome/NativeMessagingHosts',
      darwin: '/Users/ann/Library/Application Support/Google/Chrome/NativeMessagingHosts',
    },
    chromium: {
      linux: '/home/ann/.config/chromium/NativeMessagingHosts',
      darwin: '/Users/ann/Library/Application Support/Chromium/NativeMessagingHosts',
    },
    edge: {
      linux: '/home/ann/.config/microsoft-edge/NativeMessagingHosts',
      darwin: '/Users/ann/Library/Application Support/Microsoft Edge/NativeMessagingHosts',
    },
    brave: {
      linux: '/home/ann/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
      darwin: '/Users/ann/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts',
    },
    firefox: {
      linux: '/home/ann/.mozilla/native-messaging-hosts',
      darwin: '/Users/ann/Library/Application Support/Mozilla/NativeMessagingHosts',
    },
  };
  for (const browser of BROWSER_IDS) {
    it(`${browser} on Linux and macOS`, () => {
      expect(manifestDir(browser, linux)).toBe(expected[browser].linux);
      expect(manifestDir(browser, mac)).toBe(expected[browser].darwin);
    });
    it(`${browser} on Windows reads the registry, not a folder`, () => {
      expect(manifestDir(browser, win)).toBeUndefined();
    });
  }

  it('honours XDG_CONFIG_HOME for the Chromium family, not for Firefox', () => {
    const xdg = { ...linux, env: { XDG_CONFIG_HOME: '/srv/cfg' } };
    expect(manifestDir('chrome', xdg)).toBe('/srv/cfg/google-chrome/NativeMessagingHosts');
    expect(manifestDir('chromium', xdg)).toBe('/srv/cfg/chromium/NativeMessagingHosts');
    expect(manifestDir('edge', xdg)).toBe('/srv/cfg/microsoft-edge/NativeMessagingHosts');
    expect(manifestDir('brave', xdg)).toBe('/srv/cfg/BraveSoftware/Brave-Browser/NativeMessagingHosts');
    expect(manifestDir('firefox', xdg)).toBe('/home/ann/.mozilla/native-messaging-hosts');
  });

  it('lets CHROME_CONFIG_HOME win over XDG_CONFIG_HOME, and ignores relative values', () => {
    expect(manifestDir('chrome', { ...linux, env: { XDG_CONFIG_HOME: '/x', CHROME_CONFIG_HOME: '/c' } })).toBe(
      '/c/google-chrome/NativeMessagingHosts',
    );
    expect(manifestDir('chrome', { ...linux, env: { XDG_CONFIG_HOME: 'rel/dir' } })).toBe(
      '/home/ann/.config/google-chrome/NativeMessagingHosts',
    );
  });

  it('does not apply XDG_CONFIG_HOME on macOS', () => {
    expect(manifestDir('chrome', { ...mac, env: { XDG_CONFIG_HOME: '/srv/cfg' } })).toBe(
      '/Users/ann/Library/Application Support/Google/Chrome/NativeMessagingHosts',
    );
  });

  it('puts a --user-data-dir manifest in <dir>/NativeMessagingHosts for every Chromium-family browser', () => {
    for (const browser of ['chrome', 'chromium', 'edge', 'brave'] as const) {
      expect(manifestDir(browser, linux, '/tmp/prof')).toBe('/tmp/prof/NativeMessagingHosts');
      expect(manifestDir(browser, mac, '/tmp/prof')).toBe('/tmp/prof/NativeMessagingHosts');
    }
  });

  it('refuses --user-data-dir for Firefox and on Windows', () => {
    expect(() => manifestDir('firefox', linux, '/tmp/prof')).toThrow(/Chromium-family/);
    expect(() => manifestDir('chrome', win, 'C:\\prof')).toThrow(/registry/);
  });

  it('treats other Unixes like Linux', () => {
    expect(osFamily('freebsd')).toBe('linux');
    expect(manifestDir('chromium', { ...linux, platform: 'freebsd' })).toBe('/home/ann/.config/chromium/NativeMessagingHosts');
  });
});

describe('registry keys (Windows)', () => {
  it('names one HKCU key per browser', () => {
    expect(BROWSER_IDS.map((b) => registryKey(b, 'voispeed.ui'))).toEqual([
      'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\voispeed.ui',
      'HKCU\\Software\\Chromium\\NativeMessagingHosts\\voispeed.ui',
      'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\voispeed.ui',
      'HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\voispeed.ui',
      'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\voispeed.ui',
    ]);
  });
});

describe('browser data folders (used to find installed browsers)', () => {
  it('per OS', () => {
    expect(browserDataDir('chrome', linux)).toBe('/home/ann/.config/google-chrome');
    expect(browserDataDir('firefox', linux)).toBe('/home/ann/.mozilla');
    expect(browserDataDir('edge', mac)).toBe('/Users/ann/Library/Application Support/Microsoft Edge');
    expect(browserDataDir('firefox', mac)).toBe('/Users/ann/Library/Application Support/Firefox');
    expect(browserDataDir('brave', win)).toBe('C:\\Users\\ann\\AppData\\Local\\BraveSoftware\\Brave-Browser\\User Data');
    expect(browserDataDir('firefox', win)).toBe('C:\\Users\\ann\\AppData\\Roaming\\Mozilla\\Firefox');
  });

  it('falls back to the profile folder when Windows app-data variables are missing', () => {
    expect(browserDataDir('chrome', { ...win, env: {} })).toBe('C:\\Users\\ann\\AppData\\Local\\Google\\Chrome\\User Data');
  });
});
