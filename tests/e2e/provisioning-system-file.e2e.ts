import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { startSandbox, stopSandbox, type SandboxStatus } from '../../native-host/src/sandbox';
import { SettingsStore } from '../../native-host/src/settings/settings-store';
import { runCli, type CliRun } from '../support/cli';
import { canUseEtcOverlay, etcOverlay } from '../support/etc-overlay';
import { cliBundle, spawnHost, type HostProcess } from '../support/host-process';
import { tempDir } from '../support/temp';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * The administrator's system file (issue 16) through the real host, CLI, JsSIP and Kamailio: the
 * host registers with the account the file sets although the user saved another one, the managed
 * fields are locked for the protocol and the CLI, a password in the file is refused with a log
 * line. First with VOISPEED_SYSTEM_SETTINGS (no /etc needed), then the real path
 * /etc/voispeed/settings.json in a private /etc (tests/support/etc-overlay.ts).
 */
describe('provisioning: the system settings file', { timeout: 60_000 }, () => {
  const dir = tempDir('prov-sys');
  const home = join(dir.path, 'home');
  const systemFile = join(dir.path, 'system-settings.json');
  let sandbox: SandboxStatus;
  let host: HostProcess;
  let managed: Record<string, unknown>;
  const userAccount = () => ({ wsUrls: ['ws://127.0.0.1:9/ws'], uri: 'sip:7777@user.example', password: 'users-own' });

  beforeAll(async () => {
    sandbox = await startSandbox({ dir: join(home, 'sandbox') });
    const user = sandbox.account.authUser ?? '1001';
    managed = {
      AccountServers: sandbox.account.wsUrls,
      AccountUri: sandbox.account.uri,
      AccountAuthUser: user,
      AccountHa1: md5(`${user}:${sandbox.domain}:${sandbox.account.password}`),
      AccountRealm: sandbox.domain,
      AccountPassword: 'plain-text-never-used',
      HotkeysEnabled: false,
    };
    await writeFile(systemFile, JSON.stringify(managed, null, 2));
    // The user's own account points nowhere: a registration proves the file's account won.
    await new SettingsStore(join(home, 'settings.json')).update((s) => ({ ...s, account: userAccount() }));
    host = spawnHost(home, { VOISPEED_SYSTEM_SETTINGS: systemFile });
    await host.hello();
    await host.frames.waitFor((m) => m?.event === 'registration' && m.data?.state === 'registered', 15_000, 'registered with the managed account');
  });
  afterAll(async () => {
    host?.child.kill('SIGKILL');
    await stopSandbox(join(home, 'sandbox'));
    dir.remove();
  });

  it('the host runs with the file’s account and HA1, shows the fields locked, and logs the refused password', async () => {
    const got = (await host.request('settings.get')) as { result: { settings: { account: Record<string, unknown>; locked: string[]; hotkeys: { enabled: boolean } } } };
    expect(got.result.settings.account).toMatchObject({ uri: sandbox.account.uri, ha1Saved: true, passwordSaved: false });
    expect(got.result.settings.locked).toEqual(expect.arrayContaining(['account.wsUrls', 'account.uri', 'account.ha1', 'account.password', 'hotkeys.enabled']));
    expect(got.result.settings.hotkeys.enabled).toBe(false);
    const log = await readFile(join(home, 'logs', 'host.log'), 'utf8');
    expect(log).toMatch(/"key":"AccountPassword".*managed setting refused: a managed plain password is refused/);
    expect(log).not.toContain('plain-text-never-used');
    const klog = await readFile(join(home, 'sandbox', 'kamailio.log'), 'utf8');
    expect(klog).toMatch(/REQ REGISTER sip:sandbox\.voispeed\.test/);
  });

  it('settings.set and voispeed:U of a managed field are refused with SETTING_LOCKED naming the file; a free field is saved', async () => {
    const r = (await host.request('settings.set', { section: 'account', value: userAccount() })) as { error?: { code: number; message: string; data: unknown } };
    expect(r.error?.code).toBe(ErrorCode.SETTING_LOCKED);
    expect(r.error?.message).toBe(`account.wsUrls is set by your administrator (AccountServers in ${systemFile}) and cannot be changed here`);
    expect(r.error?.data).toEqual({ field: 'account.wsUrls', key: 'AccountServers' });
    const h = (await host.request('settings.set', { section: 'hotkeys', value: { enabled: true } })) as { error?: { code: number } };
    expect(h.error?.code).toBe(ErrorCode.SETTING_LOCKED);
    const ok = (await host.request('settings.set', { section: 'preferences', value: { dnd: true } })) as { result?: unknown };
    expect(ok.result).toBeDefined();
    // voispeed:U cannot replace the administrator's account either, not even with the user's confirmation.
    const proposal = (await host.request('account.propose', { user: '2042', domain: 'pbx.example', ha1: '0123456789abcdef0123456789abcdef', extension: '2042', wsUrls: ['wss://pbx.example/ws'], source: 'cli' })) as { error?: { code: number; data: unknown } };
    expect(proposal.error?.code).toBe(ErrorCode.SETTING_LOCKED);
    expect(proposal.error?.data).toEqual({ field: 'account.wsUrls', key: 'AccountServers' });
  });

  it('voispeed account set and clear are refused naming the field and the file; settings.json keeps the user’s own account', async () => {
    const before = await readFile(join(home, 'settings.json'), 'utf8');
    const set = await runCli(home, ['account', 'set', '--ws', 'ws://127.0.0.1:9/ws', '--uri', 'sip:7777@user.example'], 30_000, { ...process.env, VOISPEED_SYSTEM_SETTINGS: systemFile });
    expect(set.code).toBe(1);
    // The CLI names the file's refused key too, then its own one-line failure.
    expect(set.err.split('\n')).toEqual([
      'voispeed: AccountPassword: managed setting refused: a managed plain password is refused; give AccountHa1 = md5(user:realm:password) and AccountRealm instead',
      `voispeed: account.wsUrls is set by your administrator (AccountServers in ${systemFile}) and cannot be changed with voispeed account`,
    ]);
    const clear = await runCli(home, ['account', 'clear'], 30_000, { ...process.env, VOISPEED_SYSTEM_SETTINGS: systemFile });
    expect(clear.code).toBe(1);
    expect(JSON.parse(await readFile(join(home, 'settings.json'), 'utf8')).account).toEqual(JSON.parse(before).account);
    // The same values as the file's: nothing changes, so it is allowed (a user may repeat them).
    const same = await runCli(home, ['account', 'set', '--ws', String((managed.AccountServers as string[])[0]), '--uri', String(managed.AccountUri), '--ha1', String(managed.AccountHa1)], 30_000, { ...process.env, VOISPEED_SYSTEM_SETTINGS: systemFile });
    expect(same.code, same.err).toBe(0);
  });

  it.skipIf(!canUseEtcOverlay)('the real path: /etc/voispeed/settings.json in a private /etc locks the CLI, and the machine’s /etc is untouched', async () => {
    const overlay = etcOverlay(join(dir.path, 'etc'), { '/etc/voispeed/settings.json': JSON.stringify({ AccountUri: 'sip:4242@pbx.example', AccountServers: ['wss://pbx.example/ws'] }) });
    const env: NodeJS.ProcessEnv = { ...process.env, VOISPEED_HOME: join(dir.path, 'home2') };
    delete env.VOISPEED_SYSTEM_SETTINGS;
    const run = (args: string[]) =>
      new Promise<CliRun>((resolve) => {
        const [cmd, ...rest] = overlay.wrap([process.execPath, cliBundle, ...args]);
        execFile(cmd!, rest, { env, encoding: 'utf8', timeout: 30_000 }, (err, out, errOut) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, out: out.trim(), err: errOut.trim() });
        });
      });
    const set = await run(['account', 'set', '--ws', 'ws://127.0.0.1:9/ws', '--uri', 'sip:7777@user.example']);
    expect(set.err).toBe('voispeed: account.wsUrls is set by your administrator (AccountServers in /etc/voispeed/settings.json) and cannot be changed with voispeed account');
    expect(set.code).toBe(1);
    const show = await run(['account', 'show']);
    expect(show.out).toBe('sip:4242@pbx.example via wss://pbx.example/ws, no password; set by your administrator: AccountServers, AccountUri');
    await expect(readFile('/etc/voispeed/settings.json', 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
