/** The installer: per-browser host manifests, their launcher, and a record so uninstall is exact. */
export { install, uninstall, detectBrowsers } from './installer';
export type { BrowserChoice, InstallOptions, InstallerOptions, InstallResult, UninstallResult } from './installer';
export { planInstall, planUninstall, launcherPath, hostScriptPath } from './plan';
export type { InstallPlanInput, InstallStep, UninstallStep } from './plan';
export { BROWSER_IDS, isBrowserId, manifestDir, registryKey } from './browsers';
export type { BrowserId } from './browsers';
export { InstallError } from './install-error';
export { loadRecord, recordPath } from './install-record';
export type { InstallRecord, RecordEntry } from './install-record';
export type { CommandRunner } from './windows-registry';
