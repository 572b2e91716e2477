import { execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ALLOWED_ORIGINS, FIREFOX_EXTENSION_ID } from '../../shared/extension-ids';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { BROWSER_IDS, linuxSystemManifestDir } from '../../native-host/src/install/browsers';
import { DEB_CLI, DEB_DESKTOP_FILE, DEB_HOST_LAUNCHER, DEB_LIB_DIR, DEB_NODE, DEB_SYSTEM_SETTINGS_EXAMPLE, debTextFiles } from '../../native-host/src/install/deb-layout';
import { examplePolicy, systemFileExample } from '../../shared/settings/managed-docs';
import { CHROMIUM_FLAGS, chromiumPath, openPopup, statusText, waitForStatus } from '../support/chromium';
import { encodeFrame, FrameCollector } from '../support/frames';
import { repoRoot } from '../support/host-process';
import { canUseOverlayRoot, openOverlayRoot, type OverlayRoot } from '../support/overlay-root';

/**
 * The Debian package as a user gets it (README "Install"): `npm run package` built it, dpkg
 * installs it into a copy of this very system (an overlay over `/`, see overlay-root.ts), and the
 * browsers find the host through the system-wide manifests alone: Chromium is started as a user
 * starts it, with a temporary HOME and no --user-data-dir or per-user manifest.
 */

const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;
const release = join(repoRoot, 'dist/release');
const debName = `voispeed-host_${version}_amd64.deb`;
const zipName = `voispeed-ui-${version}-chrome-unpacked.zip`;

