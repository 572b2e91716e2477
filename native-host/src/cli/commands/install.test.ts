import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../settings/paths';
import type { CliContext } from '../command';
import { runCli } from '../main';
import { parseInstallFlags } from './install-options';

describe('install / uninstall flags', () => {
  it('defaults to the browsers found, no user data dir, no dry run', () => {
    expect(parseInstallFlags([])).toEqual({ browsers: undefined, userDataDir: undefined, dryRun: false, noUrlHandler: false });
    expect(parseInstallFlags(['--no-url-handler']).noUrlHandler).toBe(true);
  });

  it('takes --browser once, repeated, or comma-separated; all wins', () => {
    expect(parseInstallFlags(['--browser', 'firefox']).browsers).toEqual(['firefox']);
    expect(parseInstallFlags(['--browser', 'chrome', '--browser', 'Edge,brave']).browsers).toEqual(['chrome', 'edge', 'brave']);
    expect(parseInstallFlags(['--browser', 'chrome', '--browser', 'all']).browsers).toBe('all');
  });

  it('makes --user-data-dir absolute', () => {
    expect(parseInstallFlags(['--user-data-dir', 'prof']).userDataDir).toBe(join(process.cwd(), 'prof'));
  });

  it('refuses an unknown browser with exit code 2', () => {
    expect(() => parseInstallFlags(['--browser', 'opera'])).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/unknown browser "opera"/) }));
  });
});

describe.skipIf(process.platform === 'win32')('voispeed install / uninstall', () => {
  let root: string;
  let out: string[];
  let err: string[];
  let ctx: CliContext;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'voispeed-cli-install-'));
    const home = join(root, 'home');
    await mkdir(join(root, 'bundle'), { recursive: true });
    await mkdir(home);
    await writeFile(join(root, 'bundle', 'host.cjs'), '');
    const env = { VOISPEED_HOME: join(root, 'vhome') };
    out = [];
    err = [];
    ctx = {
      env,
      platform: 'linux',
      paths: resolvePaths({ env, platform: 'linux', homedir: home, tmpdir: root, uid: 1000 }),
      homedir: home,
      uid: 1000,
      bundleDir: join(root, 'bundle'),
      nodePath: process.execPath,
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    };
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('installs into a user data dir, one line per file, and uninstalls it', async () => {
    const profile = join(root, 'profile');
    expect(await runCli(['install', '--user-data-dir', profile], ctx)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([
      `wrote ${join(root, 'vhome/host/voispeed-host.sh')} (launcher)`,
      `wrote ${join(profile, 'NativeMessagingHosts/voispeed.ui.json')} (Chromium host manifest)`,
      `wrote ${join(root, 'vhome/install-record.json')} (install record)`,
    ]);
    expect(await readFile(join(root, 'vhome/host/voispeed-host.sh'), 'utf8')).toContain(`VOISPEED_HOME='${join(root, 'vhome')}'`);
    out = [];
    expect(await runCli(['uninstall'], ctx)).toBe(0);
    expect(out).toContain(`removed ${join(profile, 'NativeMessagingHosts/voispeed.ui.json')} (Chromium host manifest)`);
    await expect(stat(profile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails with one line and a non-zero code', async () => {
    expect(await runCli(['install', '--browser', 'firefox', '--user-data-dir', join(root, 'p')], ctx)).toBe(1);
    expect(err).toEqual(['voispeed: --user-data-dir applies only to a Chromium-family browser, not Firefox']);
    err = [];
    expect(await runCli(['install'], ctx)).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^voispeed: found no supported browser/);
    err = [];
    expect(await runCli(['install', '--browser', 'netscape'], ctx)).toBe(2);
    expect(err).toHaveLength(1);
    err = [];
    expect(await runCli(['install', '--bogus'], ctx)).toBe(2);
    expect(err).toHaveLength(1);
    await expect(stat(join(root, 'vhome'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('--dry-run writes nothing', async () => {
    await writeFile(join(root, 'bundle', 'voispeed.cjs'), '');
    expect(await runCli(['install', '--browser', 'all', '--dry-run'], ctx)).toBe(0);
    // Launcher, five manifests, URL launcher, desktop entry, xdg-mime, desktop database, record.
    expect(out).toHaveLength(11);
    expect(out.every((l) => l.startsWith('would write ') || l.startsWith('would run '))).toBe(true);
    expect(out).toContain('would run xdg-mime default voispeed-url-handler.desktop x-scheme-handler/voispeed');
    out = [];
    expect(await runCli(['install', '--browser', 'all', '--dry-run', '--no-url-handler'], ctx)).toBe(0);
    expect(out).toHaveLength(7);
    expect(out.every((l) => l.startsWith('would write '))).toBe(true);
    await expect(stat(join(root, 'vhome'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('uninstall with nothing installed says so and succeeds', async () => {
    expect(await runCli(['uninstall', '--browser', 'chrome'], ctx)).toBe(0);
    expect(out).toEqual([`nothing to uninstall: no install record at ${join(root, 'vhome/install-record.json')}`]);
  });

  it('is listed in --help', async () => {
    await runCli(['--help'], ctx);
    expect(out.join('\n')).toMatch(/install \[--browser B\] \[--user-data-dir DIR\] .*--dry-run/);
    expect(out.join('\n')).toMatch(/uninstall \[--browser B\]/);
  });
});

describe('in the Windows single executable (the MSI)', () => {
  it('install and uninstall refuse with one sentence naming the MSI, touching nothing', async () => {
    for (const cmd of [['install', '--browser', 'chrome'], ['uninstall']]) {
      const out: string[] = [];
      const err: string[] = [];
      const ctx: CliContext = {
        env: {},
        platform: 'win32',
        paths: resolvePaths({ env: {}, platform: 'win32', homedir: 'C:\\Users\\a', tmpdir: 'C:\\Temp', uid: 0 }),
        homedir: 'C:\\Users\\a',
        uid: 0,
        bundleDir: 'C:\\Users\\a\\AppData\\Local\\VOIspeed UI',
        nodePath: 'C:\\Users\\a\\AppData\\Local\\VOIspeed UI\\voispeed.exe',
        singleExecutable: true,
        out: (l) => out.push(l),
        err: (l) => err.push(l),
      };
      expect(await runCli(cmd, ctx)).toBe(1);
      expect(err).toEqual([expect.stringMatching(/^voispeed: the MSI registered this host with every browser already/)]);
      expect(out).toEqual([]);
    }
  });
});
