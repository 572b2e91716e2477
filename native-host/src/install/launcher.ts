import { InstallError } from './install-error';

/**
 * The small script a host manifest points at. Browsers start hosts with a minimal environment
 * (PATH may not contain node), so the launcher names node by its absolute path, and it carries
 * VOISPEED_HOME from install time so a sandbox profile's host uses the sandbox's files.
 */
export interface LauncherInput {
  nodePath: string;
  hostScript: string;
  /** Exported to the host when set. */
  voispeedHome?: string;
}

/** POSIX shell single quoting: nothing is special inside '…' except the quote itself. */
export function shQuote(value: string): string {
  if (value.includes('\0')) throw new InstallError('a path contains a NUL byte');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function posixLauncher({ nodePath, hostScript, voispeedHome }: LauncherInput): string {
  const lines = [
    '#!/bin/sh',
    '# Written by `voispeed install`; `voispeed uninstall` removes it.',
    '# Browsers start native hosts with a minimal PATH, hence the absolute node path.',
  ];
  if (voispeedHome !== undefined) lines.push(`VOISPEED_HOME=${shQuote(voispeedHome)}`, 'export VOISPEED_HOME');
  lines.push(`exec ${shQuote(nodePath)} ${shQuote(hostScript)} "$@"`, '');
  return lines.join('\n');
}

/**
 * cmd.exe expands %VAR% even inside double quotes and has no escape for `"` within them, so such
 * paths cannot be written safely; refusing is better than a launcher that runs something else.
 */
export function assertBatchSafe(what: string, value: string): void {
  const bad = /["%\r\n\0]/.exec(value);
  if (bad) {
    const shown = bad[0] === '\r' ? 'CR' : bad[0] === '\n' ? 'newline' : bad[0] === '\0' ? 'NUL' : bad[0];
    throw new InstallError(`${what} contains ${shown}, which a Windows launcher cannot hold safely: ${JSON.stringify(value)}`);
  }
}

export function windowsLauncher({ nodePath, hostScript, voispeedHome }: LauncherInput): string {
  assertBatchSafe('the node path', nodePath);
  assertBatchSafe('the host path', hostScript);
  if (voispeedHome !== undefined) assertBatchSafe('VOISPEED_HOME', voispeedHome);
  const lines = [
    '@echo off',
    'rem Written by voispeed install; voispeed uninstall removes it.',
    // With delayed expansion off, `!` in a path stays literal even if the user enabled it globally.
    'setlocal EnableExtensions DisableDelayedExpansion',
  ];
  // cmd.exe decodes a batch file with the console code page; switch to UTF-8 before the first
  // line that needs it. Output goes to nul: stdout is the native-messaging channel.
  if (/[^\x00-\x7f]/.test(nodePath + hostScript + (voispeedHome ?? ''))) lines.push('chcp 65001 >nul');
  // Quoting the whole assignment keeps & | < > ( ) ^ in the value literal.
  if (voispeedHome !== undefined) lines.push(`set "VOISPEED_HOME=${voispeedHome}"`);
  lines.push(`"${nodePath}" "${hostScript}" %*`, '');
  return lines.join('\r\n');
}
