import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRecord, mergeEntries, saveRecord, selectEntries, type RecordEntry } from './install-record';

const launcher: RecordEntry = { kind: 'file', path: '/c/host/voispeed-host.sh', component: 'launcher' };
const chrome: RecordEntry = { kind: 'file', path: '/g/NativeMessagingHosts/voispeed.ui.json', component: 'host-manifest', browser: 'chrome' };
const firefox: RecordEntry = { kind: 'file', path: '/m/voispeed.ui.json', component: 'host-manifest', browser: 'firefox' };
const profile: RecordEntry = { kind: 'file', path: '/p/NativeMessagingHosts/voispeed.ui.json', component: 'host-manifest', browser: 'chromium', userDataDir: '/p' };
const profileDir: RecordEntry = { kind: 'dir', path: '/p/NativeMessagingHosts', component: 'host-manifest', browser: 'chromium', userDataDir: '/p' };
const urlHandler: RecordEntry = { kind: 'file', path: '/x/voispeed.desktop', component: 'url-handler' };
const all = [launcher, chrome, firefox, profile, profileDir, urlHandler];

describe('selectEntries', () => {
  it('everything', () => {
    expect(selectEntries(all, { kind: 'everything' })).toEqual({ remove: all, keep: [] });
  });

  it('one browser keeps the launcher while another manifest still uses it', () => {
    const { remove, keep } = selectEntries(all, { kind: 'browsers', browsers: ['chrome'] });
    expect(remove).toEqual([chrome]);
    expect(keep).toContain(launcher);
  });

  it('a user data dir picks only that dir’s manifest and folders', () => {
    expect(selectEntries(all, { kind: 'user-data-dir', userDataDir: '/p' }).remove).toEqual([profile, profileDir]);
  });

  it('the launcher goes with the last manifest; other components stay', () => {
    const { remove, keep } = selectEntries([launcher, firefox, urlHandler], { kind: 'browsers', browsers: ['firefox'] });
    expect(remove).toEqual([firefox, launcher]);
    expect(keep).toEqual([urlHandler]);
  });
});

describe('mergeEntries', () => {
  it('replaces the entry for the same target in place and appends new ones', () => {
    const newer = { ...chrome, sha256: 'a'.repeat(64) };
    expect(mergeEntries([launcher, chrome, firefox], [newer, urlHandler])).toEqual([launcher, newer, firefox, urlHandler]);
  });

  it('compares registry keys case-insensitively', () => {
    const a: RecordEntry = { kind: 'registry', path: 'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\voispeed.ui', component: 'host-manifest', browser: 'firefox' };
    const b = { ...a, path: a.path.toUpperCase() };
    expect(mergeEntries([a], [b])).toEqual([b]);
  });
});

describe('record file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'voispeed-record-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips at mode 0600 and is deleted when empty', async () => {
    const file = join(dir, 'cfg', 'install-record.json');
    expect(await loadRecord(file)).toEqual({ version: 1, entries: [] });
    expect(await saveRecord(file, { version: 1, entries: [launcher, chrome] })).toBe('written');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadRecord(file)).entries).toEqual([launcher, chrome]);
    expect(await saveRecord(file, { version: 1, entries: [] })).toBe('removed');
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await saveRecord(file, { version: 1, entries: [] })).toBe('none');
  });

  it('refuses a corrupt record or one naming things the installer never writes', async () => {
    const file = join(dir, 'install-record.json');
    await writeFile(file, '{oops');
    await expect(loadRecord(file)).rejects.toThrow(/not valid JSON/);
    await writeFile(file, JSON.stringify({ version: 1, entries: [{ kind: 'file', path: 'relative/x', component: 'launcher' }] }));
    await expect(loadRecord(file)).rejects.toThrow(/entries\.0\.path/);
    await writeFile(file, JSON.stringify({ version: 1, entries: [{ kind: 'registry', path: 'HKLM\\Software\\X', component: 'host-manifest' }] }));
    await expect(loadRecord(file)).rejects.toThrow(/HKCU/);
    expect(await readFile(file, 'utf8')).toContain('HKLM');
  });
});
