import { packagedWindowsUrlLauncher } from './url-handler';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths } from '../settings/paths';
import { install, uninstall, type InstallOptions } from './installer';
import { loadRecord } from './install-record';
import { isEmptyList, readDefault, writeDefault } from './mimeapps';
import { planInstall, planUninstall, type InstallPlanInput } from './plan';
import { desktopEntry, desktopExecArg, vbsString, windowsUrlLauncher, type UrlHandlerStep } from './url-handler';
import type { CommandRunner } from './windows-registry';

const linux: InstallPlanInput = {
  platform: 'linux',
  env: { XDG_DATA_HOME: '/home/ann/.local/share', XDG_CONFIG_HOME: '/home/ann/.config' },
  homedir: '/home/ann',
  configDir: '/home/ann/.config/voispeed',
  bundleDir: '/opt/voispeed/dist/host',
  nodePath: '/usr/bin/node',
  browsers: ['chrome'],
  urlHandler: true,
};

const windows: InstallPlanInput = {
  platform: 'win32',
  env: { SystemRoot: 'C:\\Windows', APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' },
  homedir: 'C:\\Users\\ann',
  configDir: 'C:\\Users\\ann\\AppData\\Roaming\\voispeed',
  bundleDir: 'C:\\Program Files\\VOIspeed UI\\host',
  nodePath: 'C:\\Program Files\\nodejs\\node.exe',
  browsers: ['chrome'],
  urlHandler: true,
};

const urlSteps = (input: InstallPlanInput) => planInstall(input).filter((s) => s.owner.component === 'url-handler') as UrlHandlerStep[];

describe('the voispeed: URL handler plan', () => {
  it('Linux: a launcher script, a desktop entry running it with %u, xdg-mime default, the desktop database', () => {
    const steps = urlSteps({ ...linux, voispeedHome: '/tmp/vh' });
    expect(steps.map((s) => s.kind)).toEqual(['write-file', 'write-file', 'set-mime-default', 'refresh-desktop-database']);
    const [launcher, desktop, mime, refresh] = steps as [Extract<UrlHandlerStep, { kind: 'write-file' }>, Extract<UrlHandlerStep, { kind: 'write-file' }>, Extract<UrlHandlerStep, { kind: 'set-mime-default' }>, Extract<UrlHandlerStep, { kind: 'refresh-desktop-database' }>];
    expect(launcher.path).toBe('/home/ann/.config/voispeed/host/voispeed-url.sh');
    expect(launcher.mode).toBe(0o755);
    expect(launcher.contents).toContain(`VOISPEED_HOME='/tmp/vh'\nexport VOISPEED_HOME`);
    expect(launcher.contents).toContain(`exec '/usr/bin/node' '/opt/voispeed/dist/host/voispeed.cjs' "$@"`);
    expect(desktop.path).toBe('/home/ann/.local/share/applications/voispeed-url-handler.desktop');
    expect(desktop.mode).toBe(0o644);
    expect(desktop.contents).toContain('Exec=/home/ann/.config/voispeed/host/voispeed-url.sh %u\n');
    expect(desktop.contents).toContain('MimeType=x-scheme-handler/voispeed;\n');
    expect(desktop.contents).toContain('NoDisplay=true\n');
    expect(mime).toMatchObject({ program: 'xdg-mime', args: ['default', 'voispeed-url-handler.desktop', 'x-scheme-handler/voispeed'], mimeappsFile: '/home/ann/.config/mimeapps.list' });
    expect(refresh).toMatchObject({ program: 'update-desktop-database', args: ['/home/ann/.local/share/applications'] });
  });

  it('Linux without XDG variables uses ~/.local/share/applications and ~/.config/mimeapps.list', () => {
    const steps = urlSteps({ ...linux, env: {} });
    expect(steps.map((s) => ('path' in s ? s.path : 'mimeappsFile' in s ? s.mimeappsFile : ''))).toContain('/home/ann/.local/share/applications/voispeed-url-handler.desktop');
    expect(steps.some((s) => s.kind === 'set-mime-default' && s.mimeappsFile === '/home/ann/.config/mimeapps.list')).toBe(true);
  });

  it('not asked for, nothing is planned; macOS plans nothing (needs an .app bundle)', () => {
    expect(urlSteps({ ...linux, urlHandler: false })).toEqual([]);
    expect(urlSteps({ ...linux, platform: 'darwin' })).toEqual([]);
  });

  it('Windows: a VBScript launcher run by wscript, and the URL class keys as reg.exe argument arrays', () => {
    const steps = urlSteps({ ...windows, voispeedHome: 'C:\\Users\\ann\\vh' });
    const launcher = 'C:\\Users\\ann\\AppData\\Roaming\\voispeed\\host\\voispeed-url.vbs';
    expect(steps[0]).toMatchObject({ kind: 'write-file', path: launcher });
    const reg = steps.filter((s) => s.kind === 'registry-add');
    expect(reg.map((s) => s.args)).toEqual([
      ['add', 'HKCU\\Software\\Classes\\voispeed', '/ve', '/t', 'REG_SZ', '/d', 'URL:VOIspeed command', '/f'],
      ['add', 'HKCU\\Software\\Classes\\voispeed', '/v', 'URL Protocol', '/t', 'REG_SZ', '/d', '', '/f'],
      [
        'add',
        'HKCU\\Software\\Classes\\voispeed\\shell\\open\\command',
        '/ve',
        '/t',
        'REG_SZ',
        '/d',
        `"C:\\Windows\\System32\\wscript.exe" //B //NoLogo "${launcher}" "%1"`,
        '/f',
      ],
    ]);
    expect(reg.every((s) => s.program === 'C:\\Windows\\System32\\reg.exe')).toBe(true);
    const vbs = (steps[0] as { contents: string }).contents;
    expect(vbs).toContain('env("VOISPEED_HOME") = "C:\\Users\\ann\\vh"');
    expect(vbs).toContain('env("VOISPEED_URL") = WScript.Arguments(0)');
    // Hidden window (0), waits for the CLI, and the URL is nowhere on node's command line.
    expect(vbs).toContain(`WScript.Quit shell.Run("""" & "C:\\Program Files\\nodejs\\node.exe" & """ """ & "C:\\Program Files\\VOIspeed UI\\host\\voispeed.cjs" & """ url --from-env", 0, True)`);
    expect(vbs).not.toMatch(/Arguments\(0\)[^\r\n]*Run/);
    expect(vbs.split('\r\n').length).toBeGreaterThan(5);
    expect(/[^\x00-\x7f]/.test(vbs)).toBe(false);
  });

  it('uninstall deletes the deepest registry key first, restores the mime default first, refreshes the desktop database', () => {
    const steps = planUninstall(
      [
        { kind: 'registry', path: 'HKCU\\Software\\Classes\\voispeed', component: 'url-handler' },
        { kind: 'registry', path: 'HKCU\\Software\\Classes\\voispeed\\shell\\open\\command', component: 'url-handler' },
        { kind: 'file', path: '/h/.local/share/applications/voispeed-url-handler.desktop', component: 'url-handler' },
        { kind: 'mime-default', path: '/h/.config/mimeapps.list', component: 'url-handler', mimeType: 'x-scheme-handler/voispeed', desktopId: 'voispeed-url-handler.desktop' },
      ],
      { SystemRoot: 'C:\\Windows' },
    );
    expect(steps.map((s) => `${s.kind} ${'entry' in s ? s.entry.path : s.dir}`)).toEqual([
      'restore-mime-default /h/.config/mimeapps.list',
      'registry-delete HKCU\\Software\\Classes\\voispeed\\shell\\open\\command',
      'registry-delete HKCU\\Software\\Classes\\voispeed',
      'remove-file /h/.local/share/applications/voispeed-url-handler.desktop',
      'refresh-desktop-database /h/.local/share/applications',
    ]);
  });
});

describe('quoting for the desktop entry and VBScript', () => {
  it('Exec arguments: plain paths as they are, others quoted and escaped per the spec', () => {
    expect(desktopExecArg('/usr/bin/x')).toBe('/usr/bin/x');
    expect(desktopExecArg('/home/a b/x')).toBe('"/home/a b/x"');
    expect(desktopExecArg('/h/$x`y"z')).toBe('"/h/\\\\$x\\\\`y\\\\"z"');
    expect(desktopExecArg('/h/a\\b')).toBe('"/h/a\\\\\\\\b"');
    expect(desktopExecArg('/h/100%')).toBe('"/h/100%%"');
    expect(() => desktopExecArg('/h/a\nb')).toThrow(/control character/);
    expect(desktopEntry('/h/a b/l.sh')).toContain('Exec="/h/a b/l.sh" %u\n');
  });

  it('VBScript strings double quotes and spell non-ASCII with ChrW', () => {
    expect(vbsString('C:\\a')).toBe('"C:\\a"');
    expect(vbsString('a"b')).toBe('"a""b"');
    expect(vbsString('C:\\José\\x')).toBe('"C:\\Jos" & ChrW(233) & "\\x"');
    expect(vbsString('é')).toBe('ChrW(233)');
    expect(vbsString('a😀')).toBe('"a" & ChrW(55357) & ChrW(56832)');
    expect(() => vbsString('a\r\nb')).toThrow(/line break/);
  });

  it('refuses node or CLI paths the launcher cannot run (% is expanded by WshShell.Run)', () => {
    expect(() => windowsUrlLauncher({ nodePath: 'C:\\100%\\node.exe', cliScript: 'C:\\v.cjs' })).toThrow(/contains %/);
  });
});

describe('mimeapps.list editing', () => {
  const list = '[Added Associations]\ntext/html=a.desktop;\n\n[Default Applications]\ntext/html=firefox.desktop;\nx-scheme-handler/voispeed=old.desktop;other.desktop;\n';
  it('reads the first default of a type, only from [Default Applications]', () => {
    expect(readDefault(list, 'x-scheme-handler/voispeed')).toBe('old.desktop');
    expect(readDefault(list, 'text/plain')).toBeUndefined();
    expect(readDefault('[Added Associations]\nx-scheme-handler/voispeed=a.desktop;\n', 'x-scheme-handler/voispeed')).toBeUndefined();
  });
  it('replaces, removes and adds one line and keeps the rest', () => {
    expect(writeDefault(list, 'x-scheme-handler/voispeed', 'new.desktop')).toBe(list.replace('old.desktop;other.desktop;', 'new.desktop;'));
    expect(writeDefault(list, 'x-scheme-handler/voispeed', undefined)).toBe(list.replace('x-scheme-handler/voispeed=old.desktop;other.desktop;\n', ''));
    expect(writeDefault('', 'x-scheme-handler/voispeed', 'v.desktop')).toBe('[Default Applications]\nx-scheme-handler/voispeed=v.desktop;\n');
    expect(writeDefault('[Default Applications]\na/b=c.desktop;\n[Other]\nk=v\n', 'x/y', 'v.desktop')).toBe('[Default Applications]\na/b=c.desktop;\nx/y=v.desktop;\n[Other]\nk=v\n');
    expect(isEmptyList('\n[Default Applications]\n')).toBe(true);
    expect(isEmptyList(list)).toBe(false);
  });
});

/** Every path under `root` with its type and contents. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const full = join(dir, name);
      const st = await lstat(full);
      out[full.slice(root.length)] = st.isDirectory() ? 'dir' : `file ${(st.mode & 0o777).toString(8)} ${await readFile(full, 'utf8')}`;
      if (st.isDirectory()) await walk(full);
    }
  }
  await walk(root);
  return out;
}

describe.skipIf(process.platform === 'win32')('install / uninstall of the URL handler on a fake home', () => {
  let root: string;
  let home: string;
  let opts: InstallOptions;
  let runs: string[][];

  /** Does what xdg-mime default does to $XDG_CONFIG_HOME/mimeapps.list (xdg-utils make_default_generic). */
  const fakeXdgMime: CommandRunner = async (program, args, options) => {
    runs.push([program, ...args]);
    if (program !== 'xdg-mime') return { code: null, stdout: '', stderr: `spawn ${program} ENOENT` };
    const file = join(options?.env?.XDG_CONFIG_HOME ?? '', 'mimeapps.list');
    const text = await readFile(file, 'utf8').catch(() => '');
    await mkdir(options?.env?.XDG_CONFIG_HOME ?? '', { recursive: true });
    await writeFile(file, writeDefault(text, args[2]!, args[1]));
    return { code: 0, stdout: '', stderr: '' };
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'voispeed-urlh-'));
    home = join(root, 'home');
    const bundleDir = join(root, 'bundle');
    await mkdir(home);
    await mkdir(bundleDir);
    await writeFile(join(bundleDir, 'host.cjs'), '');
    await writeFile(join(bundleDir, 'voispeed.cjs'), '');
    const env = { XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share') };
    runs = [];
    opts = {
      platform: 'linux',
      env,
      homedir: home,
      paths: resolvePaths({ env, platform: 'linux', homedir: home, tmpdir: root, uid: 1000 }),
      bundleDir,
      nodePath: process.execPath,
      browsers: ['chromium'],
      urlHandler: true,
      runner: fakeXdgMime,
      log: () => undefined,
    };
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('records the desktop entry, the launcher and the default; uninstall leaves the home as it was', async () => {
    const before = await snapshot(home);
    const result = await install(opts);
    const record = await loadRecord(result.recordFile);
    expect(record.entries.filter((e) => e.component === 'url-handler').map((e) => e.kind).sort()).toEqual(['dir', 'dir', 'dir', 'file', 'file', 'mime-default']);
    expect(record.entries.find((e) => e.kind === 'mime-default')).toMatchObject({ createdFile: true, desktopId: 'voispeed-url-handler.desktop' });
    expect(readDefault(await readFile(join(home, '.config/mimeapps.list'), 'utf8'), 'x-scheme-handler/voispeed')).toBe('voispeed-url-handler.desktop');
    // No desktop database existed: update-desktop-database is not run.
    expect(runs.map((r) => r[0])).toEqual(['xdg-mime']);
    await uninstall({ ...opts, browsers: undefined });
    const after = await snapshot(home);
    // Our config folder stays (it may hold settings); nothing else remains.
    expect(Object.keys(after).filter((k) => !k.startsWith('/.config/voispeed'))).toEqual([...Object.keys(before), '/.config']);
  });

  it('puts back the handler that was the default before, and refreshes an existing desktop database', async () => {
    await mkdir(join(home, '.config'), { recursive: true });
    await mkdir(join(home, '.local/share/applications'), { recursive: true });
    await writeFile(join(home, '.config/mimeapps.list'), '[Default Applications]\nx-scheme-handler/voispeed=other.desktop;\ntext/html=b.desktop;\n');
    await writeFile(join(home, '.local/share/applications/mimeinfo.cache'), '[MIME Cache]\n');
    const before = await snapshot(home);
    await install(opts);
    // A reinstall must not forget what to restore.
    await install(opts);
    expect(runs.filter((r) => r[0] === 'update-desktop-database')).toHaveLength(2);
    await uninstall({ ...opts, browsers: undefined });
    const after = await snapshot(home);
    expect(after['/.config/mimeapps.list']).toBe(before['/.config/mimeapps.list']);
    expect(after['/.local/share/applications/voispeed-url-handler.desktop']).toBeUndefined();
    expect(runs.filter((r) => r[0] === 'update-desktop-database')).toHaveLength(3);
  });

  it('leaves a default someone else set after us', async () => {
    await install(opts);
    const file = join(home, '.config/mimeapps.list');
    await writeFile(file, writeDefault(await readFile(file, 'utf8'), 'x-scheme-handler/voispeed', 'mine.desktop'));
    const lines: string[] = [];
    await uninstall({ ...opts, browsers: undefined, log: (l) => lines.push(l) });
    expect(readDefault(await readFile(file, 'utf8'), 'x-scheme-handler/voispeed')).toBe('mine.desktop');
    expect(lines.some((l) => /no longer opens with/.test(l))).toBe(true);
  });

  it('a missing xdg-mime is one clear warning; the host is still installed and the record lists what was written', async () => {
    const failing: CommandRunner = async () => ({ code: null, stdout: '', stderr: 'spawn xdg-mime ENOENT' });
    const lines: string[] = [];
    await install({ ...opts, runner: failing, log: (l) => lines.push(l) });
    expect(lines).toContain('warning: voispeed: links will not open with VOIspeed: xdg-mime is not installed (install xdg-utils, then run voispeed install again)');
    const record = await loadRecord(join(opts.paths!.configDir, 'install-record.json'));
    expect(record.entries.some((e) => e.path.endsWith('voispeed-url-handler.desktop'))).toBe(true);
    expect(record.entries.some((e) => e.component === 'host-manifest')).toBe(true);
    expect(record.entries.some((e) => e.kind === 'mime-default')).toBe(false);
  });
});

