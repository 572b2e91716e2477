import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baresipCommand } from '../support/baresip-ctrl';
import { callCard, startCallRig, type CallRig } from '../support/call-rig';
import { runCli } from '../support/cli';
import { cliBundle } from '../support/host-process';
import { tempDir } from '../support/temp';
import { hangUpAll, KamailioLog, sleep } from '../fixtures/numbers-e2e-helpers';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';

type Call = { id: string; state: string; extId?: string; remote: { number: string } };

/**
 * Issue 6 end to end: `voispeed:` commands from other programs (the CLI, the OS URL handler through
 * xdg-open) and from pages, against the real host, the sandbox PBX and the Chromium test build.
 */
describe('voispeed: commands from programs and pages, in Chromium', { timeout: 120_000 }, () => {
  let rig: CallRig;
  let klog: KamailioLog;
  let server: FixtureServer;
  const xdg = tempDir('xdg');

  // Asynchronous: a dial answers once the INVITE left, which needs this process to keep serving
  // puppeteer (see tests/support/cli.ts).
  const cli = (...args: string[]) => runCli(rig.home, args, 20_000);
  const settingsAccount = () => (JSON.parse(readFileSync(join(rig.home, 'settings.json'), 'utf8')) as { account?: { uri: string; ha1?: string; realm?: string; wsUrls: string[]; extension?: string } }).account;
  const waitFor = async (what: string, test: () => Promise<boolean> | boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  };
  const status = () => rig.popup.$eval('[data-testid=registration]', (e) => e.textContent ?? '');
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const ha1Of = (user: '1002' | '1003') => md5(`${user}:${rig.sandbox.domain}:${rig.sandbox.users[user].password}`);
  const uUrl = (user: string, ha1: string, ws = rig.sandbox.wsUrl) => `voispeed:U${user}@${rig.sandbox.domain},${ha1},${user},${ws}`;

  /** The confirmation page the extension opened for a proposal (a new tab). */
  async function confirmPage(): Promise<Page> {
    const target = await rig.browser.waitForTarget((t) => t.type() === 'page' && t.url().includes('/extension/confirm/index.html?id='), { timeout: 10_000 });
    const page = (await target.page())!;
    await page.waitForSelector('[data-testid=confirm-status][data-state]', { timeout: 10_000 });
    return page;
  }
  const confirmState = (page: Page) => page.$eval('[data-testid=confirm-status]', (e) => ({ state: e.getAttribute('data-state'), text: e.textContent ?? '' }));
  async function waitConfirmState(page: Page, state: string, timeoutMs = 20_000) {
    await page.waitForSelector(`[data-testid=confirm-status][data-state=${state}]`, { timeout: timeoutMs }).catch(async (err: Error) => {
      throw new Error(`${err.message}; the page says ${JSON.stringify(await confirmState(page))}`);
    });
    return confirmState(page);
  }
  async function closeConfirmPages() {
    for (const p of await rig.browser.pages()) if (p.url().includes('/extension/confirm/')) await p.close();
  }

  beforeAll(async () => {
    rig = await startCallRig('cmds');
    klog = new KamailioLog(rig.home);
    for (const p of await rig.browser.pages()) if (p.url().includes('/setup/')) await p.close();
  });
  afterAll(async () => {
    // The browser first: its keep-alive connections would hold the page server open.
    await rig?.close();
    await server?.close();
    xdg.remove();
  });

  it('voispeed voispeed:0261616161,CRM-42: the INVITE carries X-VOIspeed-ExtID and the popup shows CRM-42', async () => {
    await klog.mark();
    const placed = await cli('voispeed:0261616161,CRM-42', '--json');
    expect(placed.code, placed.err).toBe(0);
    const call = JSON.parse(placed.out) as Call;
    expect(call).toMatchObject({ extId: 'CRM-42', remote: { number: '0261616161' } });
    await waitFor('the INVITE', async () => /REQ INVITE sip:0261616161@/.test(await klog.since()));
    expect(await klog.since()).toMatch(/HDR X-VOIspeed-ExtID=CRM-42 in INVITE sip:0261616161@/);
    await callCard(rig.popup, 'active');
    const shown = await rig.popup.$eval(`[data-testid=call][data-call-id="${call.id}"] [data-testid=call-ext-id]`, (e) => e.textContent ?? '');
    expect(shown).toContain('CRM-42');
    await hangUpAll(rig.home);
  });

  it('voispeed:D{id} ends that call and voispeed:D the first one', async () => {
    const first = JSON.parse((await cli('voispeed:C2001', '--json')).out) as Call;
    await waitFor('first call active', async () => (await rig.popup.$(`[data-testid=call][data-call-id="${first.id}"][data-state=active]`)) !== null, 15_000);
    const second = JSON.parse((await cli('voispeed:3001', '--json')).out) as Call;
    await waitFor('second call active', async () => (await rig.popup.$(`[data-testid=call][data-call-id="${second.id}"][data-state=active]`)) !== null, 15_000);
    expect((await cli(`voispeed:D${second.id}`)).code).toBe(0);
    await waitFor('second call ended', async () => (await rig.popup.$(`[data-testid=call][data-call-id="${second.id}"][data-state=ended]`)) !== null);
    const live = (JSON.parse((await cli('calls', '--json')).out) as Call[]).filter((c) => c.state !== 'ended');
    expect(live.map((c) => c.id)).toEqual([first.id]);
    expect((await cli('voispeed:D')).code).toBe(0);
    await waitFor('first call ended', async () => (await rig.popup.$(`[data-testid=call][data-call-id="${first.id}"][data-state=ended]`)) !== null);
    expect((JSON.parse((await cli('calls', '--json')).out) as Call[]).filter((c) => c.state !== 'ended')).toEqual([]);
  });

  it('voispeed:F3001 forwards the active call: REFER to the bot, 3001 answers, our leg ends', async () => {
    await sleep(500);
    await klog.mark();
    const call = JSON.parse((await cli('voispeed:2001', '--json')).out) as Call;
    await waitFor('call active', async () => (await rig.popup.$(`[data-testid=call][data-call-id="${call.id}"][data-state=active]`)) !== null, 15_000);
    await sleep(300);
    const fwd = await cli('voispeed:F3001');
    expect(fwd.code, fwd.err).toBe(0);
    await waitFor('our leg ended', async () => (await rig.popup.$(`[data-testid=call][data-call-id="${call.id}"][data-state=ended]`)) !== null, 15_000);
    const seen = await klog.since();
    expect(seen).toMatch(/REQ REFER sip:2001/);
    expect(seen).toMatch(/FWD INVITE sip:3001@/);
    await baresipCommand(rig.sandbox.users['3001'].ctrl!, 'hangup');
  });

  it('voispeed:U from a page link shows the confirmation and changes nothing until Apply; Apply registers the new account', async () => {
    const link = uUrl('1002', ha1Of('1002'));
    server = await serveFixtures({}, { '/u.html': { type: 'text/html; charset=utf-8', body: `<!doctype html><title>u</title><p><a id="u" href="${link}">set up my phone</a></p>` } });
    const page = await rig.browser.newPage();
    await page.goto(server.url('/u.html'), { waitUntil: 'load' });
    await page.bringToFront();
    await sleep(500);
    await klog.mark();
    await page.click('#u');
    const confirm = await confirmPage();
    expect((await confirmState(confirm)).state).toBe('pending');
    const table = await confirm.$eval('[data-testid=confirm-table]', (e) => e.textContent ?? '');
    expect(table).toContain('1001');
    expect(table).toContain('1002');
    expect(table).toContain(rig.sandbox.wsUrl);
    // Never the whole hash.
    expect(await confirm.content()).not.toContain(ha1Of('1002'));
    expect(await confirm.$eval('[data-testid=confirm-new-confirmRowCredential]', (e) => e.textContent)).toBe(`password hash ${ha1Of('1002').slice(0, 4)}…`);
    // Nothing changed yet: still 1001, no REGISTER for 1002, settings untouched.
    await sleep(1500);
    expect(await status()).toBe('Registered as 1001 (sandbox)');
    expect(await klog.since()).not.toMatch(/REQ REGISTER/);
    expect(settingsAccount()?.uri).toBe(`sip:1001@${rig.sandbox.domain}`);

    await confirm.click('[data-testid=confirm-apply]');
    const done = await waitConfirmState(confirm, 'applied');
    expect(done.text).toBe('Registered as 1002. The new account is saved.');
    await waitFor('the popup shows 1002', async () => /^Registered as 1002\b/.test(await status()));
    expect(await klog.since()).toMatch(/REQ REGISTER/);
    expect(settingsAccount()).toEqual({ wsUrls: [rig.sandbox.wsUrl], uri: `sip:1002@${rig.sandbox.domain}`, ha1: ha1Of('1002'), realm: rig.sandbox.domain, extension: '1002' });
    // One shot: the same page cannot apply it again, and the registration was not restarted by the save.
    expect(await confirm.$('[data-testid=confirm-apply]')).toBeNull();
    await page.close();
    await closeConfirmPages();
  });

  it('voispeed:U from the CLI: it says the browser waits; a wrong md5 rolls back with a message, Cancel changes nothing', async () => {
    const before = settingsAccount();
    const wrong = await cli(uUrl('1003', md5('not the password')));
    expect(wrong.code, wrong.err).toBe(0);
    expect(wrong.out).toBe(`confirm the new account 1003@${rig.sandbox.domain} (extension 1003) in the browser: a VOIspeed page is waiting there (expires in 5 min)`);
    const confirm = await confirmPage();
    await confirm.click('[data-testid=confirm-apply]');
    const failed = await waitConfirmState(confirm, 'failed');
    expect(failed.text).toBe('The new account did not register: Authentication Error. The previous account is kept.');
    expect(await status()).toMatch(/^Registered as 1002\b/);
    expect(settingsAccount()).toEqual(before);
    await closeConfirmPages();

    // A server that does not answer: rolled back too, and said so.
    const unreachable = await cli(uUrl('1003', ha1Of('1003'), 'ws://127.0.0.1:9/ws'));
    expect(unreachable.code).toBe(0);
    const confirm2 = await confirmPage();
    await confirm2.click('[data-testid=confirm-apply]');
    const failed2 = await waitConfirmState(confirm2, 'failed');
    expect(failed2.text).toMatch(/^The new account did not register: Connection Error: cannot reach ws:\/\/127\.0\.0\.1:9\/ws\. The previous account is kept\.$/);
    expect(await status()).toMatch(/^Registered as 1002\b/);
    await closeConfirmPages();

    expect((await cli(uUrl('1003', ha1Of('1003')))).code).toBe(0);
    const confirm3 = await confirmPage();
    await confirm3.click('[data-testid=confirm-cancel]');
    expect((await waitConfirmState(confirm3, 'cancelled')).text).toBe('Cancelled: nothing was changed.');
    expect(settingsAccount()).toEqual(before);
    await closeConfirmPages();

    // The CLI cannot apply a proposal itself: only the browser's confirmation page can.
    const bad = await cli('voispeed:Ux@y.example,0123456789abcdef0123456789abcdef,1,wss://u:p@y.example/ws');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^voispeed: invalid voispeed: URL: /);
  });

  it('the control socket refuses a client running as another user (nobody)', async () => {
    const sock = join(rig.home, 'run', 'control.sock');
    expect(lstatSync(join(rig.home, 'run')).mode & 0o777).toBe(0o700);
    expect(lstatSync(sock).isSocket()).toBe(true);
    expect(lstatSync(sock).mode & 0o777).toBe(0o600);
    const probe = `require('node:net').connect(${JSON.stringify(sock)}).on('connect', () => { console.log('CONNECTED'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(1); });`;
    const asNobody = () => spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', probe], { encoding: 'utf8', timeout: 10_000 });
    // Let nobody walk down to the private folder, so it is the folder and the socket that refuse.
    const opened = [rig.root, rig.home].filter((d) => (statSync(d).mode & 0o001) === 0);
    for (const d of opened) chmodSync(d, statSync(d).mode | 0o001);
    try {
      const r = asNobody();
      expect(r.stdout.trim(), r.stderr).toBe('EACCES');
      // Even with the folder opened up, the socket file itself (0600) refuses.
      chmodSync(join(rig.home, 'run'), 0o711);
      try {
        const r2 = asNobody();
        expect(r2.stdout.trim(), r2.stderr).toBe('EACCES');
      } finally {
        chmodSync(join(rig.home, 'run'), 0o700);
      }
    } finally {
      for (const d of opened) chmodSync(d, statSync(d).mode & ~0o001);
    }
    // The owner still gets in.
    expect((await cli('status')).code).toBe(0);
  });

  it("xdg-open 'voispeed:C2001' with the handler installed into a temporary XDG home calls 2001; uninstall removes the handler", async () => {
    await hangUpAll(rig.home);
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: xdg.path,
      XDG_DATA_HOME: join(xdg.path, 'data'),
      XDG_CONFIG_HOME: join(xdg.path, 'config'),
      VOISPEED_HOME: rig.home,
      // xdg-open looks for a scheme handler only when a display is set (it is never opened here).
      DISPLAY: ':99',
    };
    const run = (program: string, args: string[]) => spawnSync(program, args, { env, encoding: 'utf8', timeout: 20_000 });
    const inst = run(process.execPath, [cliBundle, 'install', '--browser', 'chromium']);
    expect(inst.status, inst.stderr).toBe(0);
    const desktop = join(xdg.path, 'data/applications/voispeed-url-handler.desktop');
    expect(inst.stdout).toContain(`wrote ${desktop} (voispeed: URL desktop entry)`);
    expect(run('xdg-mime', ['query', 'default', 'x-scheme-handler/voispeed']).stdout.trim()).toBe('voispeed-url-handler.desktop');

    await klog.mark();
    const opened = await new Promise<{ code: number | null; err: string }>((resolve) =>
      execFile('xdg-open', ['voispeed:C2001'], { env, timeout: 20_000 }, (err, _o, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, err: stderr })),
    );
    expect(opened.code, opened.err).toBe(0);
    await waitFor('the INVITE to 2001', async () => /REQ INVITE sip:2001@/.test(await klog.since()), 10_000);
    await callCard(rig.popup, 'active');
    await hangUpAll(rig.home);

    const un = run(process.execPath, [cliBundle, 'uninstall']);
    expect(un.status, un.stderr).toBe(0);
    expect(existsSync(desktop)).toBe(false);
    expect(existsSync(join(xdg.path, 'config/mimeapps.list'))).toBe(false);
    expect(run('xdg-mime', ['query', 'default', 'x-scheme-handler/voispeed']).stdout.trim()).toBe('');
    await klog.mark();
    const again = spawnSync('xdg-open', ['voispeed:C2001'], { env: { ...env, BROWSER: 'false' }, encoding: 'utf8', timeout: 20_000 });
    expect(again.status).not.toBe(0);
    await sleep(500);
    expect(await klog.since()).not.toMatch(/REQ INVITE/);
  });
});
