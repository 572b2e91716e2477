import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_NODE_FLAGS, hostEnv } from './launcher/host-runtime';
import { runRelay } from './launcher/relay';
import { startDetachedHost } from './launcher/start-detached';
import { createLogger, flushLogger } from './log';
import { HOST_DAEMON_FLAG } from './sea-role';
import { controlSocketPath, resolvePaths } from './settings/paths';

/** Set by the single-executable build (scripts/package/msi.mjs): the host is this same file. */
declare const __VOISPEED_SEA__: boolean | undefined;
const IS_SEA = typeof __VOISPEED_SEA__ === 'boolean' && __VOISPEED_SEA__;

/**
 * Entry point of dist/host/host.cjs, started by the browser through a host manifest: the launcher.
 * A byte pipe to the host (dist/host/host-daemon.cjs, native-host/src/host-main.ts), which it starts
 * detached when none is running. Kept apart from the host's code so that this process, one per
 * browser connection, stays small. stdout carries only what the host sends.
 */
async function main(): Promise<void> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const paths = resolvePaths({ env: process.env, platform: process.platform, homedir: homedir(), tmpdir: tmpdir(), uid: uid ?? 0 });
  const log = createLogger(paths.logDir, 'launcher');
  for (const level of ['log', 'info', 'debug', 'trace', 'warn', 'error'] as const) {
    console[level] = (...args: unknown[]) => log.warn({ console: args.map(String) }, 'console');
  }
  log.info({ argv: process.argv.slice(2) }, 'launcher starting');
  const done = (code: number) => {
    flushLogger(log);
    process.exit(code);
  };
  process.on('SIGTERM', () => done(0));
  process.on('SIGINT', () => done(0));
  const code = await runRelay({
    socketPath: controlSocketPath(paths, process.platform, uid ?? 0),
    startHost: () => startDetachedHost(IS_SEA ? [HOST_DAEMON_FLAG] : [...HOST_NODE_FLAGS, join(__dirname, 'host-daemon.cjs')], IS_SEA ? process.env : hostEnv(process.env, process.platform)),
    input: process.stdin,
    output: process.stdout,
    log,
  });
  done(code);
}

void main();
