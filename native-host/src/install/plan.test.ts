import { describe, expect, it } from 'vitest';
import { BROWSER_IDS } from './browsers';
import type { RecordEntry } from './install-record';
import { planInstall, planUninstall, type InstallPlanInput, type InstallStep } from './plan';

const linuxInput: InstallPlanInput = {
  platform: 'linux',
  env: {},
  homedir: '/home/ann',
  configDir: '/home/ann/.config/voispeed',
  bundleDir: '/opt/voispeed/dist/host',
  nodePath: '/usr/bin/node',
  browsers: ['chrome', 'firefox'],
};

const winInput: InstallPlanInput = {
  platform: 'win32',
  env: { SystemRoot: 'C:\\Windows', APPDATA: 'C:\\Users\\ann\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' },
  homedir: 'C:\\Users\\ann',
  configDir: 'C:\\Users\\ann\\AppData\\Roaming\\voispeed',
  bundleDir: 'C:\\Program Files\\VOIspeed UI\\host',
  nodePath: 'C:\\Program Files\\nodejs\\node.exe',
  browsers: [...BROWSER_IDS],
};

type WriteStep = Extract<InstallStep, { kind: 'write-file' }>;
const writes = (steps: InstallStep[]): WriteStep[] => steps.filter((s): s is WriteStep => s.kind === 'write-file');

describe('planInstall on Linux', () => {
  it('writes the launcher first, then one manifest per browser pointing at it', () => {
    const steps = planInstall(linuxInput);
    expect(steps.map((s) => ('path' in s ? s.path : 'key' in s ? s.key : s.kind))).toEqual([
      '/home/ann/.config/voispeed/host/voispeed-host.sh',
      '/home/ann/.config/google-chrome/NativeMessagingHosts/voispeed.ui.json',
      '/home/ann/.mozilla/native-messaging-hosts/voispeed.ui.json',
    ]);
    const [launcher, chrome, firefox] = writes(steps);
    expect(launcher?.mode).toBe(0o755);
    expect(launcher?.dirMode).toBe(0o700);
    expect(launcher?.contents).toContain(`exec '/usr/bin/node' '/opt/voispeed/dist/host/host.cjs' "$@"`);
    for (const manifest of [chrome, firefox]) {
      expect(manifest?.mode).toBe(0o644);
      expect(JSON.parse(manifest?.contents ?? '{}').path).toBe('/home/ann/.config/voispeed/host/voispeed-host.sh');
    }
    expect(JSON.parse(chrome?.contents ?? '{}')).toHaveProperty('allowed_origins');
    expect(JSON.parse(firefox?.contents ?? '{}')).toHaveProperty('allowed_extensions');
    expect(chrome?.owner).toEqual({ component: 'host-manifest', browser: 'chrome' });
    expect(steps.some((s) => s.kind === 'registry-add')).toBe(false);
  });

  it('puts the launcher under VOISPEED_HOME and exports it', () => {
    const steps = planInstall({ ...linuxInput, configDir: '/tmp/sb', voispeedHome: '/tmp/sb' });
    const [launcher] = writes(steps);
    expect(launcher?.path).toBe('/tmp/sb/host/voispeed-host.sh');
    expect(launcher?.contents).toContain(`VOISPEED_HOME='/tmp/sb'\nexport VOISPEED_HOME`);
  });

  it('with --user-data-dir writes only <dir>/NativeMessagingHosts/voispeed.ui.json', () => {
    const steps = planInstall({ ...linuxInput, browsers: ['chromium'], userDataDir: '/tmp/profile' });
    expect(writes(steps).map((s) => s.path)).toEqual([
      '/home/ann/.config/voispeed/host/voispeed-host.sh',
      '/tmp/profile/NativeMessagingHosts/voispeed.ui.json',
    ]);
    expect(writes(steps)[1]?.owner).toEqual({ component: 'host-manifest', browser: 'chromium', userDataDir: '/tmp/profile' });
  });

  it('refuses --user-data-dir with Firefox or with several browsers', () => {
    expect(() => planInstall({ ...linuxInput, browsers: ['firefox'], userDataDir: '/tmp/p' })).toThrow(/Chromium-family/);
    expect(() => planInstall({ ...linuxInput, browsers: ['chrome', 'brave'], userDataDir: '/tmp/p' })).toThrow(/one Chromium-family/);
  });

  it('refuses relative paths and an empty browser list', () => {
    expect(() => planInstall({ ...linuxInput, bundleDir: 'dist/host' })).toThrow(/absolute/);
    expect(() => planInstall({ ...linuxInput, userDataDir: 'prof', browsers: ['chrome'] })).toThrow(/absolute/);
    expect(() => planInstall({ ...linuxInput, browsers: [] })).toThrow(/no browser/);
  });

  it('plans each browser once', () => {
    expect(writes(planInstall({ ...linuxInput, browsers: ['edge', 'edge'] }))).toHaveLength(2);
  });
});