class QuitSignal {
  constructor(readonly code: number) {}
}

describe('the MSI URL launcher (JScript)', () => {
  /** Runs the launcher with stand-ins for the Windows Script Host objects; returns what it ran. */
  function runLauncher(url: string, dir = 'C:\\Users\\a\\AppData\\Local\\VOIspeed UI') {
    const ran: { command: string; style: number; wait: boolean }[] = [];
    let quit: number | undefined;
    const WScript = {
      Arguments: Object.assign([url], { length: 1, Item: (i: number) => [url][i] }),
      ScriptFullName: `${dir}\\voispeed-url.js`,
      // WScript.Quit ends the script.
      Quit: (code: number) => {
        throw new QuitSignal(code);
      },
    };
    function ActiveXObject(this: unknown, name: string) {
      if (name === 'Scripting.FileSystemObject') return { BuildPath: (a: string, b: string) => `${a}\\${b}`, GetParentFolderName: (p: string) => p.slice(0, p.lastIndexOf('\\')) };
      if (name === 'WScript.Shell') return { Run: (command: string, style: number, wait: boolean) => (ran.push({ command, style, wait }), 7) };
      throw new Error(name);
    }
    // The launcher is plain ES3: it compiles and runs as JavaScript.
    try {
      new Function('WScript', 'ActiveXObject', packagedWindowsUrlLauncher('voispeed.exe'))(WScript, ActiveXObject);
    } catch (e) {
      if (!(e instanceof QuitSignal)) throw e;
      quit = e.code;
    }
    return { ran, quit };
  }

  it('runs the executable beside it, hidden, with the URL as hex UTF-16 units (no % and no quote on the line)', () => {
    const url = 'voispeed:C0261616161,CRM%2042"&calc&%PATH%😀';
    const { ran, quit } = runLauncher(url);
    expect(ran).toHaveLength(1);
    const hex = [...Array(url.length).keys()].map((i) => url.charCodeAt(i).toString(16).padStart(4, '0')).join('');
    expect(ran[0]).toEqual({ command: `"C:\\Users\\a\\AppData\\Local\\VOIspeed UI\\voispeed.exe" url --from-hex ${hex}`, style: 0, wait: true });
    expect(quit).toBe(7);
  });

  it('refuses an install folder with % or a quote (Run would expand or split it)', () => {
    const { ran, quit } = runLauncher('voispeed:D', 'C:\\Users\\%USERNAME%\\x');
    expect(ran).toHaveLength(0);
    expect(quit).toBe(3);
  });
});
