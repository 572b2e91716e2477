import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The host's stdout carries protocol frames only, so logs always go to a file.
 * Secrets are redacted wherever they appear in a logged object.
 */
export function createLogger(logDir: string, name: string, level = process.env.VOISPEED_LOG_LEVEL ?? 'info'): Logger {
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const destination = pino.destination({ dest: join(logDir, `${name}.log`), sync: false, mkdir: true });
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: ['password', 'ha1', '*.password', '*.ha1', '*.*.password', '*.*.ha1', 'account.password', 'account.ha1'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Flushes buffered log lines; call before exiting. */
export function flushLogger(log: Logger): void {
  try {
    log.flush();
  } catch {
    // A logger that cannot flush must not turn a clean exit into a crash.
  }
}