describe('planInstall on macOS', () => {
  it('uses Application Support folders', () => {
    const steps = planInstall({ ...linuxInput, platform: 'darwin', homedir: '/Users/ann', configDir: '/Users/ann/Library/Application Support/voispeed', browsers: ['brave', 'firefox'] });
    expect(writes(steps).map((s) => s.path)).toEqual([
      '/Users/ann/Library/Application Support/voispeed/host/voispeed-host.sh',
      '/Users/ann/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts/voispeed.ui.json',
      '/Users/ann/Library/Application Support/Mozilla/NativeMessagingHosts/voispeed.ui.json',
    ]);
    expect(writes(steps)[0]?.contents).toContain(`exec '/usr/bin/node' '/opt/voispeed/dist/host/host.cjs' "$@"`);
  });
});

describe('planInstall on Windows', () => {
  const steps = planInstall(winInput);

  it('writes a .bat launcher and one manifest file per browser under the config folder', () => {
    expect(writes(steps).map((s) => s.path)).toEqual([
      'C:\\Users\\ann\\AppData\\Roaming\\voispeed\\host\\voispeed-host.bat',
      ...BROWSER_IDS.map((b) => `C:\\Users\\ann\\AppData\\Roaming\\voispeed\\host\\voispeed.ui-${b}.json`),
    ]);
    const [launcher] = writes(steps);
    expect(launcher?.contents).toContain('"C:\\Program Files\\nodejs\\node.exe" "C:\\Program Files\\VOIspeed UI\\host\\host.cjs" %*\r\n');
    const firefox = writes(steps).find((s) => s.owner.browser === 'firefox');
    expect(JSON.parse(firefox?.contents ?? '{}')).toMatchObject({
      path: 'C:\\Users\\ann\\AppData\\Roaming\\voispeed\\host\\voispeed-host.bat',
      allowed_extensions: ['voispeed-ui@voispeed.org'],
    });
  });

  it('registers each manifest with reg.exe add, as an argument array, after writing it', () => {
    const reg = steps.filter((s) => s.kind === 'registry-add');
    expect(reg).toHaveLength(5);
    const chrome = reg[0];
    expect(chrome).toMatchObject({
      program: 'C:\\Windows\\System32\\reg.exe',
      args: [
        'add',
        'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\voispeed.ui',
        '/ve',
        '/t',
        'REG_SZ',
        '/d',
        'C:\\Users\\ann\\AppData\\Roaming\\voispeed\\host\\voispeed.ui-chrome.json',
        '/f',
      ],
      owner: { component: 'host-manifest', browser: 'chrome' },
    });
    for (const step of reg) {
      const fileIndex = steps.findIndex((s) => s.kind === 'write-file' && step.kind === 'registry-add' && s.path === step.value);
      expect(fileIndex).toBeGreaterThanOrEqual(0);
      expect(fileIndex).toBeLessThan(steps.indexOf(step));
    }
    expect(reg.map((s) => (s.kind === 'registry-add' ? s.key : ''))).toContain('HKCU\\Software\\Mozilla\\NativeMessagingHosts\\voispeed.ui');
  });

  it('refuses a config folder cmd.exe would mangle, and --user-data-dir', () => {
    expect(() => planInstall({ ...winInput, configDir: 'C:\\Users\\100%\\voispeed' })).toThrow(/launcher path contains %/);
    expect(() => planInstall({ ...winInput, browsers: ['chrome'], userDataDir: 'C:\\prof' })).toThrow(/registry/);
  });
});

describe('planUninstall', () => {
  const entries: RecordEntry[] = [
    { kind: 'dir', path: '/a/NativeMessagingHosts', component: 'host-manifest', browser: 'chrome' },
    { kind: 'file', path: '/a/NativeMessagingHosts/voispeed.ui.json', component: 'host-manifest', browser: 'chrome' },
    { kind: 'dir', path: '/a', component: 'host-manifest', browser: 'chrome' },
    { kind: 'registry', path: 'HKCU\\Software\\Chromium\\NativeMessagingHosts\\voispeed.ui', component: 'host-manifest', browser: 'chromium' },
  ];

  it('deletes registry keys, then files, then folders deepest first', () => {
    const steps = planUninstall(entries, { SystemRoot: 'C:\\Windows' });
    expect(steps.map((s) => `${s.kind} ${'entry' in s ? s.entry.path : s.dir}`)).toEqual([
      'registry-delete HKCU\\Software\\Chromium\\NativeMessagingHosts\\voispeed.ui',
      'remove-file /a/NativeMessagingHosts/voispeed.ui.json',
      'remove-dir /a/NativeMessagingHosts',
      'remove-dir /a',
    ]);
    expect(steps[0]).toMatchObject({
      program: 'C:\\Windows\\System32\\reg.exe',
      args: ['delete', 'HKCU\\Software\\Chromium\\NativeMessagingHosts\\voispeed.ui', '/f'],
      queryArgs: ['query', 'HKCU\\Software\\Chromium\\NativeMessagingHosts\\voispeed.ui'],
    });
  });
});
