import { spawn } from 'node:child_process';
import type { StartedHost } from './relay';

/**
 * `args`: what follows node: its flags and the host script (host-runtime.ts), or in the Windows
 * single executable (which is its own node) the flag that makes it the host (sea-role.ts).
 *
 * Starts the host as its own session leader, with no stdio, so that the browser killing the
 * launcher (its child) leaves the host and its calls alone.
 */
export function startDetachedHost(args: readonly string[], env: NodeJS.ProcessEnv): StartedHost {
  const child = spawn(process.execPath, [...args], {
    detached: true,
    stdio: 'ignore',
    env,
    windowsHide: true,
  });
  // Watched only while this launcher waits for it; unref lets the launcher exit without it.
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  child.unref();
  return { exited };
}
