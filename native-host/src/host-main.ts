import { homedir, tmpdir } from 'node:os';
import { ErrorCode, ProtocolError } from '../../shared/protocol';
import { createLogger, flushLogger } from './log';
import { resolvePaths, systemSettingsFile } from './settings/paths';
import { startHost, type Host } from './host';

/**
 * The host (dist/host/host-core.cjs, which host-daemon.cjs requires: host-entry.ts), started
 * detached by the first launcher (native-host/src/main.ts) and serving every browser connection
 * and the CLI over the control socket until no browser and no call is left. It has no stdio;
 * console output goes to the log.
 */
async function main(): Promise<void> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const paths = resolvePaths({ env: process.env, platform: process.platform, homedir: homedir(), tmpdir: tmpdir(), uid: uid ?? 0 });
  const log = createLogger(paths.logDir, 'host');
  for (const level of ['log', 'info', 'debug', 'trace'] as const) {
    console[level] = (...args: unknown[]) => log.debug({ console: args.map(String) }, 'console');
  }
  console.warn = (...args: unknown[]) => log.warn({ console: args.map(String) }, 'console');
  console.error = (...args: unknown[]) => log.error({ console: args.map(String) }, 'console');
  log.info({ node: process.version, pid: process.pid }, 'host starting');

  // Signal handlers come first: the host may be stopped while it is still starting.
  let host: Host | undefined;
  let exiting = false;
  // The control socket does not hold the event loop open; this does, until the host is done.
  const alive = setInterval(() => undefined, 60_000);
  const exit = async (why: string) => {
    if (exiting) return;
    exiting = true;
    log.info({ why }, 'host exiting');
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    try {
      await host?.stop();
    } catch (err) {
      log.error({ err }, 'error while stopping');
    }
    clearInterval(alive);
    flushLogger(log);
    process.exit(0);
  };
  process.on('SIGTERM', () => void exit('SIGTERM'));
  process.on('SIGINT', () => void exit('SIGINT'));
  process.on('SIGHUP', () => undefined);
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    void exit('uncaught exception');
  });
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

  try {
    host = await startHost({ paths, log, platform: process.platform, uid, systemSettings: systemSettingsFile(process.env, process.platform) });
  } catch (err) {
    if (err instanceof ProtocolError && err.code === ErrorCode.ALREADY_RUNNING) {
      // Two launchers raced; the other host serves both.
      log.info('another host is already running; leaving it the work');
      clearInterval(alive);
      flushLogger(log);
      process.exit(0);
    }
    throw err;
  }
  if (exiting) await host.stop();
  void host.closed.then((reason) => exit(reason));
}

void main();
