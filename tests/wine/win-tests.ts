/**
 * The Windows checks, run by the Windows node.exe under Wine (tests/wine/run.mjs starts it; Wine
 * cannot take a Linux pipe as a Windows program's stdio, so everything that talks to the installed
 * host is done from here, inside Windows). argv: <msi path> <result file> [dist/host/voispeed.cjs,
 * for the start-up comparison] [the same MSI one patch version later, for the upgrade check].
 * Each check is one result; they run in order because each builds on the last (installed, then
 * started, then used, then uninstalled).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../shared/extension-ids';
import { integraSettingsSchema } from '../../shared/settings/integra';
import { safeNumber } from '../../shared/integra';
import { PROTOCOL_VERSION, type Execution } from '../../shared/protocol';
import { formatVoispeedUrl } from '../../shared/voispeed-url';
import { NATIVE_HOST_NAME } from '../../shared/protocol/version';
import { BROWSER_IDS, registryKey } from '../../native-host/src/install/browsers';
import { MSI_EXE, MSI_HOTKEYS_ADDON, MSI_INSTALL_FOLDER, MSI_SHORTCUT_NAME, MSI_URL_LAUNCHER, manifestFileName } from '../../native-host/src/install/msi-layout';
import { startIntegra } from '../../native-host/src/integra/integra';
import { encodeFrame, FrameDecoder } from '../../native-host/src/messaging/framing';
import { hostileCallerIds, sipEscape } from '../fixtures/integra-hostile';
import { HOTKEYS_HELPER_FLAG } from '../../native-host/src/sea-role';

const [msi, resultFile, cliBundle, upgradeMsi] = process.argv.slice(2) as [string, string, string | undefined, string | undefined];
const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];
const measures: Record<string, number> = {};

async function check(name: string, fn: () => Promise<void> | void): Promise<void> {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
  } catch (err) {
    results.push({ name, ok: false, ms: Date.now() - t0, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function equal<T>(got: T, want: T, what: string): void {
  if (got !== want) throw new Error(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}

const sys32 = join(process.env.SystemRoot ?? 'C:\\windows', 'system32');
const reg = join(sys32, 'reg.exe');
const msiexec = join(sys32, 'msiexec.exe');
const installDir = join(process.env.LOCALAPPDATA!, MSI_INSTALL_FOLDER);
const exe = join(installDir, MSI_EXE);
const startMenuLink = join(process.env.APPDATA!, 'Microsoft', 'Windows', 'Start Menu', 'Programs', `${MSI_SHORTCUT_NAME}.lnk`);
const work = join(tmpdir(), `voispeed-wine-${process.pid}`);
mkdirSync(work, { recursive: true });

function run(file: string, args: string[], opts: SpawnOptions = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 120_000, windowsHide: true, ...opts });
  return { code: r.status, out: String(r.stdout ?? ''), err: String(r.stderr ?? r.error?.message ?? '') };
}

/** The default (or named) REG_SZ value of a key, or undefined when the key or value is absent. */
function regValue(key: string, name?: string): string | undefined {
  const r = run(reg, ['query', key, ...(name === undefined ? ['/ve'] : ['/v', name])]);
  if (r.code !== 0) return undefined;
  const m = /REG_SZ[ \t]*(.*?)\r?$/m.exec(r.out);
  return m ? (m[1] ?? '') : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A browser's end of the native-messaging channel: a host started as Chrome starts it. */
interface BrowserSide {
  child: ChildProcess;
  messages: Record<string, unknown>[];
  send(m: unknown): void;
  waitFor(pred: (m: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

function listen(path: string): Promise<{ server: Server; socket: Promise<Socket> }> {
  return new Promise((resolve, reject) => {
    let gotSocket!: (s: Socket) => void;
    const socket = new Promise<Socket>((r) => (gotSocket = r));
    const server = createServer((s) => gotSocket(s));
    server.once('error', reject);
    server.listen(path, () => resolve({ server, socket }));
  });
}

/**
 * Chrome on Windows runs `cmd.exe /d /c ""<host>" chrome-extension://<id>/ --parent-window=0
 * < \\.\pipe\in > \\.\pipe\out"` and serves both pipes; so does this.
 */
async function startLikeChrome(hostExe: string): Promise<BrowserSide> {
  const tag = `${process.pid}.${Date.now()}`;
  const inPath = `\\\\.\\pipe\\chrome.nativeMessaging.in.${tag}`;
  const outPath = `\\\\.\\pipe\\chrome.nativeMessaging.out.${tag}`;
  const toHost = await listen(inPath);
  const fromHost = await listen(outPath);
  const line = `""${hostExe}" chrome-extension://${CHROMIUM_EXTENSION_ID}/ --parent-window=0 < ${inPath} > ${outPath}"`;
  const child = spawn(process.env.ComSpec ?? join(sys32, 'cmd.exe'), ['/d', '/s', '/c', line], { windowsVerbatimArguments: true, stdio: 'ignore', windowsHide: true });
  const [input, output] = await Promise.all([toHost.socket, fromHost.socket]);
  const messages: Record<string, unknown>[] = [];
  const waiters: { pred: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  const decoder = new FrameDecoder({ maxFrameBytes: 2 * 1024 * 1024 });
  output.on('data', (chunk: Buffer) => {
    for (const d of decoder.push(chunk)) {
      if (d.kind !== 'message') continue;
      const m = d.value as Record<string, unknown>;
      messages.push(m);
      for (const w of waiters.splice(0)) {
        if (w.pred(m)) w.resolve(m);
        else waiters.push(w);
      }
    }
  });
  return {
    child,
    messages,
    send: (m) => input.write(encodeFrame(m)),
    waitFor(pred, what, timeoutMs = 30_000) {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(messages).slice(0, 500)}`)), timeoutMs);
        waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    async close() {
      input.end();
      const exited = child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
      await exited;
      toHost.server.close();
      fromHost.server.close();
    },
  };
}

async function main(): Promise<void> {
  let browser: BrowserSide | undefined;
  let hostPid: number | undefined;

  await check('msiexec /i /qn installs per user (no admin): exit 0', () => {
    const t0 = Date.now();
    const r = run(msiexec, ['/i', msi, '/qn', '/l*v', join(work, 'install.log')]);
    measures.msiInstallMs = Date.now() - t0;
    equal(r.code, 0, `msiexec /i exit (${r.err})`);
  });

  await check('the files land in %LOCALAPPDATA%\\VOIspeed UI; the manifests name the executable beside them', () => {
    for (const f of [MSI_EXE, MSI_URL_LAUNCHER, manifestFileName('chromium'), manifestFileName('firefox')]) assert(existsSync(join(installDir, f)), `${f} is missing in ${installDir}`);
    const chromium = JSON.parse(readFileSync(join(installDir, manifestFileName('chromium')), 'utf8'));
    equal(chromium.path, MSI_EXE, 'Chromium manifest path');
    equal(chromium.allowed_origins?.[0], `chrome-extension://${CHROMIUM_EXTENSION_ID}/`, 'allowed origin');
    const firefox = JSON.parse(readFileSync(join(installDir, manifestFileName('firefox')), 'utf8'));
    equal(firefox.allowed_extensions?.[0], FIREFOX_EXTENSION_ID, 'allowed extension');
  });

  await check('a Start-menu entry for the user', () => {
    assert(existsSync(startMenuLink), `${startMenuLink} is missing`);
  });

  await check('HKCU keys for Chrome, Chromium, Edge, Brave and Firefox name the installed manifests', () => {
    for (const b of BROWSER_IDS) {
      const family = b === 'firefox' ? 'firefox' : 'chromium';
      equal(regValue(registryKey(b, NATIVE_HOST_NAME)), join(installDir, manifestFileName(family)), `${b} key`);
    }
  });

  await check('HKCU\\Software\\Classes\\voispeed is a URL protocol run by wscript with the launcher', () => {
    equal(regValue('HKCU\\Software\\Classes\\voispeed'), 'URL:voispeed', 'class default');
    assert(regValue('HKCU\\Software\\Classes\\voispeed', 'URL Protocol') !== undefined, 'URL Protocol value is missing');
    const cmd = regValue('HKCU\\Software\\Classes\\voispeed\\shell\\open\\command');
    assert(cmd !== undefined, 'no shell\\open\\command');
    assert(/^"[A-Za-z]:\\windows\\system32\\wscript\.exe" \/\/B \/\/NoLogo ".*\\voispeed-url\.js" "%1"$/i.test(cmd), `command ${cmd}`);
    assert(cmd.includes(installDir), `command ${cmd} does not name ${installDir}`);
  });

  await check('the single-executable host started as Chrome starts it answers a framed hello and a status', async () => {
    const t0 = Date.now();
    browser = await startLikeChrome(exe);
    browser.send({ id: 1, method: 'hello', params: { protocol: PROTOCOL_VERSION, app: 'wine-test', client: 'extension' } });
    const hello = await browser.waitFor((m) => m.id === 1, 'the hello reply', 60_000);
    measures.seaFirstReplyMs = Date.now() - t0;
    assert(hello.error === undefined, `hello failed: ${JSON.stringify(hello)}`);
    browser.send({ id: 2, method: 'status' });
    const status = (await browser.waitFor((m) => m.id === 2, 'the status reply')) as { result?: { host?: { pid?: number }; registration?: { state?: string } } };
    equal(status.result?.registration?.state, 'unconfigured', 'registration state');
    hostPid = status.result?.host?.pid;
    assert(typeof hostPid === 'number' && processAlive(hostPid), `host pid ${hostPid}`);
  });

  await check('the CLI (the same executable) reaches the host over the named pipe: voispeed status --json', () => {
    const r = run(exe, ['status', '--json']);
    equal(r.code, 3, `exit (3: running, not registered) ${r.err}`);
    equal(JSON.parse(r.out).host?.pid, hostPid, 'host pid');
  });

  await check('provisioning: %ProgramData%\\voispeed\\settings.json sets the account and voispeed.exe account set cannot change it', () => {
    // Where an administrator deploys it (docs/provisioning.md); under Wine, C:\ProgramData is in the prefix.
    const file = join(process.env.ProgramData ?? 'C:\\ProgramData', 'voispeed', 'settings.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ AccountUri: 'sip:300@pbx.example', AccountServers: ['wss://pbx.example:8089/ws'], AccountPassword: 'never' }));
    try {
      const set = run(exe, ['account', 'set', '--ws', 'wss://other.example/ws', '--uri', 'sip:999@other.example']);
      equal(set.code, 1, `account set exit (${set.out}${set.err})`);
      const lines = set.err.trim().split(/\r?\n/);
      equal(lines[lines.length - 1], `voispeed: account.wsUrls is set by your administrator (AccountServers in ${file}) and cannot be changed with voispeed account`, 'the refusal');
      assert(/AccountPassword: managed setting refused: a managed plain password is refused/.test(set.err), `no password refusal in ${JSON.stringify(set.err)}`);
      const show = run(exe, ['account', 'show']);
      equal(show.out.trim(), 'sip:300@pbx.example via wss://pbx.example:8089/ws, no password; set by your administrator: AccountServers, AccountUri', 'account show');
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });

  await check('the single executable started as the hotkeys helper is the helper (not the CLI): it loads the installed keyboard-hook addon and answers over IPC', async () => {
    assert(existsSync(join(installDir, MSI_HOTKEYS_ADDON)), `${MSI_HOTKEYS_ADDON} is not installed beside ${MSI_EXE}`);
    // As the host starts it (native-host/src/hotkeys/index.ts): the executable, the flag, an IPC channel.
    const child = spawn(exe, [HOTKEYS_HELPER_FLAG], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], windowsHide: true });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const first: Record<string, unknown> = await Promise.race([
      new Promise<Record<string, unknown>>((r) => child.once('message', (m) => r(m as Record<string, unknown>))),
      exited.then((code): Record<string, unknown> => ({ type: 'exited', code })),
      new Promise<Record<string, unknown>>((r) => setTimeout(() => r({ type: 'silent' }), 60_000)),
    ]);
    // The CLI would print its usage and exit; the helper speaks the helper protocol.
    assert(!/usage: voispeed/.test(output), `the CLI ran instead of the helper: ${output}`);
    if (first.type === 'ready') {
      measures.seaHotkeysHelperReady = 1;
      // A real bind through the hook (the keyboard hook itself is untested under Wine).
      child.send({ type: 'bind', seq: 1, bindings: [{ action: 'dial', combination: 'Ctrl+Alt+Shift+D' }] });
      const done = await new Promise<Record<string, unknown>>((r) => child.on('message', (m) => (m as { type?: string }).type === 'done' && r(m as Record<string, unknown>)));
      equal(done.seq, 1, 'bind answered');
    } else {
      // Wine may refuse the low-level hook; the addon must still have loaded (no "cannot load uiohook-napi").
      assert(first.type === 'fatal' && !/cannot load uiohook-napi/.test(String(first.message)), `helper said ${JSON.stringify(first)} ${output}`);
    }
    child.kill();
    await exited;
  });

  await check('voispeed.exe install / uninstall refuse (the MSI owns the registration) and change nothing', () => {
    for (const cmd of [['install', '--browser', 'chrome'], ['uninstall']]) {
      const r = run(exe, cmd);
      equal(r.code, 1, `voispeed ${cmd.join(' ')} exit (${r.out}${r.err})`);
      assert(/^voispeed: .*MSI/.test(r.err.trim()), `voispeed ${cmd.join(' ')} said ${JSON.stringify(r.err)}`);
    }
    equal(regValue(registryKey('chrome', NATIVE_HOST_NAME)), join(installDir, manifestFileName('chromium')), 'Chrome key after voispeed install');
  });

  if (cliBundle && existsSync(cliBundle)) {
    // Benchmark, not a check: the single executable's start-up against node.exe + the CLI script
    // (under Wine only the ratio means anything).
    const time = (file: string, args: string[]) => {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = process.hrtime.bigint();
        run(file, args);
        runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      return Math.round(runs.sort((a, b) => a - b)[1]!);
    };
    measures.seaCliStatusMs = time(exe, ['status', '--json']);
    measures.nodeCliStatusMs = time(process.execPath, [cliBundle, 'status', '--json']);
  }

  await check('voispeed: URL handler: start voispeed:U… runs wscript → launcher → CLI → host, which asks the browser', async () => {
    assert(browser, 'no browser channel');
    // Wine does not merge HKCU\Software\Classes into HKCR (Windows does): copy the class key.
    const copy = run(reg, ['copy', 'HKCU\\Software\\Classes\\voispeed', 'HKCR\\voispeed', '/s', '/f']);
    equal(copy.code, 0, `reg copy ${copy.err}`);
    const url = formatVoispeedUrl({ kind: 'configure', user: '2042', domain: 'pbx.example', ha1: '0123456789abcdef0123456789abcdef', extension: '2042', wsUrls: ['wss://pbx.example:8089/ws'] });
    const r = run(process.env.ComSpec ?? join(sys32, 'cmd.exe'), ['/d', '/s', '/c', `start "" "${url}"`], { windowsVerbatimArguments: true });
    equal(r.code, 0, `start ${r.err}`);
    const pushed = await browser.waitFor((m) => m.event === 'account.proposal' || m.method === 'account.proposal', 'the account proposal pushed to the browser', 60_000);
    assert(JSON.stringify(pushed).includes('"user":"2042"'), `proposal ${JSON.stringify(pushed)}`);
  });

  await check('Integra: a .bat rule through real cmd.exe with hostile caller ids: only the .bat runs, no payload creates a file', async () => {
    const dir = join(work, 'integra');
    const out = join(dir, 'out');
    const canaries = join(dir, 'canaries');
    mkdirSync(out, { recursive: true });
    mkdirSync(canaries, { recursive: true });
    // Records its arguments, one per line, in out\<call id>.txt (values reaching it are whitelisted).
    const bat = join(dir, 'record call.bat');
    // Each line bracketed (`echo(` for an empty value is an idiom Wine's cmd does not know) and
    // redirected on its own (Wine's cmd redirects only the first command of a `> f ( … )` block).
    writeFileSync(bat, ['@echo off', 'setlocal DisableDelayedExpansion', '> "%~dp0out\\%~3.txt" echo [%~1]', '>> "%~dp0out\\%~3.txt" echo [%~2]', ''].join('\r\n'));
    const values = hostileCallerIds((i) => join(canaries, `pwned-${i}`));
    const spawned: string[] = [];
    const spy = ((file: string, args: readonly string[], options: object) => {
      spawned.push(`${file} ${args.join(' ')}`);
      return spawn(file, args, options);
    }) as unknown as typeof spawn;
    const settings = integraSettingsSchema.parse({
      enabled: true,
      rules: [{ id: 'bat', events: ['CALL_IN'], action: 'command', template: `"${bat}" !01 !02 !05` }],
    });
    const done: number[] = [];
    // The last word on each run, by call id: what to name when a record is missing.
    const finals = new Map<string, Execution>();
    const integra = startIntegra({
      log: pino({ level: 'silent' }),
      platform: 'win32',
      settings: () => settings,
      aor: () => 'sip:1001@pbx.example',
      openInBrowser: () => Promise.reject(new Error('no browser in this check')),
      announce: (e) => {
        if (e.result === 'running') return;
        done.push(e.seq);
        finals.set(e.callId, e);
      },
      runner: { spawnImpl: spy, maxRunning: 4, maxQueued: 1000 },
    });
    const t0 = Date.now();
    values.forEach((value, i) => {
      const id = `w${i}`;
      integra.onSipFacts({ id, message: 'invite', receivedAt: Date.now(), headers: { 'P-Asserted-Identity': [`<sip:${sipEscape(value)}@pbx.example>`] } });
      integra.onCall({ id, direction: 'in', state: 'ringing-in', remote: { number: value, uri: `sip:${value}@pbx.example` }, muted: false, onHold: false, remoteHold: false, startedAt: Date.now() });
    });
    await until('every rule run to finish', () => done.length >= values.length, 300_000);
    measures.integraBatRuns = values.length;
    measures.integraBatMs = Date.now() - t0;
    integra.stop();
    const cmdExe = (process.env.ComSpec ?? 'cmd.exe').toLowerCase();
    const other = spawned.filter((s) => !s.toLowerCase().startsWith(`${cmdExe} /d /s /c ""${bat.toLowerCase()}" `));
    assert(other.length === 0, `something else was started: ${other.slice(0, 3).join(' | ')}`);
    equal(readdirSync(canaries).length, 0, 'files created by payloads');
    const files = readdirSync(out);
    const missing = values.map((_, i) => `w${i}`).filter((id) => !files.includes(`${id}.txt`));
    const why = missing.map((id) => {
      const e = finals.get(id);
      return `${id} ${JSON.stringify(values[Number(id.slice(1))]).slice(0, 40)}: ${e ? `${e.result} exit ${e.exitCode ?? '-'} signal ${e.signal ?? '-'}${e.message ? ` ${e.message}` : ''} in ${(e.finishedAt ?? 0) - (e.startedAt ?? 0)} ms` : 'no result'}`;
    });
    equal(files.length, values.length, `records written by the .bat (missing: ${why.slice(0, 5).join('; ')})`);
    for (const f of files) {
      const i = Number(f.slice(1, -4));
      const lines = readFileSync(join(out, f), 'utf8').split(/\r?\n/);
      equal(lines[0], `[${safeNumber(values[i])}]`, `!01 of value ${i} ${JSON.stringify(values[i]).slice(0, 40)}`);
      equal(lines[1], '[CALL_IN]', `!02 in ${JSON.stringify(lines)}`);
    }
  });

  const stopHost = async () => {
    await browser?.close();
    browser = undefined;
    if (hostPid !== undefined && processAlive(hostPid)) {
      process.kill(hostPid);
      await until('the host to exit', () => !processAlive(hostPid!));
    }
  };
  let installed = msi;

  if (upgradeMsi) {
    await check('a newer MSI upgrades in place: the new executable runs, the account set before is kept', async () => {
      const set = run(exe, ['account', 'set', '--ws', 'wss://pbx.example:8089/ws', '--uri', 'sip:201@pbx.example', '--ha1', '0123456789abcdef0123456789abcdef', '--realm', 'pbx.example']);
      equal(set.code, 0, `account set ${set.err}`);
      await stopHost();
      const before = run(exe, ['account', 'show']);
      assert(before.code === 0 && before.out.includes('201'), `account before the upgrade: ${before.out}${before.err}`);
      const r = run(msiexec, ['/i', upgradeMsi, '/qn', '/l*v', join(work, 'upgrade.log')]);
      equal(r.code, 0, `msiexec /i (upgrade) exit ${r.err}`);
      installed = upgradeMsi;
      browser = await startLikeChrome(exe);
      browser.send({ id: 1, method: 'hello', params: { protocol: PROTOCOL_VERSION, app: 'wine-test', client: 'extension' } });
      const hello = (await browser.waitFor((m) => m.id === 1, 'the hello reply', 60_000)) as { result?: { app?: string; pid?: number } };
      const upgraded = /-(\d+\.\d+\.\d+)-x64\.msi$/i.exec(upgradeMsi)?.[1];
      equal(hello.result?.app, upgraded, 'the running host version after the upgrade');
      hostPid = hello.result?.pid;
      const after = run(exe, ['account', 'show']);
      equal(after.code, 0, `account show ${after.err}`);
      equal(after.out, before.out, 'the account after the upgrade');
    });
  }

  await check('the host stops; msiexec /x /qn removes every file and key', async () => {
    await stopHost();
    const t0 = Date.now();
    const r = run(msiexec, ['/x', installed, '/qn', '/l*v', join(work, 'uninstall.log')]);
    measures.msiUninstallMs = Date.now() - t0;
    equal(r.code, 0, `msiexec /x exit ${r.err}`);
    assert(!existsSync(installDir), `${installDir} is still there: ${existsSync(installDir) ? readdirSync(installDir).join(', ') : ''}`);
    for (const b of BROWSER_IDS) equal(regValue(registryKey(b, NATIVE_HOST_NAME)), undefined, `${b} key after uninstall`);
    equal(regValue('HKCU\\Software\\Classes\\voispeed'), undefined, 'URL class after uninstall');
    equal(regValue('HKCU\\Software\\VOIspeed UI', 'host'), undefined, 'product key after uninstall');
    assert(!existsSync(startMenuLink), `${startMenuLink} is still there`);
  });

  rmSync(work, { recursive: true, force: true });
  writeFileSync(resultFile, JSON.stringify({ results, measures }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    writeFileSync(resultFile, JSON.stringify({ results: [...results, { name: 'win-tests crashed', ok: false, ms: 0, error: String(err?.stack ?? err) }], measures }));
    process.exit(1);
  },
);
