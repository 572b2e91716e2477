import { posix } from 'node:path';
import { NATIVE_HOST_NAME } from '../../../shared/protocol/version';
import {
  browserFamily,
  browserLabel,
  manifestDir,
  osFamily,
  pathFor,
  registryKey,
  type BrowserId,
  type LocationEnv,
} from './browsers';
import { MANIFEST_FILE_NAME, hostManifestText } from './host-manifest';
import { InstallError } from './install-error';
import type { Component, RecordEntry } from './install-record';
import { assertBatchSafe, posixLauncher, windowsLauncher } from './launcher';
import { planUrlHandler, type UrlHandlerStep } from './url-handler';
import { regAddArgs, regDeleteArgs, regExePath, regQueryArgs } from './windows-registry';

/**
 * Installing is planned first, as data, with no I/O: the plan is what the unit tests check for
 * every browser × OS, what `--dry-run` prints, and what the executor carries out.
 */

/** Who a step belongs to; copied into the install record so uninstall can remove by browser. */
export interface Owner {
  component: Component;
  browser?: BrowserId;
  userDataDir?: string;
}

export type InstallStep =
  | {
      kind: 'write-file';
      path: string;
      contents: string;
      mode: number;
      /** For folders the executor has to create. */
      dirMode: number;
      owner: Owner;
      label: string;
    }
  | {
      kind: 'registry-add';
      key: string;
      value: string;
      program: string;
      args: string[];
      owner: Owner;
      label: string;
    }
  /** Linux URL handler: `xdg-mime default`, recorded with the default it replaced. */
  | Extract<UrlHandlerStep, { kind: 'set-mime-default' }>
  /** Linux URL handler: update-desktop-database, only where a database (mimeinfo.cache) exists. */
  | Extract<UrlHandlerStep, { kind: 'refresh-desktop-database' }>;

export type UninstallStep =
  | { kind: 'registry-delete'; entry: RecordEntry; program: string; args: string[]; queryArgs: string[] }
  | { kind: 'restore-mime-default'; entry: RecordEntry }
  | { kind: 'remove-file'; entry: RecordEntry }
  | { kind: 'remove-dir'; entry: RecordEntry }
  | { kind: 'refresh-desktop-database'; dir: string; program: string; args: string[] };

export interface InstallPlanInput extends LocationEnv {
  /** Our own folder (paths.configDir): the launcher and, on Windows, the manifests go here. */
  configDir: string;
  /** VOISPEED_HOME at install time; the launcher hands it to the host. */
  voispeedHome?: string;
  /** dist/host, holding host.cjs. */
  bundleDir: string;
  nodePath: string;
  browsers: readonly BrowserId[];
  /** A custom Chromium --user-data-dir: the manifest goes into `<dir>/NativeMessagingHosts/`. */
  userDataDir?: string;
  /** Also register the `voispeed:` URL handler (url-handler.ts). */
  urlHandler?: boolean;
}

export const HOST_SCRIPT_NAME = 'host.cjs';

const MANIFEST_MODE = 0o644;
const LAUNCHER_MODE = 0o755;
/** Our folders stay private (DESIGN §8); the browsers' folders get the usual mode. */
const OWN_DIR_MODE = 0o700;
const BROWSER_DIR_MODE = 0o755;

export function hostScriptPath(bundleDir: string, platform: NodeJS.Platform): string {
  return pathFor(platform).join(bundleDir, HOST_SCRIPT_NAME);
}

export function launcherPath(configDir: string, platform: NodeJS.Platform): string {
  const name = osFamily(platform) === 'win32' ? 'voispeed-host.bat' : 'voispeed-host.sh';
  return pathFor(platform).join(configDir, 'host', name);
}

function requireAbsolute(what: string, value: string | undefined, platform: NodeJS.Platform): void {
  if (value !== undefined && !pathFor(platform).isAbsolute(value)) {
    throw new InstallError(`${what} must be an absolute path: ${value}`);
  }
}

