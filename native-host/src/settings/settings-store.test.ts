import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import { SETTINGS_VERSION, type Settings } from './settings-schema';
import { SettingsStore } from './settings-store';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'voispeed-settings-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const account: NonNullable<Settings['account']> = {
  wsUrls: ['wss://pbx.example:8089/ws', 'ws://backup.example:8088/ws'],
  uri: 'sip:1001@pbx.example',
  authUser: '1001',
  ha1: '0123456789abcdef0123456789abcdef',
  realm: 'pbx.example',
  displayName: 'Alice',
  extension: '1001',
  label: 'sandbox',
};

async function rejection(p: Promise<unknown>): Promise<ProtocolError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return err as ProtocolError;
  }
  throw new Error('expected a rejection');
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('SettingsStore', () => {
  it('returns the defaults when the file does not exist, without creating it', async () => {
    const file = join(root, 'cfg', 'settings.json');
    const store = new SettingsStore(file);
    expect(store.path).toBe(file);
    expect(await store.load()).toEqual({ version: SETTINGS_VERSION });
    await expect(stat(join(root, 'cfg'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('round-trips what it saved', async () => {
    const store = new SettingsStore(join(root, 'cfg', 'settings.json'));
    const settings: Settings = { version: SETTINGS_VERSION, account };
    await store.save(settings);
    expect(await store.load()).toEqual(settings);
    // A second store on the same file sees the same thing.
    expect(await new SettingsStore(store.path).load()).toEqual(settings);
  });

  it('writes the file 0600 in a folder 0700, creating missing folders', async () => {
    const dir = join(root, 'a', 'b');
    const store = new SettingsStore(join(dir, 'settings.json'));
    await store.save({ version: SETTINGS_VERSION, account });
    expect(await mode(store.path)).toBe(0o600);
    expect(await mode(dir)).toBe(0o700);
  });

  it('tightens an existing folder and file that were too open', async () => {
    const dir = join(root, 'cfg');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    const file = join(dir, 'settings.json');
    await writeFile(file, JSON.stringify({ version: SETTINGS_VERSION }), { mode: 0o644 });
    await chmod(file, 0o644);
    await new SettingsStore(file).save({ version: SETTINGS_VERSION, account });
    expect(await mode(file)).toBe(0o600);
    expect(await mode(dir)).toBe(0o700);
  });

  it('leaves no temporary file behind', async () => {
    const dir = join(root, 'cfg');
    const store = new SettingsStore(join(dir, 'settings.json'));
    await store.save({ version: SETTINGS_VERSION });
    await store.save({ version: SETTINGS_VERSION, account });
    await store.update((s) => ({ ...s, account: { ...account, label: 'prod' } }));
    expect(await readdir(dir)).toEqual(['settings.json']);
    expect((await store.load()).account?.label).toBe('prod');
  });

  it('writes readable JSON', async () => {
    const store = new SettingsStore(join(root, 'settings.json'));
    await store.save({ version: SETTINGS_VERSION, account });
    const text = await readFile(store.path, 'utf8');
    expect(JSON.parse(text)).toEqual({ version: SETTINGS_VERSION, account });
    expect(text.endsWith('\n')).toBe(true);
  });

  it('refuses invalid JSON with INVALID_SETTINGS naming the file, and does not overwrite it', async () => {
    const file = join(root, 'settings.json');
    const broken = '{"version": 1, "account": {';
    await writeFile(file, broken);
    const store = new SettingsStore(file);
    const err = await rejection(store.load());
    expect(err.code).toBe(ErrorCode.INVALID_SETTINGS);
    expect(err.message).toContain(file);
    expect(await readFile(file, 'utf8')).toBe(broken);
    // update() must not "repair" the file with defaults either.
    await expect(store.update((s) => s)).rejects.toBeInstanceOf(ProtocolError);
    expect(await readFile(file, 'utf8')).toBe(broken);
  });

  it('names the offending field of a schema violation, and does not overwrite the file', async () => {
    const file = join(root, 'settings.json');
    const bad = JSON.stringify({ version: SETTINGS_VERSION, account: { ...account, wsUrls: ['http://pbx.example/ws'] } });
    await writeFile(file, bad);
    const err = await rejection(new SettingsStore(file).load());
    expect(err.code).toBe(ErrorCode.INVALID_SETTINGS);
    expect(err.message).toContain('account.wsUrls.0');
    expect(err.message).toContain(file);
    expect(err.data).toEqual({ field: 'account.wsUrls.0' });
    expect(await readFile(file, 'utf8')).toBe(bad);
  });

  it.each([
    ['a wrong version', { version: 99 }, 'version'],
    ['a bad SIP URI', { version: SETTINGS_VERSION, account: { ...account, uri: 'tel:1001' } }, 'account.uri'],
    ['a bad HA1', { version: SETTINGS_VERSION, account: { ...account, ha1: 'xyz' } }, 'account.ha1'],
    ['no server', { version: SETTINGS_VERSION, account: { ...account, wsUrls: [] } }, 'account.wsUrls'],
    ['not an object', [1, 2], '(root)'],
  ])('reports %s as field "%s"', async (_name, value, field) => {
    const file = join(root, 'settings.json');
    await writeFile(file, JSON.stringify(value));
    const err = await rejection(new SettingsStore(file).load());
    expect(err.code).toBe(ErrorCode.INVALID_SETTINGS);
    expect(err.message).toContain(`"${field}"`);
  });

  it('refuses an unknown key (strict schema) and names it', async () => {
    const file = join(root, 'settings.json');
    await writeFile(file, JSON.stringify({ version: SETTINGS_VERSION, acount: {} }));
    const err = await rejection(new SettingsStore(file).load());
    expect(err.code).toBe(ErrorCode.INVALID_SETTINGS);
    expect(err.message).toContain('acount');
  });

  it('refuses to save invalid settings and leaves the old file intact', async () => {
    const store = new SettingsStore(join(root, 'cfg', 'settings.json'));
    await store.save({ version: SETTINGS_VERSION, account });
    const before = await readFile(store.path, 'utf8');
    const err = await rejection(store.save({ version: SETTINGS_VERSION, account: { ...account, uri: 'nope' } }));
    expect(err.code).toBe(ErrorCode.INVALID_SETTINGS);
    expect(err.message).toContain('account.uri');
    expect(await readFile(store.path, 'utf8')).toBe(before);
    expect(await readdir(join(root, 'cfg'))).toEqual(['settings.json']);
  });

  it('passes other read errors through (a folder where the file should be)', async () => {
    const file = join(root, 'settings.json');
    await mkdir(file);
    await expect(new SettingsStore(file).load()).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
