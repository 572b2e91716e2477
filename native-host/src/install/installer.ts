import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { homedir as osHomedir, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { resolvePaths, type HostPaths } from '../settings/paths';
import { BROWSER_IDS, browserDataDir, browserFamily, browserLabel, osFamily, type BrowserId, type LocationEnv } from './browsers';
import { describeEntry, executeInstall, executeUninstall } from './executor';
import { InstallError } from './install-error';
import {
  loadRecord,
  mergeEntries,
  recordPath,
  saveRecord,
  selectEntries,
  type RecordEntry,
  type UninstallSelection,
} from './install-record';
import { hostScriptPath, planInstall, planUninstall, type InstallStep } from './plan';
import { cliScriptPath } from './url-handler';
import { spawnRunner, type CommandRunner } from './windows-registry';

/**
 * `install()` / `uninstall()`: the programmatic API behind `voispeed install|uninstall`, also used
 * directly by `npm start` and the end-to-end tests (with a temporary userDataDir).
 */

export type BrowserChoice = 'all' | 'detected' | readonly BrowserId[];

export interface InstallerOptions {
  /** Every option but this one defaults to the running process. */
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  homedir?: string;
  /** Defaults to resolvePaths() over `env`; `paths.home` (VOISPEED_HOME) goes into the launcher. */
  paths?: HostPaths;
  /** Which browsers. Default: those found for this user ('detected'); with userDataDir, chromium. */
  browsers?: BrowserChoice;
  /** A custom Chromium user data dir: its NativeMessagingHosts/ folder instead of the default one. */
  userDataDir?: string;
  /** Print what would be done, change nothing. */
  dryRun?: boolean;
  /** Runs reg.exe (Windows). Default: spawn without a shell. */
  runner?: CommandRunner;
  /** One line per file written or removed. */
  log?: (line: string) => void;
}

export interface InstallOptions extends InstallerOptions {
  /** Folder holding host.cjs (dist/host). */
  bundleDir: string;
  /** Default: the node running this process. */
  nodePath?: string;
  /**
   * Also register the `voispeed:` URL handler (Linux desktop entry + xdg-mime, Windows registry).
   * Off by default in this API so tests and `npm start` never take over the desktop's handler; the
   * CLI turns it on unless --user-data-dir or --no-url-handler is given.
   */
  urlHandler?: boolean;
}

export interface InstallResult {
  browsers: BrowserId[];
  steps: InstallStep[];
  /** What was created (empty on a dry run). */
  written: RecordEntry[];
  recordFile: string;
}

export interface UninstallResult {
  removed: RecordEntry[];
  recordFile: string;
}

interface Resolved {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homedir: string;
  paths: HostPaths;
  runner: CommandRunner;
  log: (line: string) => void;
  /** Relative paths are taken from the current folder, but only when planning for this very OS. */
  abs: (p: string) => string;
}

function resolveCommon(opts: InstallerOptions): Resolved {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const homedir = opts.homedir ?? osHomedir();
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const paths = opts.paths ?? resolvePaths({ env, platform, homedir, tmpdir: tmpdir(), uid });
  const native = osFamily(platform) === osFamily(process.platform);
  return {
    platform,
    env,
    homedir,
    paths,
    runner: opts.runner ?? spawnRunner,
    log: opts.log ?? (() => undefined),
    abs: (p) => (native ? resolve(p) : p),
  };
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Browsers whose per-user data folder exists, i.e. that have run at least once for this user. */
export async function detectBrowsers(loc: LocationEnv, exists: (dir: string) => Promise<boolean> = isDir): Promise<BrowserId[]> {
  const found: BrowserId[] = [];
  for (const browser of BROWSER_IDS) {
    if (await exists(browserDataDir(browser, loc))) found.push(browser);
  }
  return found;
}

async function chooseBrowsers(choice: BrowserChoice | undefined, userDataDir: string | undefined, loc: LocationEnv): Promise<BrowserId[]> {
  if (userDataDir !== undefined) {
    if (choice === undefined || choice === 'detected') return ['chromium'];
    if (choice === 'all') throw new InstallError('--user-data-dir takes one Chromium-family browser (chrome, chromium, edge or brave), not all');
    return [...choice];
  }
  if (choice === 'all') return [...BROWSER_IDS];
  if (choice !== undefined && choice !== 'detected') return [...choice];
  const found = await detectBrowsers(loc);
  if (found.length === 0) {
    throw new InstallError('found no supported browser for this user; pass --browser chrome|chromium|edge|brave|firefox|all');
  }
  return found;
}

function showCommand(program: string, args: readonly string[]): string {
  return [program, ...args].map((a) => (/^[\w@%+=:,./\\-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

export async function install(opts: InstallOptions): Promise<InstallResult> {
  const r = resolveCommon(opts);
  const configDir = r.abs(r.paths.configDir);
  const bundleDir = r.abs(opts.bundleDir);
  const nodePath = r.abs(opts.nodePath ?? process.execPath);
  const userDataDir = opts.userDataDir !== undefined ? r.abs(opts.userDataDir) : undefined;
  const home = r.paths.home ?? (r.env.VOISPEED_HOME?.trim() || undefined);
  const loc: LocationEnv = { platform: r.platform, env: r.env, homedir: r.homedir };

  const browsers = await chooseBrowsers(opts.browsers, userDataDir, loc);
  const steps = planInstall({
    ...loc,
    configDir,
    bundleDir,
    nodePath,
    browsers,
    ...(home !== undefined ? { voispeedHome: r.abs(home) } : {}),
    ...(userDataDir !== undefined ? { userDataDir } : {}),
    ...(opts.urlHandler ? { urlHandler: true } : {}),
  });
  if (opts.urlHandler && osFamily(r.platform) === 'darwin') {
    r.log('the voispeed: URL handler is not installed on macOS (it needs an .app bundle; see README)');
  }

  // A launcher pointing at nothing would only fail later, inside the browser, with no message.
  const hostScript = hostScriptPath(bundleDir, r.platform);
  try {
    await access(hostScript, constants.R_OK);
  } catch {
    throw new InstallError(`host bundle not found: ${hostScript} (run \`npm run build\` first)`);
  }
  if (opts.urlHandler && osFamily(r.platform) !== 'darwin') {
    const cli = cliScriptPath(bundleDir, r.platform);
    try {
      await access(cli, constants.R_OK);
    } catch {
      throw new InstallError(`CLI bundle not found: ${cli} (run \`npm run build\` first)`);
    }
  }
  try {
    await access(nodePath, osFamily(process.platform) === 'win32' ? constants.F_OK : constants.X_OK);
  } catch {
    throw new InstallError(`node not found or not executable: ${nodePath}`);
  }

  const file = recordPath(configDir);
  if (opts.dryRun) {
    for (const step of steps) {
      r.log(
        step.kind === 'write-file'
          ? `would write ${step.path} (${step.label}, mode ${step.mode.toString(8).padStart(4, '0')})`
          : `would run ${showCommand(step.program, step.args)}${step.kind === 'refresh-desktop-database' ? ' (if a desktop database exists there)' : ''}`,
      );
    }
    r.log(`would write ${file} (install record)`);
    return { browsers, steps, written: [], recordFile: file };
  }

  // Read the record first: a corrupt one must stop us before anything is written.
  const before = await loadRecord(file);
  // Our own folder is private and is not ours to remove later: it also holds settings.
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  const written: RecordEntry[] = [];
  try {
    await executeInstall(steps, { runner: r.runner, log: r.log, env: r.env }, written);
  } finally {
    if (written.length > 0) {
      await saveRecord(file, { version: 1, entries: mergeEntries(before.entries, written) });
      r.log(`wrote ${file} (install record)`);
    }
  }
  return { browsers, steps, written, recordFile: file };
}

function selectionFor(opts: InstallerOptions, abs: (p: string) => string): UninstallSelection {
  const choice = opts.browsers;
  if (opts.userDataDir !== undefined) {
    if (Array.isArray(choice) && choice.some((b: BrowserId) => browserFamily(b) !== 'chromium')) {
      throw new InstallError('--user-data-dir applies only to a Chromium-family browser (chrome, chromium, edge or brave)');
    }
    return { kind: 'user-data-dir', userDataDir: abs(opts.userDataDir) };
  }
  if (choice === undefined || choice === 'all' || choice === 'detected') return { kind: 'everything' };
  return { kind: 'browsers', browsers: choice };
}

function describeSelection(selection: UninstallSelection): string {
  switch (selection.kind) {
    case 'everything':
      return 'anything';
    case 'browsers':
      return selection.browsers.map(browserLabel).join(', ');
    case 'user-data-dir':
      return selection.userDataDir;
  }
}

export async function uninstall(opts: InstallerOptions = {}): Promise<UninstallResult> {
  const r = resolveCommon(opts);
  const file = recordPath(r.abs(r.paths.configDir));
  const selection = selectionFor(opts, r.abs);
  const record = await loadRecord(file);
  if (record.entries.length === 0) {
    r.log(`nothing to uninstall: no install record at ${file}`);
    return { removed: [], recordFile: file };
  }
  const { remove, keep } = selectEntries(record.entries, selection);
  if (remove.length === 0) {
    r.log(`nothing recorded as installed for ${describeSelection(selection)} in ${file}`);
    return { removed: [], recordFile: file };
  }
  const steps = planUninstall(remove, r.env);
  if (opts.dryRun) {
    for (const step of steps) {
      r.log(
        step.kind === 'registry-delete' || step.kind === 'refresh-desktop-database'
          ? `would run ${showCommand(step.program, step.args)}${step.kind === 'refresh-desktop-database' ? ' (if a desktop database exists there)' : ''}`
          : step.kind === 'restore-mime-default'
            ? `would restore ${step.entry.previous ?? 'no'} default for ${step.entry.mimeType ?? ''} in ${step.entry.path}`
            : `would remove ${step.entry.path} (${describeEntry(step.entry)})`,
      );
    }
    return { removed: [], recordFile: file };
  }
  const outcome = await executeUninstall(steps, { runner: r.runner, log: r.log, env: r.env });
  const left = [...keep, ...outcome.failed.map((f) => f.entry)];
  const saved = await saveRecord(file, { version: 1, entries: left });
  if (saved === 'removed') r.log(`removed ${file} (install record)`);
  if (saved === 'written') r.log(`updated ${file} (install record)`);
  const [first, ...more] = outcome.failed;
  if (first) {
    throw new InstallError(`${first.message}${more.length > 0 ? ` (and ${more.length} more; see ${file})` : ''}`);
  }
  return { removed: outcome.done, recordFile: file };
}