describe.skipIf(!canUseOverlayRoot)('the .deb in a copy of this system', () => {
  let root: OverlayRoot;
  let chromium: ChildProcess | undefined;
  let xvfb: ChildProcess | undefined;
  let browser: Browser | undefined;
  const hostPids: number[] = [];

  const inRoot = (p: string) => join(root.merged, p);

  async function hostPid(home: string): Promise<number> {
    const r = await root.run([DEB_CLI, 'status', '--json'], { HOME: home });
    // 3: running but not registered (no account in these homes).
    expect(r.code, r.err).toBe(3);
    const pid = JSON.parse(r.out).host?.pid;
    expect(typeof pid).toBe('number');
    hostPids.push(pid);
    return pid;
  }

  async function endHost(pid: number): Promise<void> {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + 20_000;
    while (existsSync(`/proc/${pid}`)) {
      if (Date.now() > deadline) throw new Error(`host ${pid} did not stop on SIGTERM`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    for (const f of [debName, zipName]) {
      if (!existsSync(join(release, f))) throw new Error(`dist/release/${f} is missing: run npm run package first`);
    }
    root = await openOverlayRoot('deb');
    copyFileSync(join(release, debName), join(root.share, debName));
    // The unpacked-install zip (the pinned id), unpacked as a user does for "Load unpacked".
    execFileSync('unzip', ['-q', join(release, zipName), '-d', join(root.share, 'extension')]);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    chromium?.kill('SIGKILL');
    xvfb?.kill('SIGKILL');
    for (const pid of hostPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await root?.close();
  });

  it('dpkg -i puts a manifest where each browser reads it, naming the packaged host', async () => {
    const t0 = Date.now();
    const r = await root.run(['dpkg', '-i', `/mnt/${debName}`]);
    console.log(`dpkg -i ${debName}: ${Date.now() - t0} ms`);
    expect(r.code, r.out + r.err).toBe(0);
    for (const browser of BROWSER_IDS) {
      const manifest = JSON.parse(readFileSync(inRoot(join(linuxSystemManifestDir(browser), 'voispeed.ui.json')), 'utf8'));
      expect(manifest.name).toBe('voispeed.ui');
      expect(manifest.path).toBe(DEB_HOST_LAUNCHER);
      if (browser === 'firefox') expect(manifest.allowed_extensions).toEqual([FIREFOX_EXTENSION_ID]);
      else expect(manifest.allowed_origins).toEqual(CHROMIUM_ALLOWED_ORIGINS);
    }
    const help = await root.run([DEB_CLI, '--help']);
    expect(help.code, help.err).toBe(0);
    expect(help.out).toMatch(/^usage: voispeed /);
    const desktop = readFileSync(inRoot(DEB_DESKTOP_FILE), 'utf8');
    expect(desktop).toMatch(/^Exec=\/usr\/bin\/voispeed %u$/m);
    expect(desktop).toMatch(/^MimeType=x-scheme-handler\/voispeed;$/m);
  });

  it('Firefox: the launcher its manifest names answers a framed hello (argv as Firefox passes it)', async () => {
    const manifestPath = join(linuxSystemManifestDir('firefox'), 'voispeed.ui.json');
    const child = root.spawn([DEB_HOST_LAUNCHER, manifestPath, FIREFOX_EXTENSION_ID], { HOME: '/tmp/firefox-home' });
    const frames = new FrameCollector();
    child.stdout!.on('data', (c: Buffer) => frames.push(c));
    child.stdin!.write(encodeFrame({ id: 1, method: 'hello', params: { protocol: PROTOCOL_VERSION, app: 'deb-test', client: 'extension' } }));
    const reply = await frames.waitFor((m) => m?.id === 1, 30_000, 'the hello reply');
    expect(reply.error, JSON.stringify(reply)).toBeUndefined();
    const pid = await hostPid('/tmp/firefox-home');
    // Seen from outside the overlay's mount namespace the path carries the mount point first.
    expect(readlinkSync(`/proc/${pid}/exe`).endsWith(DEB_NODE)).toBe(true);
    child.stdin!.end();
    child.kill();
    // One host per user (an abstract-socket lock): end this one before Chromium starts its own.
    await endHost(pid);
  });

  it('Chromium started normally (temporary HOME, no --user-data-dir) connects to the packaged host', async () => {
    const home = '/tmp/chromium-home';
    expect((await root.run(['mkdir', '-p', home])).code).toBe(0);
    // A real window on a private X server inside the copy (its /tmp is the copy's own), so this
    // Chromium uses its default profile, ~/.config/chromium, as a desktop user's does.
    // The copy's /tmp is empty, but X's abstract sockets are per network namespace: a display taken
    // by another test in this one makes Xvfb exit, so try the next.
    let display = '';
    for (let n = 99; n < 130 && !display; n++) {
      const x = root.spawn(['Xvfb', `:${n}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp']);
      const deadline = Date.now() + 15_000;
      while (!existsSync(inRoot(`/tmp/.X11-unix/X${n}`)) && x.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (existsSync(inRoot(`/tmp/.X11-unix/X${n}`)) && x.exitCode === null) {
        xvfb = x;
        display = `:${n}`;
      } else x.kill('SIGKILL');
    }
    if (!display) throw new Error('Xvfb did not start in the copy');
    chromium = root.spawn(
      [chromiumPath, ...CHROMIUM_FLAGS, '--remote-debugging-port=0', '--load-extension=/mnt/extension', 'about:blank'],
      { HOME: home, DISPLAY: display },
    );
    const endpoint = await new Promise<string>((resolve, reject) => {
      let err = '';
      chromium!.stderr!.on('data', (c: Buffer) => {
        err += c.toString();
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m?.[1]) resolve(m[1]);
      });
      chromium!.once('exit', (code) => reject(new Error(`Chromium exited (${code}): ${err}`)));
    });
    browser = await puppeteer.connect({ browserWSEndpoint: endpoint });
    const popup = await openPopup(browser);
    // The host answered: with no account yet it says so (not "not installed").
    await waitForStatus(popup, /^No SIP account configured$/, 30_000).catch(async (e) => {
      throw new Error(`${e.message}; the popup says ${JSON.stringify(await statusText(popup))}`);
    });
    const pid = await hostPid(home);
    // Seen from outside the overlay's mount namespace the path carries the mount point first.
    expect(readlinkSync(`/proc/${pid}/exe`).endsWith(DEB_NODE)).toBe(true);
    // Chromium's profile is the default one under the temporary HOME, and it holds no manifest.
    expect(existsSync(inRoot(join(home, '.config/chromium/Default')))).toBe(true);
    expect(existsSync(inRoot(join(home, '.config/chromium/NativeMessagingHosts/voispeed.ui.json')))).toBe(false);
    await browser.close();
    browser = undefined;
  });

  it('provisioning: the packaged example, copied to /etc/voispeed/settings.json, locks the packaged CLI', async () => {
    expect(readFileSync(inRoot(DEB_SYSTEM_SETTINGS_EXAMPLE), 'utf8')).toBe(`${systemFileExample()}\n`);
    // What docs/provisioning.md tells the administrator to do (in the copy's /etc, never the real one).
    const cp = await root.run(['sh', '-c', `mkdir -p /etc/voispeed && cp ${DEB_SYSTEM_SETTINGS_EXAMPLE} /etc/voispeed/settings.json`]);
    expect(cp.code, cp.err).toBe(0);
    const env = { HOME: '/tmp/provisioned-home' };
    const set = await root.run([DEB_CLI, 'account', 'set', '--ws', 'ws://127.0.0.1:9/ws', '--uri', 'sip:7777@user.example'], env);
    expect(set.code).toBe(1);
    expect(set.err.trim()).toBe('voispeed: account.wsUrls is set by your administrator (AccountServers in /etc/voispeed/settings.json) and cannot be changed with voispeed account');
    const show = await root.run([DEB_CLI, 'account', 'show'], env);
    expect(show.code, show.err).toBe(0);
    const p = examplePolicy();
    expect(show.out.trim()).toBe(`${String(p.AccountUri)} via ${(p.AccountServers as string[]).join(', ')}, HA1 saved; set by your administrator: AccountServers, AccountUri, AccountAuthUser, AccountHa1, AccountRealm, AccountExtension`);
  });

  it('apt-get remove takes away every file the package put there; purge forgets it', async () => {
    for (const pid of hostPids.splice(0)) await endHost(pid);
    const t0 = Date.now();
    const r = await root.run(['apt-get', 'remove', '-y', 'voispeed-host']);
    console.log(`apt-get remove voispeed-host: ${Date.now() - t0} ms`);
    expect(r.code, r.out + r.err).toBe(0);
    for (const f of debTextFiles()) expect(existsSync(inRoot(f.path)), f.path).toBe(false);
    expect(existsSync(inRoot(DEB_LIB_DIR))).toBe(false);
    // The administrator's own system file is not the package's: it stays.
    expect(existsSync(inRoot('/etc/voispeed/settings.json'))).toBe(true);
    const purge = await root.run(['dpkg', '--purge', 'voispeed-host']);
    expect(purge.code, purge.out + purge.err).toBe(0);
    const q = await root.run(['dpkg-query', '-W', 'voispeed-host']);
    expect(q.code).not.toBe(0);
  });
});
