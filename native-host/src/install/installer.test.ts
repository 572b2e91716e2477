import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths, type HostPaths } from '../settings/paths';
import { executeInstall, executeUninstall } from './executor';
import { install, uninstall, type InstallOptions } from './installer';
import { loadRecord, type RecordEntry } from './install-record';
import { planUninstall, type InstallStep } from './plan';
import type { CommandRunner } from './windows-registry';

/** Every path under `root` with its type, mode and contents: equal snapshots mean an exact undo. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const full = join(dir, name);
      const st = await lstat(full);
      const rel = full.slice(root.length);
      if (st.isDirectory()) {
        out[rel] = `dir ${(st.mode & 0o777).toString(8)}`;
        await walk(full);
      } else {
        out[rel] = `file ${(st.mode & 0o777).toString(8)} ${await readFile(full, 'utf8')}`;
      }
    }
  }
  await walk(root);
  return out;
}

const itPosix = it.skipIf(process.platform === 'win32');

describe.skipIf(process.platform === 'win32')('install / uninstall on a fake home (Linux layout)', () => {
  let root: string;
  let home: string;
  let bundleDir: string;
  let paths: HostPaths;
  let lines: string[];
  let opts: InstallOptions;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'voispeed-install-'));
    home = join(root, 'home');
    bundleDir = join(root, 'bundle');
    await mkdir(home);
    await mkdir(bundleDir);
    await writeFile(join(bundleDir, 'host.cjs'), '// fake host\n');
    paths = resolvePaths({ env: {}, platform: 'linux', homedir: home, tmpdir: root, uid: 1000 });
    lines = [];
    opts = { platform: 'linux', env: {}, homedir: home, paths, bundleDir, nodePath: process.execPath, log: (l) => lines.push(l) };
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  itPosix('writes launcher, manifests and record with the promised modes, one line per file', async () => {
    const result = await install({ ...opts, browsers: 'all' });
    const launcher = join(home, '.config/voispeed/host/voispeed-host.sh');
    const manifests = [
      '.config/google-chrome/NativeMessagingHosts/voispeed.ui.json',
      '.config/chromium/NativeMessagingHosts/voispeed.ui.json',
      '.config/microsoft-edge/NativeMessagingHosts/voispeed.ui.json',
      '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/voispeed.ui.json',
      '.mozilla/native-messaging-hosts/voispeed.ui.json',
    ].map((m) => join(home, m));
    expect((await stat(launcher)).mode & 0o777).toBe(0o755);
    for (const m of manifests) {
      expect((await stat(m)).mode & 0o777).toBe(0o644);
      expect(JSON.parse(await readFile(m, 'utf8')).path).toBe(launcher);
    }
    expect((await stat(join(home, '.config/voispeed'))).mode & 0o777).toBe(0o700);
    expect((await stat(result.recordFile)).mode & 0o777).toBe(0o600);
    expect(lines).toEqual([
      `wrote ${launcher} (launcher)`,
      ...manifests.map((m) => expect.stringMatching(new RegExp(`^wrote ${m.replace(/[.]/g, '\\.')} \\(.+ host manifest\\)$`))),
      `wrote ${result.recordFile} (install record)`,
    ]);
  });

  itPosix('uninstall removes exactly what install wrote, leaving the browsers’ own files', async () => {
    // A browser that has run: its folder and another program's host must survive.
    await mkdir(join(home, '.config/google-chrome/NativeMessagingHosts'), { recursive: true });
    await writeFile(join(home, '.config/google-chrome/Local State'), '{}');
    await writeFile(join(home, '.config/google-chrome/NativeMessagingHosts/other.host.json'), '{}');
    await mkdir(join(home, '.config/voispeed'), { recursive: true, mode: 0o700 });
    await writeFile(join(home, '.config/voispeed/settings.json'), '{}', { mode: 0o600 });
    const before = await snapshot(home);

    await install({ ...opts, browsers: 'all' });
    expect(await snapshot(home)).not.toEqual(before);
    lines = [];
    await uninstall(opts);
    expect(await snapshot(home)).toEqual(before);
    expect(lines.some((l) => l.startsWith('removed ') && l.endsWith('(install record)'))).toBe(true);
  });

  itPosix('reinstalling is idempotent: same files, no duplicate record entries, still one clean uninstall', async () => {
    const before = await snapshot(home);
    await install({ ...opts, browsers: ['chrome', 'firefox'] });
    const once = await snapshot(home);
    const recordOnce = await loadRecord(join(paths.configDir, 'install-record.json'));
    await install({ ...opts, browsers: ['chrome', 'firefox'] });
    expect(await snapshot(home)).toEqual(once);
    expect(await loadRecord(join(paths.configDir, 'install-record.json'))).toEqual(recordOnce);
    await uninstall(opts);
    const after = await snapshot(home);
    // Our config folder stays (it holds settings); nothing else remains.
    expect(Object.keys(after)).toEqual([...Object.keys(before), '/.config', '/.config/voispeed']);
    expect(after['/.config/voispeed']).toBe('dir 700');
  });

  itPosix('by default installs for the browsers that have run for this user', async () => {
    await mkdir(join(home, '.mozilla'));
    await mkdir(join(home, '.config/chromium'), { recursive: true });
    const result = await install(opts);
    expect(result.browsers).toEqual(['chromium', 'firefox']);
    await expect(stat(join(home, '.config/google-chrome'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  itPosix('fails with one clear line when no browser is found', async () => {
    await expect(install(opts)).rejects.toThrow(/^found no supported browser.*--browser/);
  });

  itPosix('honours XDG_CONFIG_HOME', async () => {
    const xdg = join(root, 'xdg');
    const env = { XDG_CONFIG_HOME: xdg };
    const p = resolvePaths({ env, platform: 'linux', homedir: home, tmpdir: root, uid: 1000 });
    await install({ ...opts, env, paths: p, browsers: ['chrome'] });
    expect(JSON.parse(await readFile(join(xdg, 'google-chrome/NativeMessagingHosts/voispeed.ui.json'), 'utf8')).path).toBe(
      join(xdg, 'voispeed/host/voispeed-host.sh'),
    );
  });

  itPosix('uninstalling one browser keeps the launcher for the others', async () => {
    await install({ ...opts, browsers: ['chrome', 'firefox'] });
    await uninstall({ ...opts, browsers: ['chrome'] });
    await expect(stat(join(home, '.config/google-chrome'))).rejects.toMatchObject({ code: 'ENOENT' });
    await stat(join(home, '.mozilla/native-messaging-hosts/voispeed.ui.json'));
    await stat(join(home, '.config/voispeed/host/voispeed-host.sh'));
    await uninstall({ ...opts, browsers: ['firefox'] });
    await expect(stat(join(home, '.config/voispeed/host'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(join(home, '.mozilla'))).rejects.toMatchObject({ code: 'ENOENT' });
    lines = [];
    await uninstall(opts);
    expect(lines).toEqual([expect.stringMatching(/^nothing to uninstall: no install record at /)]);
  });

  itPosix('a user data dir gets its own manifest and its own uninstall', async () => {
    const profile = join(root, 'profile');
    await install({ ...opts, browsers: ['chrome'] });
    await install({ ...opts, userDataDir: profile });
    const manifest = join(profile, 'NativeMessagingHosts/voispeed.ui.json');
    expect(JSON.parse(await readFile(manifest, 'utf8')).allowed_origins).toHaveLength(1);
    await uninstall({ ...opts, userDataDir: profile });
    // The installer created the profile folder too, so it goes; Chrome's default install stays.
    await expect(stat(profile)).rejects.toMatchObject({ code: 'ENOENT' });
    await stat(join(home, '.config/google-chrome/NativeMessagingHosts/voispeed.ui.json'));
    await expect(install({ ...opts, userDataDir: profile, browsers: ['firefox'] })).rejects.toThrow(/Chromium-family/);
  });

  itPosix('leaves a file that changed after install, and says so', async () => {
    await install({ ...opts, browsers: ['chrome'] });
    const manifest = join(home, '.config/google-chrome/NativeMessagingHosts/voispeed.ui.json');
    await writeFile(manifest, '{"rewritten": true}\n');
    lines = [];
    await uninstall(opts);
    expect(await readFile(manifest, 'utf8')).toContain('rewritten');
    expect(lines).toContain(`kept ${manifest}: it changed after voispeed installed it`);
    expect(lines).toContain(`kept ${join(home, '.config/google-chrome/NativeMessagingHosts')}: folder not empty`);
    await expect(stat(join(paths.configDir, 'install-record.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  itPosix('--dry-run changes nothing and says what it would do', async () => {
    const before = await snapshot(home);
    await install({ ...opts, browsers: ['chrome'], dryRun: true });
    expect(await snapshot(home)).toEqual(before);
    expect(lines).toEqual([
      `would write ${join(home, '.config/voispeed/host/voispeed-host.sh')} (launcher, mode 0755)`,
      `would write ${join(home, '.config/google-chrome/NativeMessagingHosts/voispeed.ui.json')} (Google Chrome host manifest, mode 0644)`,
      `would write ${join(home, '.config/voispeed/install-record.json')} (install record)`,
    ]);
    await install({ ...opts, browsers: ['chrome'] });
    const installed = await snapshot(home);
    lines = [];
    await uninstall({ ...opts, dryRun: true });
    expect(await snapshot(home)).toEqual(installed);
    expect(lines[0]).toMatch(/^would remove .*voispeed\.ui\.json \(Google Chrome host manifest\)$/);
  });

  itPosix('refuses to install without a built host', async () => {
    await rm(join(bundleDir, 'host.cjs'));
    await expect(install({ ...opts, browsers: ['chrome'] })).rejects.toThrow(/host bundle not found: .*host\.cjs \(run `npm run build` first\)/);
  });

  itPosix('records what was written before a failure, so uninstall still cleans up', async () => {
    // ~/.mozilla as a file makes the Firefox step (the last) fail after the others succeeded.
    await writeFile(join(home, '.mozilla'), 'not a folder');
    await expect(install({ ...opts, browsers: 'all' })).rejects.toThrow(/^cannot create the folder .*native-messaging-hosts/);
    const record = await loadRecord(join(paths.configDir, 'install-record.json'));
    expect(record.entries.filter((e) => e.kind === 'file').map((e) => e.browser ?? e.component)).toEqual([
      'launcher',
      'chrome',
      'chromium',
      'edge',
      'brave',
    ]);
    await uninstall(opts);
    expect(Object.keys(await snapshot(home))).toEqual(['/.config', '/.config/voispeed', '/.mozilla']);
  });

  itPosix('refuses a corrupt record before writing anything', async () => {
    await mkdir(paths.configDir, { recursive: true });
    await writeFile(join(paths.configDir, 'install-record.json'), 'nope');
    await expect(install({ ...opts, browsers: ['chrome'] })).rejects.toThrow(/install-record\.json is not valid JSON/);
    await expect(stat(join(home, '.config/google-chrome'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  itPosix('keeps the launcher executable under a strict umask', async () => {
    const old = process.umask(0o077);
    try {
      await install({ ...opts, browsers: ['chrome'] });
    } finally {
      process.umask(old);
    }
    expect((await stat(join(home, '.config/voispeed/host/voispeed-host.sh'))).mode & 0o777).toBe(0o755);
  });

  itPosix('reports a folder it cannot write to in one line', async () => {
    if (process.getuid?.() === 0) return; // root ignores folder modes
    await mkdir(join(home, '.config/chromium/NativeMessagingHosts'), { recursive: true });
    await chmod(join(home, '.config/chromium/NativeMessagingHosts'), 0o500);
    await expect(install({ ...opts, browsers: ['chromium'] })).rejects.toThrow(/^cannot write .*voispeed\.ui\.json: EACCES/);
    await chmod(join(home, '.config/chromium/NativeMessagingHosts'), 0o700);
  });
});

describe.skipIf(process.platform === 'win32')('registry steps through a fake reg.exe', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'voispeed-reg-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function fakeReg(): { runner: CommandRunner; calls: string[][]; keys: Set<string> } {
    const calls: string[][] = [];
    const keys = new Set<string>();
    const runner: CommandRunner = async (program, args) => {
      calls.push([program, ...args]);
      const [verb, key = ''] = args;
      if (verb === 'add') keys.add(key);
      if (verb === 'delete' && !keys.delete(key)) return { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.' };
      if (verb === 'query' && !keys.has(key)) return { code: 1, stdout: '', stderr: 'ERROR: not found' };
      return { code: 0, stdout: '', stderr: '' };
    };
    return { runner, calls, keys };
  }

  it('adds after writing the manifest, records the key, deletes it on uninstall', async () => {
    const reg = fakeReg();
    const manifest = join(root, 'host', 'voispeed.ui-chrome.json');
    const key = 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\voispeed.ui';
    const owner = { component: 'host-manifest' as const, browser: 'chrome' as const };
    const steps: InstallStep[] = [
      { kind: 'write-file', path: manifest, contents: '{}\n', mode: 0o644, dirMode: 0o700, owner, label: 'Google Chrome host manifest' },
      { kind: 'registry-add', key, value: manifest, program: 'C:\\Windows\\System32\\reg.exe', args: ['add', key, '/ve', '/t', 'REG_SZ', '/d', manifest, '/f'], owner, label: 'Google Chrome registry key' },
    ];
    const written: RecordEntry[] = [];
    const log: string[] = [];
    await executeInstall(steps, { runner: reg.runner, log: (l) => log.push(l) }, written);
    expect(reg.calls).toEqual([['C:\\Windows\\System32\\reg.exe', 'add', key, '/ve', '/t', 'REG_SZ', '/d', manifest, '/f']]);
    expect(written.map((e) => `${e.kind} ${e.path}`)).toEqual([`dir ${join(root, 'host')}`, `file ${manifest}`, `registry ${key}`]);
    expect(log[1]).toBe(`registered ${key} = ${manifest}`);

    const outcome = await executeUninstall(planUninstall(written, { SystemRoot: 'C:\\Windows' }), { runner: reg.runner, log: (l) => log.push(l) });
    expect(outcome.failed).toEqual([]);
    expect(reg.calls[1]).toEqual(['C:\\Windows\\System32\\reg.exe', 'delete', key, '/f']);
    expect(reg.keys.size).toBe(0);
    expect(await readdir(root)).toEqual([]);
  });

  it('a key already gone is fine; a key that will not go is reported and kept', async () => {
    const entry: RecordEntry = { kind: 'registry', path: 'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\voispeed.ui', component: 'host-manifest', browser: 'firefox' };
    const reg = fakeReg();
    const log: string[] = [];
    const gone = await executeUninstall(planUninstall([entry], {}), { runner: reg.runner, log: (l) => log.push(l) });
    expect(gone.done).toEqual([entry]);
    expect(log).toEqual([`already gone: ${entry.path}`]);
    expect(reg.calls.map((c) => c[1])).toEqual(['delete', 'query']);

    const stuck: CommandRunner = async (_p, args) =>
      args[0] === 'delete' ? { code: 1, stdout: '', stderr: 'ERROR: Access is denied.\r\n' } : { code: 0, stdout: '', stderr: '' };
    const denied = await executeUninstall(planUninstall([entry], {}), { runner: stuck, log: () => undefined });
    expect(denied.failed).toEqual([{ entry, message: `reg.exe could not delete ${entry.path}: ERROR: Access is denied.` }]);
  });

  it('a failing reg.exe add stops the install with its message', async () => {
    const steps: InstallStep[] = [
      { kind: 'registry-add', key: 'HKCU\\Software\\X\\voispeed.ui', value: 'C:\\m.json', program: 'reg.exe', args: [], owner: { component: 'host-manifest', browser: 'edge' }, label: 'x' },
    ];
    const runner: CommandRunner = async () => ({ code: 1, stdout: '', stderr: 'ERROR: Access is denied.' });
    const written: RecordEntry[] = [];
    await expect(executeInstall(steps, { runner, log: () => undefined }, written)).rejects.toThrow(
      'reg.exe could not write HKCU\\Software\\X\\voispeed.ui: ERROR: Access is denied.',
    );
    expect(written).toEqual([]);
  });
});
