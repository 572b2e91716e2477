import { spawn } from 'node:child_process';

/**
 * Starts the host as its own session leader, with no stdio, so that the browser killing the
 * launcher (its child) leaves the host and its calls alone.
 */
export function startDetachedHost(script: string, env: NodeJS.ProcessEnv): void {
  const child = spawn(process.execPath, [script], {
    detached: true,
    stdio: 'ignore',
    env,
    windowsHide: true,
  });
  child.unref();
}