export function planInstall(input: InstallPlanInput): InstallStep[] {
  const { platform, configDir, bundleDir, nodePath, voispeedHome, userDataDir } = input;
  const p = pathFor(platform);
  const windows = osFamily(platform) === 'win32';
  requireAbsolute('the config folder', configDir, platform);
  requireAbsolute('the host bundle folder', bundleDir, platform);
  requireAbsolute('the node path', nodePath, platform);
  requireAbsolute('VOISPEED_HOME', voispeedHome, platform);
  requireAbsolute('--user-data-dir', userDataDir, platform);
  const browsers = [...new Set(input.browsers)];
  if (browsers.length === 0) throw new InstallError('no browser to install for');
  if (userDataDir !== undefined && browsers.length > 1) {
    throw new InstallError('--user-data-dir takes one Chromium-family browser (chrome, chromium, edge or brave)');
  }

  const launcher = launcherPath(configDir, platform);
  const hostScript = hostScriptPath(bundleDir, platform);
  const launcherInput = { nodePath, hostScript, ...(voispeedHome !== undefined ? { voispeedHome } : {}) };
  // Browsers start a Windows host through cmd.exe, which would expand % in the launcher's own path.
  if (windows) assertBatchSafe('the launcher path', launcher);

  const steps: InstallStep[] = [
    {
      kind: 'write-file',
      path: launcher,
      contents: windows ? windowsLauncher(launcherInput) : posixLauncher(launcherInput),
      mode: LAUNCHER_MODE,
      dirMode: OWN_DIR_MODE,
      owner: { component: 'launcher' },
      label: 'launcher',
    },
  ];

  for (const browser of browsers) {
    const owner: Owner = { component: 'host-manifest', browser, ...(userDataDir !== undefined ? { userDataDir } : {}) };
    const contents = hostManifestText(browserFamily(browser), launcher);
    const label = `${browserLabel(browser)} host manifest`;
    const dir = manifestDir(browser, input, userDataDir);
    if (dir !== undefined) {
      steps.push({ kind: 'write-file', path: p.join(dir, MANIFEST_FILE_NAME), contents, mode: MANIFEST_MODE, dirMode: BROWSER_DIR_MODE, owner, label });
      continue;
    }
    // Windows: the file can live anywhere; the registry names it. One file per browser, so
    // uninstalling one browser leaves the others' files in place.
    const file = p.join(configDir, 'host', `${NATIVE_HOST_NAME}-${browser}.json`);
    steps.push({ kind: 'write-file', path: file, contents, mode: MANIFEST_MODE, dirMode: OWN_DIR_MODE, owner, label });
    const key = registryKey(browser, NATIVE_HOST_NAME);
    steps.push({
      kind: 'registry-add',
      key,
      value: file,
      program: regExePath(input.env),
      args: regAddArgs(key, file),
      owner,
      label: `${browserLabel(browser)} registry key`,
    });
  }
  if (input.urlHandler) {
    steps.push(...planUrlHandler({ platform, env: input.env, homedir: input.homedir, configDir, bundleDir, nodePath, ...(voispeedHome !== undefined ? { voispeedHome } : {}) }, regExePath(input.env)));
  }
  return steps;
}

/**
 * Registry keys first (the browser stops finding the host before its files go), then files, then
 * the folders the installer created, deepest first so a parent is empty when its turn comes.
 */
export function planUninstall(entries: readonly RecordEntry[], env: LocationEnv['env']): UninstallStep[] {
  // Deepest key first: a subkey (shell\open\command) goes before its parent.
  const registry = entries.filter((e) => e.kind === 'registry').sort((a, b) => b.path.length - a.path.length);
  const mimeDefaults = entries.filter((e) => e.kind === 'mime-default');
  // Reverse install order: manifests go before the launcher they point at.
  const files = entries.filter((e) => e.kind === 'file').reverse();
  const dirs = entries.filter((e) => e.kind === 'dir').sort((a, b) => b.path.length - a.path.length);
  // A desktop entry removed from a folder with a desktop database: refresh it so it forgets us.
  const desktopDirs = [...new Set(files.filter((e) => e.component === 'url-handler' && e.path.endsWith('.desktop')).map((e) => posix.dirname(e.path)))];
  return [
    ...mimeDefaults.map((entry): UninstallStep => ({ kind: 'restore-mime-default', entry })),
    ...registry.map((entry): UninstallStep => ({
      kind: 'registry-delete',
      entry,
      program: regExePath(env),
      args: regDeleteArgs(entry.path),
      queryArgs: regQueryArgs(entry.path),
    })),
    ...files.map((entry): UninstallStep => ({ kind: 'remove-file', entry })),
    ...desktopDirs.map((dir): UninstallStep => ({ kind: 'refresh-desktop-database', dir, program: 'update-desktop-database', args: [dir] })),
    ...dirs.map((entry): UninstallStep => ({ kind: 'remove-dir', entry })),
  ];
}
