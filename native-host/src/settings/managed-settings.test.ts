import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import { publicSettings } from '../../../shared/settings';
import { lockedFields, lockViolation, parseManagedPolicy } from '../../../shared/settings/managed';
import { ManagedPolicies } from './managed-policies';
import { applyManaged } from './managed-merge';
import { SettingsService } from './settings-service';
import { SettingsStore } from './settings-store';

const HA1 = '0123456789abcdef0123456789abcdef';
const userAccount = { wsUrls: ['ws://127.0.0.1:8080/ws'], uri: 'sip:1001@pbx.example', password: 'mine' };

describe('parseManagedPolicy', () => {
  it('keeps the valid keys and names every refused one, the password first of all', () => {
    const { values, problems } = parseManagedPolicy({ AccountUri: 'sip:201@pbx.example', AccountPassword: 'x', AccountHa1: 'nothex', Colour: 'red', IntegraEnabled: true });
    expect(values).toEqual({ AccountUri: 'sip:201@pbx.example', IntegraEnabled: true });
    expect(problems.map((p) => p.key)).toEqual(['AccountPassword', 'AccountHa1', 'Colour']);
    expect(problems[0]?.reason).toMatch(/plain password is refused.*AccountHa1/);
  });

  it.each([null, undefined, 'text', 42, [1]])('is total: %j gives no values', (raw) => {
    expect(parseManagedPolicy(raw).values).toEqual({});
  });
});

describe('lockViolation', () => {
  const managed = { AccountUri: 'sip:201@pbx.example', AccountHa1: HA1 };
  it('refuses a different value, names field and key; the managed value or none is fine', () => {
    expect(lockViolation(managed, 'account', { uri: 'sip:999@pbx.example' })).toEqual({ field: 'account.uri', key: 'AccountUri' });
    expect(lockViolation(managed, 'account', { uri: 'sip:201@pbx.example', wsUrls: ['ws://x/'] })).toBeUndefined();
    expect(lockViolation(managed, 'account', { wsUrls: ['ws://x/'] })).toBeUndefined();
    expect(lockViolation(managed, 'account', { password: 'p' })).toEqual({ field: 'account.password', key: 'AccountHa1' });
    expect(lockViolation(managed, 'account', null)).toEqual({ field: 'account.uri', key: 'AccountUri' });
    expect(lockViolation(managed, 'integra', { enabled: true })).toBeUndefined();
    expect(lockedFields(managed)).toEqual(['account.uri', 'account.ha1', 'account.password']);
  });
});

describe('applyManaged', () => {
  it('lays managed fields over the user account; a managed HA1 drops the user password', () => {
    const { settings, problems } = applyManaged({ version: 1, account: userAccount }, { AccountUri: 'sip:201@pbx.example', AccountHa1: HA1 });
    expect(problems).toEqual([]);
    expect(settings.account).toEqual({ wsUrls: userAccount.wsUrls, uri: 'sip:201@pbx.example', ha1: HA1 });
  });

  it('leaves out an account the policy makes incomplete, saying what is missing', () => {
    const { settings, problems } = applyManaged({ version: 1 }, { AccountUri: 'sip:201@pbx.example' });
    expect(settings.account).toBeUndefined();
    expect(problems[0]).toMatch(/wsUrls/);
  });

  it('managed hotkeys win even when they clash with the user own ones', () => {
    const user = { version: 1 as const, hotkeys: { enabled: true, dial: 'Ctrl+Alt+Shift+K', show: 'Ctrl+Alt+Shift+P' } };
    const { settings } = applyManaged(user, { HotkeyShow: 'Ctrl+Alt+Shift+K' });
    expect(settings.hotkeys).toMatchObject({ show: 'Ctrl+Alt+Shift+K', dial: 'Ctrl+Alt+Shift+D' });
  });
});

describe('managed directory keys (issue 18)', () => {
  const values = parseManagedPolicy({ DirectoryLdapEnabled: true, DirectoryLdapUrl: 'ldaps://ldap.example.com', DirectoryLdapBaseDn: 'ou=people,dc=example', DirectoryCrmUrl: 'https://crm.example/l?n=!01' }).values;

  it('lay nested fields over the user own LDAP and CRM settings, keeping the user password', () => {
    const user = { version: 1 as const, directory: { ldap: { url: 'ldap://old', bindDn: 'cn=me', password: 'mine', baseDn: 'dc=old' }, crm: { headerName: 'X-Key', headerValue: 'k' } } };
    const { settings, problems } = applyManaged(user as never, values);
    expect(problems).toEqual([]);
    expect(settings.directory).toMatchObject({
      ldap: { enabled: true, url: 'ldaps://ldap.example.com', baseDn: 'ou=people,dc=example', bindDn: 'cn=me', password: 'mine' },
      crm: { urlTemplate: 'https://crm.example/l?n=!01', headerName: 'X-Key', headerValue: 'k' },
    });
    expect(lockedFields(values)).toEqual(['directory.ldap.enabled', 'directory.ldap.url', 'directory.ldap.baseDn', 'directory.crm.urlTemplate']);
  });

  it('refuse a user change of a locked nested field, not of the others', () => {
    expect(lockViolation(values, 'directory', { ldap: { url: 'ldap://mine' } })).toEqual({ field: 'directory.ldap.url', key: 'DirectoryLdapUrl' });
    expect(lockViolation(values, 'directory', { ldap: { url: 'ldaps://ldap.example.com', bindDn: 'cn=other', password: 'x' } })).toBeUndefined();
  });
});

