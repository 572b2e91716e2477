import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import { publicSettings } from '../../../shared/settings';
import { SettingsService } from './settings-service';
import { SettingsStore } from './settings-store';

let root: string;
let file: string;
let service: SettingsService;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'voispeed-settings-service-'));
  file = join(root, 'settings.json');
  service = new SettingsService(new SettingsStore(file));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const account = { wsUrls: ['ws://127.0.0.1:8080/ws'], uri: 'sip:1001@pbx.example', authUser: '1001', password: 's3cret' };

describe('SettingsService', () => {
  it('fills in the defaults of sections the file does not have', async () => {
    const pub = publicSettings(await service.load());
    expect(pub.preferences.dnd).toBe(false);
    expect(pub.account).toBeUndefined();
  });

  it('saves one section, tells the listeners and never shows the password', async () => {
    const seen: string[] = [];
    service.onChange((_s, changed) => seen.push(changed));
    const next = await service.set('account', account);
    expect(seen).toEqual(['account']);
    const pub = publicSettings(next);
    expect(pub.account).toMatchObject({ uri: 'sip:1001@pbx.example', passwordSaved: true });
    expect(JSON.stringify(pub)).not.toContain('s3cret');
    expect(JSON.parse(await readFile(file, 'utf8')).account.password).toBe('s3cret');
  });

  it('keeps the saved password when the account comes back without one', async () => {
    await service.set('account', account);
    const { password: _p, ...withoutSecret } = account;
    const next = await service.set('account', { ...withoutSecret, displayName: 'Alice', passwordSaved: true });
    expect(next.account).toMatchObject({ password: 's3cret', displayName: 'Alice' });
  });

  it('never shows an HA1 either, and keeps it when the account comes back without a secret', async () => {
    const { password: _p, ...rest } = account;
    const ha1 = '0123456789abcdef0123456789abcdef';
    const saved = await service.set('account', { ...rest, ha1, realm: 'pbx.example' });
    const pub = publicSettings(saved);
    expect(pub.account).toMatchObject({ ha1Saved: true, passwordSaved: false });
    expect(JSON.stringify(pub)).not.toContain(ha1);
    const again = await service.set('account', { ...pub.account, displayName: 'Bob' });
    expect(again.account).toMatchObject({ ha1, displayName: 'Bob' });
  });

  it('refuses a bad value naming the field, and the file is unchanged', async () => {
    await service.set('preferences', { dnd: true });
    const before = await readFile(file, 'utf8');
    const err = await service.set('account', { ...account, wsUrls: ['http://nope'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe(ErrorCode.INVALID_SETTINGS);
    expect((err as ProtocolError).message).toMatch(/^account\.wsUrls\.0: /);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('serialises concurrent writes so no section is lost', async () => {
    await Promise.all([service.set('account', account), service.set('preferences', { dnd: true })]);
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk.account.uri).toBe('sip:1001@pbx.example');
    expect(onDisk.preferences.dnd).toBe(true);
  });
});
