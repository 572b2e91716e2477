import { execFile } from 'node:child_process';
import { cliBundle } from './host-process';

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs the `voispeed` CLI without blocking this process. `call` and `transfer` answer only once
 * the call really started, which needs the browser: with spawnSync the test process stops reading
 * puppeteer's connection, and a target Chromium holds for it (a new offscreen document waits for
 * the debugger) never makes the offer, so the call fails after the bridge's 10 s timeout; a fake
 * media engine running in this process (tests/support/fake-media.ts) cannot answer at all.
 */
export function runCli(home: string, args: string[], timeoutMs = 30_000, env: NodeJS.ProcessEnv = process.env, input?: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cliBundle, ...args], { env: { ...env, VOISPEED_HOME: home }, encoding: 'utf8', timeout: timeoutMs }, (err, out, errOut) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null) : 0;
      resolve({ code, out: out.trim(), err: errOut.trim() });
    });
    // --password-stdin reads to the end: always close stdin.
    child.stdin?.end(input ?? '');
  });
}