describe('SettingsService with managed policies', () => {
  let root: string;
  let system: string;
  let service: SettingsService;
  const warnings: string[] = [];
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'voispeed-managed-'));
    system = join(root, 'etc-settings.json');
    warnings.length = 0;
    const policies = new ManagedPolicies({ system, browser: join(root, 'home', 'browser-policy.json') }, { warn: (_o, m) => warnings.push(m), info: () => undefined });
    service = new SettingsService(new SettingsStore(join(root, 'home', 'settings.json')), policies);
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('a load at start-up that races the browser policy keeps it (the account provisioned by the browser stays)', async () => {
    const policy = { AccountUri: 'sip:201@pbx.example', AccountServers: ['wss://pbx.example/ws'], AccountHa1: HA1 };
    // As at host start: the extension's policy arrives while the host reads its settings.
    const [, loaded] = await Promise.all([service.setBrowserPolicy(policy), service.load()]);
    expect(loaded.account?.uri).toBe('sip:201@pbx.example');
    expect((await service.get()).account?.uri).toBe('sip:201@pbx.example');
    // The other order too.
    const [again] = await Promise.all([service.load(), service.setBrowserPolicy({ ...policy, AccountUri: 'sip:202@pbx.example' })]);
    expect(again.account?.uri).toBe('sip:201@pbx.example');
    expect((await service.load()).account?.uri).toBe('sip:202@pbx.example');
  });

  it('the system file wins over the browser policy, which wins over the user', async () => {
    await service.load();
    await service.set('account', userAccount);
    await writeFile(system, JSON.stringify({ AccountUri: 'sip:300@pbx.example' }));
    await service.load();
    await service.setBrowserPolicy({ AccountUri: 'sip:201@pbx.example', AccountServers: ['wss://pbx.example/ws'], AccountHa1: HA1 });
    const s = await service.get();
    expect(s.account).toEqual({ wsUrls: ['wss://pbx.example/ws'], uri: 'sip:300@pbx.example', ha1: HA1 });
    expect(publicSettings(s, service.locked()).locked).toEqual(['account.wsUrls', 'account.uri', 'account.ha1', 'account.password']);
  });

  it('refuses a change to a managed field with SETTING_LOCKED naming field, key and source; saves nothing', async () => {
    await writeFile(system, JSON.stringify({ AccountUri: 'sip:300@pbx.example', AccountServers: ['ws://127.0.0.1:1/ws'] }));
    await service.load();
    const err = await service.set('account', userAccount).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe(ErrorCode.SETTING_LOCKED);
    expect((err as ProtocolError).data).toEqual({ field: 'account.wsUrls', key: 'AccountServers' });
    expect((err as ProtocolError).message).toContain(system);
    await expect(readFile(join(root, 'home', 'settings.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    // The same value as the managed one, with the user's own password: accepted.
    await service.set('account', { ...userAccount, uri: 'sip:300@pbx.example', wsUrls: ['ws://127.0.0.1:1/ws'] });
    expect((await service.get()).account?.password).toBe('mine');
  });

  it('a new browser policy tells the listeners of the sections it changed, and is kept for the next host', async () => {
    await service.load();
    const seen: string[] = [];
    service.onChange((_s, section) => seen.push(section));
    const r = await service.setBrowserPolicy({ IntegraEnabled: true, AccountPassword: 'x' });
    expect(r).toEqual({ applied: ['IntegraEnabled'], refused: [expect.objectContaining({ key: 'AccountPassword' })] });
    expect(seen).toEqual(['integra']);
    expect(warnings.some((w) => /plain password is refused/.test(w))).toBe(true);
    expect(JSON.parse(await readFile(join(root, 'home', 'browser-policy.json'), 'utf8'))).toEqual({ IntegraEnabled: true });
    const again = new SettingsService(new SettingsStore(join(root, 'home', 'settings.json')), new ManagedPolicies({ system, browser: join(root, 'home', 'browser-policy.json') }, { warn: () => undefined, info: () => undefined }));
    expect((await again.load()).integra?.enabled).toBe(true);
  });

  it('a system file that is not JSON applies nothing and is logged; the user settings still load', async () => {
    await writeFile(system, '{ not json');
    await service.load();
    expect(service.locked()).toEqual([]);
    expect(warnings.join('\n')).toMatch(/not valid JSON/);
  });
});
