import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import enMessages from '../../extension/_locales/en/messages.json';
import { FIREFOX_EXTENSION_ID } from '../../shared/extension-ids';
import { install } from '../../native-host/src/install';
import { canUseEtcOverlay, etcOverlay } from '../support/etc-overlay';
import { launchFirefox, openExtensionPage } from '../support/firefox';
import { repoRoot } from '../support/host-process';
import { firefoxExtensionDir, startRig, type Rig } from '../support/sandbox-fixture';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * Firefox ESR with an administrator's policies.json (issue 16): `3rdparty` → `Extensions` → our
 * gecko id, read from /etc/firefox/policies/policies.json in a private /etc (overlay, mount
 * namespace). The extension reads it through storage.managed and hands it to the host, which
 * registers with it, refuses the password key with a log line, and the options show the lock.
 */
describe.skipIf(!canUseEtcOverlay)('provisioning: Firefox policies.json', { timeout: 120_000 }, () => {
  let rig: Rig;
  let browser: Browser | undefined;
  let base: string;
  let policy: Record<string, unknown>;

  const open = (path: string): Promise<Page> => openExtensionPage(browser!, `${base}${path}`);

  beforeAll(async () => {
    rig = await startRig('prov-ff', { account: false });
    const ffHome = join(rig.root, 'ff-home');
    mkdirSync(ffHome, { recursive: true });
    await install({
      bundleDir: join(repoRoot, 'dist/host'),
      browsers: ['firefox'],
      homedir: ffHome,
      env: { ...process.env, HOME: ffHome, VOISPEED_HOME: rig.home },
      log: () => undefined,
    });
    const account = rig.sandbox.account;
    const user = account.authUser ?? /^sips?:([^@]+)@/.exec(account.uri)![1]!;
    policy = {
      AccountServers: account.wsUrls,
      AccountUri: account.uri,
      AccountAuthUser: user,
      AccountHa1: md5(`${user}:${rig.sandbox.domain}:${account.password}`),
      AccountRealm: rig.sandbox.domain,
      AccountExtension: '1001',
      AccountPassword: 'plain-text-never-used',
    };
    const overlay = etcOverlay(join(rig.root, 'etc'), {
      '/etc/firefox/policies/policies.json': JSON.stringify({ policies: { '3rdparty': { Extensions: { [FIREFOX_EXTENSION_ID]: policy } } } }),
    });
    const launched = await launchFirefox({
      home: ffHome,
      extensionDir: firefoxExtensionDir,
      executablePath: overlay.wrapper('/usr/lib/firefox-esr/firefox-esr', 'firefox-with-policy'),
      env: { VOISPEED_SYSTEM_SETTINGS: join(rig.root, 'no-system-file.json') },
    });
    browser = launched.browser;
    base = launched.base;
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await rig?.stop();
  });

  it('registers with the policy’s account; the host refuses the password key with a log line', async () => {
    const popup = await open('extension/popup/index.html');
    await popup.waitForSelector('[data-testid=registration]', { timeout: 15_000 });
    await popup.waitForFunction(() => /^Registered as 1001/.test(document.querySelector('[data-testid=registration]')?.textContent ?? ''), { timeout: 20_000, polling: 200 });
    const log = await readFile(join(rig.home, 'logs', 'host.log'), 'utf8');
    expect(log).toMatch(/"key":"AccountPassword".*managed setting refused: a managed plain password is refused/);
    expect(log).not.toContain('plain-text-never-used');
    await popup.close();
  });

  it('the options page shows the account locked', async () => {
    const options = await open('extension/options/index.html');
    await options.waitForSelector('[data-testid=acc-uri][disabled]', { timeout: 15_000 });
    expect(await options.$eval('[data-testid=acc-uri]', (e) => (e as HTMLInputElement).value)).toBe(policy.AccountUri);
    const notes = await options.$$eval('[data-testid=locked-note]', (es) => es.map((e) => e.textContent));
    expect(new Set(notes)).toEqual(new Set([enMessages.optManagedNote.message]));
    await options.close();
  });
});
