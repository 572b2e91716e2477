import { homedir, tmpdir } from 'node:os';
import { createLogger, flushLogger } from './log';
import { resolvePaths } from './settings/paths';
import { startHost, type Host } from './host';

/**
 * Entry point of dist/host/host.cjs, started by the browser through a host manifest.
 * stdout belongs to the protocol: console output from any library is rerouted to the log file.
 */
async function main(): Promise<void> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const paths = resolvePaths({
    env: process.env,
    platform: process.platform,
    homedir: homedir(),
    tmpdir: tmpdir(),
    uid: uid ?? 0,
  });
  const log = createLogger(paths.logDir, 'host');
  for (const level of ['log', 'info', 'debug', 'trace'] as const) {
    console[level] = (...args: unknown[]) => log.debug({ console: args.map(String) }, 'console');
  }
  console.warn = (...args: unknown[]) => log.warn({ console: args.map(String) }, 'console');
  console.error = (...args: unknown[]) => log.error({ console: args.map(String) }, 'console');

  log.info({ argv: process.argv.slice(2), node: process.version }, 'host starting');
  // Signal handlers come first: a browser may stop the host while it is still starting.
  let host: Host | undefined;
  let exiting = false;
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
    flushLogger(log);
    process.exit(0);
  };
  process.on('SIGTERM', () => void exit('SIGTERM'));
  process.on('SIGINT', () => void exit('SIGINT'));
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    void exit('uncaught exception');
  });
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

  host = await startHost({
    paths,
    log,
    input: process.stdin,
    output: process.stdout,
    platform: process.platform,
    uid,
  });
  if (exiting) await host.stop();
  void host.closed.then((reason) => exit(`browser channel closed (${reason})`));
}

void main();
