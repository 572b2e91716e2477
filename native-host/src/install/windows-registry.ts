import { execFile } from 'node:child_process';
import { win32 } from 'node:path';

/**
 * Registry keys are written with reg.exe and an argument array, never through a shell: a manifest
 * path with spaces, `&` or `^` then reaches reg.exe as one argument, unchanged.
 */

/** Runs a program with arguments and no shell. Injected so tests can fake reg.exe. */
export type CommandRunner = (program: string, args: readonly string[], options?: RunOptions) => Promise<CommandResult>;

export interface RunOptions {
  /** The whole environment of the program (xdg-mime reads HOME and the XDG folders from it). */
  env?: NodeJS.ProcessEnv;
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The absolute reg.exe, so a reg.exe earlier in PATH or in the current folder is never the one run.
 */
export function regExePath(env: Readonly<Record<string, string | undefined>>): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? 'C:\\Windows';
  return win32.join(root, 'System32', 'reg.exe');
}

/** Sets the key's default value (/ve) to `value`, replacing any existing one (/f). */
export function regAddArgs(key: string, value: string): string[] {
  return ['add', key, '/ve', '/t', 'REG_SZ', '/d', value, '/f'];
}

export function regDeleteArgs(key: string): string[] {
  return ['delete', key, '/f'];
}

/** reg.exe exits 1 both for "no such key" and for real failures; a query tells them apart. */
export function regQueryArgs(key: string): string[] {
  return ['query', key];
}

export const spawnRunner: CommandRunner = (program, args, options) =>
  new Promise((resolve) => {
    const env = options?.env ? { env: options.env } : {};
    execFile(program, [...args], { shell: false, windowsHide: true, timeout: 30_000, ...env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (err && code === null ? err.message : '')) });
    });
  });

/** Sets the named value `name` of the key (e.g. "URL Protocol") to `value`, which may be empty. */
export function regAddValueArgs(key: string, name: string, value: string): string[] {
  return ['add', key, '/v', name, '/t', 'REG_SZ', '/d', value, '/f'];
}
