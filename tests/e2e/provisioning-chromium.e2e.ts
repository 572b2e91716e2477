import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page, WebWorker } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import enMessages from '../../extension/_locales/en/messages.json';
import { CHROMIUM_EXTENSION_ID } from '../../shared/extension-ids';
import { ErrorCode } from '../../shared/protocol';
import { chromiumPath, extensionUrl, extensionWorker, launchChromium, openPopup, waitForStatus } from '../support/chromium';
import { runCli } from '../support/cli';
import { canUseEtcOverlay, etcOverlay } from '../support/etc-overlay';
import { startRig, type Rig } from '../support/sandbox-fixture';
import { chromeTestExtensionDir } from '../support/test-builds';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * An administrator's Chromium policy sets the account (issue 16): real Chromium reading
 * /etc/chromium/policies/managed/voispeed.json from a private /etc (an overlay in its own mount
 * namespace: the machine's /etc is never written), the extension handing storage.managed to the
 * host, the host registering to the sandbox PBX with the managed HA1 although the user saved no
 * account, the options page showing the fields locked, and no way around the lock.
 */
describe.skipIf(!canUseEtcOverlay)('provisioning: Chromium managed policy', { timeout: 120_000 }, () => {
  let rig: Rig;
  let browser: Browser;
  let worker: WebWorker;
  let popup: Page;
  let policy: Record<string, unknown>;

  beforeAll(async () => {
    rig = await startRig('prov-chr', { account: false });
    const account = rig.sandbox.account;
    const user = account.authUser ?? /^sips?:([^@]+)@/.exec(account.uri)![1]!;
    policy = {
      AccountServers: account.wsUrls,
      AccountUri: account.uri,
      AccountAuthUser: user,
      AccountHa1: md5(`${user}:${rig.sandbox.domain}:${account.password}`),
      AccountRealm: rig.sandbox.domain,
      AccountExtension: '1001',
      // Refused by the host with a log line: a policy carries an HA1, never a password.
      AccountPassword: 'plain-text-never-used',
      IntegraEnabled: true,
    };
    const overlay = etcOverlay(join(rig.root, 'etc'), {
      '/etc/chromium/policies/managed/voispeed.json': JSON.stringify({ '3rdparty': { extensions: { [CHROMIUM_EXTENSION_ID]: policy } } }),
    });
    browser = await launchChromium({
      userDataDir: rig.profile,
      extensionDir: chromeTestExtensionDir,
      executablePath: overlay.wrapper(chromiumPath, 'chromium-with-policy'),
      env: { VOISPEED_SYSTEM_SETTINGS: join(rig.root, 'no-system-file.json') },
    });
    worker = await extensionWorker(browser);
    popup = await openPopup(browser);
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await rig?.stop();
  });

  it('Chromium reads the policy; the host registers with the managed account (HA1); Chromium drops the password key', async () => {
    const managed = (await worker.evaluate(() => (globalThis as unknown as { chrome: typeof chrome }).chrome.storage.managed.get())) as Record<string, unknown>;
    expect(managed.AccountUri).toBe(policy.AccountUri);
    // Chromium checks the policy against managed-schema.json and drops the key it does not know
    // (chrome://policy shows the error); policies.json and the system file reach the host, which
    // refuses it with a log line (provisioning-firefox, provisioning-system-file).
    expect(managed).not.toHaveProperty('AccountPassword');
    await waitForStatus(popup, /^Registered as 1001/, 20_000);
    // The user saved no account: the one registered is the administrator's.
    const saved = JSON.parse(await readFile(join(rig.home, 'settings.json'), 'utf8').catch(() => '{}')) as { account?: unknown };
    expect(saved.account).toBeUndefined();
    expect(await readFile(join(rig.home, 'logs', 'host.log'), 'utf8')).not.toContain('plain-text-never-used');
    const kept = JSON.parse(await readFile(join(rig.home, 'browser-policy.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(kept).sort()).toEqual(Object.keys(policy).filter((k) => k !== 'AccountPassword').sort());
  });

  it('the options page shows the managed fields locked, with the note; the others editable', async () => {
    const options = await browser.newPage();
    await options.goto(extensionUrl('extension/options/index.html'));
    await options.waitForSelector('[data-testid=acc-uri][disabled]', { timeout: 15_000 });
    expect(await options.$eval('[data-testid=acc-uri]', (e) => (e as HTMLInputElement).value)).toBe(policy.AccountUri);
    expect(await options.$eval('[data-testid=acc-ws1]', (e) => (e as HTMLInputElement).disabled)).toBe(true);
    expect(await options.$eval('[data-testid=acc-secret]', (e) => (e as HTMLFieldSetElement).disabled)).toBe(true);
    expect(await options.$eval('[data-testid=acc-display-name]', (e) => (e as HTMLInputElement).disabled)).toBe(false);
    expect(await options.$eval('[data-testid=integra-enabled]', (e) => (e as HTMLInputElement).disabled)).toBe(true);
    const notes = await options.$$eval('[data-testid=locked-note]', (es) => es.map((e) => e.textContent));
    expect(notes.length).toBeGreaterThanOrEqual(6);
    expect(new Set(notes)).toEqual(new Set([enMessages.optManagedNote.message]));
    // A field the policy leaves to the user is still saved, with the managed values kept.
    await options.type('[data-testid=acc-display-name]', 'Desk 4');
    await options.click('[data-testid=acc-save]');
    await options.waitForFunction(() => document.querySelector('[data-testid=acc-note]')?.textContent === 'Saved.', { timeout: 10_000 });
    const saved = JSON.parse(await readFile(join(rig.home, 'settings.json'), 'utf8')) as { account?: { displayName?: string; uri?: string } };
    expect(saved.account).toMatchObject({ displayName: 'Desk 4', uri: policy.AccountUri });
    await options.close();
  });

  it('no way around the lock: settings.set from the extension and voispeed account set are refused, naming the field', async () => {
    const refused = (await worker.evaluate(async () => {
      const v = (globalThis as unknown as { __voispeed: { native: { request(m: string, p: unknown): Promise<unknown> } } }).__voispeed;
      try {
        await v.native.request('settings.set', { section: 'account', value: { wsUrls: ['ws://127.0.0.1:9/ws'], uri: 'sip:9999@elsewhere.example' } });
        return undefined;
      } catch (err) {
        return { code: (err as { code?: number }).code, message: (err as Error).message };
      }
    })) as { code: number; message: string } | undefined;
    expect(refused?.code).toBe(ErrorCode.SETTING_LOCKED);
    expect(refused?.message).toMatch(/^account\.wsUrls is set by your administrator \(AccountServers in the browser policy\)/);

    const cli = await runCli(rig.home, ['account', 'set', '--ws', 'ws://127.0.0.1:9/ws', '--uri', 'sip:9999@elsewhere.example', '--ha1', '0'.repeat(32)]);
    expect(cli.code).toBe(1);
    expect(cli.err).toMatch(/account\.wsUrls is set by your administrator \(AccountServers in the browser policy\)/);
    const clear = await runCli(rig.home, ['account', 'clear']);
    expect(clear.code).toBe(1);
    const show = await runCli(rig.home, ['account', 'show']);
    expect(show.out).toContain(`${String(policy.AccountUri)} via`);
    expect(show.out).toContain('set by your administrator: AccountServers, AccountUri, AccountAuthUser, AccountHa1, AccountRealm, AccountExtension');
    // Still registered with the managed account.
    await waitForStatus(popup, /^Registered as 1001/, 5_000);
  });

  it('a changed policy reaches the host (Chromium re-reads its folder ~5 s after a change; storage.onChanged): a key taken away unlocks its field, a new one locks', async () => {
    const options = await browser.newPage();
    await options.goto(extensionUrl('extension/options/index.html'));
    await options.waitForSelector('[data-testid=integra-enabled][disabled]', { timeout: 15_000 });
    const { IntegraEnabled: _off, ...rest } = policy;
    const next = { ...rest, HotkeysEnabled: false };
    // Written inside Chromium's own mount namespace, where its policy folder is: Chromium watches it.
    const write = spawnSync('nsenter', ['-t', String(browser.process()!.pid), '-m', 'sh', '-c', 'cat > /etc/chromium/policies/managed/voispeed.json'], {
      input: JSON.stringify({ '3rdparty': { extensions: { [CHROMIUM_EXTENSION_ID]: next } } }),
    });
    expect(write.status, String(write.stderr)).toBe(0);
    await options.waitForSelector('[data-testid=integra-enabled]:not([disabled])', { timeout: 60_000 });
    await options.waitForSelector('[data-testid=hotkeys-enabled][disabled]', { timeout: 10_000 });
    const kept = JSON.parse(await readFile(join(rig.home, 'browser-policy.json'), 'utf8')) as Record<string, unknown>;
    expect(kept).not.toHaveProperty('IntegraEnabled');
    expect(kept.HotkeysEnabled).toBe(false);
    await options.close();
  });
});
