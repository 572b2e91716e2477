import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ORIGIN, FIREFOX_EXTENSION_ID } from '../../../shared/extension-ids';
import { resolvePaths } from '../settings/paths';
import { install, uninstall } from './index';

/**
 * Installs for real into a temporary HOME and user data dir, then starts the generated launcher the
 * way a browser does (exec of the manifest's `path`, browser arguments, almost no environment) with
 * a stand-in host.cjs that reports how it was started and echoes stdin.
 */

const FAKE_HOST = `
const fs = require('node:fs');
const path = require('node:path');
fs.writeFileSync(path.join(__dirname, 'ran.json'), JSON.stringify({
  argv: process.argv.slice(2),
  home: process.env.VOISPEED_HOME ?? null,
  execPath: process.execPath,
}));
process.stdin.pipe(process.stdout);
`;

function runLikeABrowser(program: string, args: string[], stdin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Browsers hand hosts a thin environment; PATH here leads nowhere, so only an absolute node works.
    const child = execFile(program, args, { env: { PATH: '/nonexistent' }, timeout: 20_000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
    child.stdin?.end(stdin);
  });
}

describe.skipIf(process.platform === 'win32')('installed launcher, run with a real /bin/sh', () => {
  let root: string;
  let home: string;
  let bundleDir: string;

  beforeEach(async () => {
    // Spaces and single quotes in every path prove the launcher's quoting.
    root = await mkdtemp(join(tmpdir(), "voispeed it's "));
    home = join(root, 'home dir');
    bundleDir = join(root, "dist o'host");
    await mkdir(home, { recursive: true });
    await mkdir(bundleDir, { recursive: true });
    await writeFile(join(bundleDir, 'host.cjs'), FAKE_HOST);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a custom Chromium profile: the manifest leads to a launcher that runs host.cjs with the sandbox home', async () => {
    const voispeedHome = join(root, "sand box's home");
    const env = { VOISPEED_HOME: voispeedHome };
    const userDataDir = join(root, 'chromium profile');
    const paths = resolvePaths({ env, platform: process.platform, homedir: home, tmpdir: root, uid: 1000 });
    await install({ env, homedir: home, paths, bundleDir, userDataDir });

    const manifest = JSON.parse(await readFile(join(userDataDir, 'NativeMessagingHosts', 'voispeed.ui.json'), 'utf8'));
    expect(manifest.allowed_origins).toEqual([CHROMIUM_EXTENSION_ORIGIN]);
    expect(manifest.path).toBe(join(voispeedHome, 'host', 'voispeed-host.sh'));

    // Chromium starts the host with the caller's origin as its one argument (NOTES-ENV).
    const echoed = await runLikeABrowser(manifest.path, [CHROMIUM_EXTENSION_ORIGIN], 'ping\u0000\u0001');
    expect(echoed).toBe('ping\u0000\u0001');
    const ran = JSON.parse(await readFile(join(bundleDir, 'ran.json'), 'utf8'));
    expect(ran).toEqual({ argv: [CHROMIUM_EXTENSION_ORIGIN], home: voispeedHome, execPath: process.execPath });

    await uninstall({ env, homedir: home, paths });
  });

  it('Firefox in the default location, without VOISPEED_HOME: arguments pass through untouched', async () => {
    const env = {};
    const paths = resolvePaths({ env, platform: process.platform, homedir: home, tmpdir: root, uid: 1000 });
    await install({ env, homedir: home, paths, bundleDir, browsers: ['firefox'] });

    const manifestPath = join(home, '.mozilla', 'native-messaging-hosts', 'voispeed.ui.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    expect(manifest.allowed_extensions).toEqual([FIREFOX_EXTENSION_ID]);
    // Firefox passes the manifest path and the extension id; add awkward ones to test "$@".
    const args = [manifestPath, FIREFOX_EXTENSION_ID, 'two words', "it's", '$HOME', '*', ''];
    await runLikeABrowser(manifest.path, args, '');
    const ran = JSON.parse(await readFile(join(bundleDir, 'ran.json'), 'utf8'));
    expect(ran).toEqual({ argv: args, home: null, execPath: process.execPath });

    await uninstall({ env, homedir: home, paths });
    await expect(readFile(manifestPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
