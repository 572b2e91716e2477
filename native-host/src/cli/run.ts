import { isSea } from 'node:sea';
import { homedir, tmpdir } from 'node:os';
import { APP_VERSION } from '../../../shared/app-version';
import { ProtocolError } from '../../../shared/protocol';
import { resolvePaths } from '../settings/paths';
import { CliError, type CliCommand, type CliContext } from './command';

/**
 * Running one command of a list, shared by the full CLI (main.ts, every command) and the small
 * entry for the hot commands (hot-main.ts): same parsing, same messages, same exit codes.
 */
export function usage(list: readonly CliCommand[]): string {
  const lines = ['usage: voispeed <command> [options]', '       voispeed --version', '', 'commands:'];
  for (const c of list) lines.push(`  ${c.usage.padEnd(44)} ${c.summary}`);
  return lines.join('\n');
}

export async function runCommands(argv: string[], ctx: CliContext, list: readonly CliCommand[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.out(usage(list));
    return name ? 0 : 2;
  }
  // What a support call asks first; the same words whichever bundle (hot entry, full CLI, the .exe) runs.
  if (name === '--version' || name === '-V' || name === 'version') {
    ctx.out(`voispeed ${APP_VERSION}`);
    return 0;
  }
  // `voispeed voispeed:C123` — the OS URL handler passes the URL as the only argument.
  const command = /^voispeed:/i.test(name) ? list.find((c) => c.name === 'url') : list.find((c) => c.name === name);
  if (!command) {
    ctx.err(`voispeed: unknown command "${name.slice(0, 64)}" (try: voispeed --help)`);
    return 2;
  }
  const args = command.name === 'url' && name !== 'url' ? [name, ...rest] : rest;
  try {
    return await command.run(args, ctx);
  } catch (err) {
    if (err instanceof CliError) {
      ctx.err(`voispeed: ${err.message}`);
      return err.exitCode;
    }
    if (err instanceof ProtocolError) {
      ctx.err(`voispeed: ${err.message}`);
      return 1;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      ctx.err(`voispeed: ${err.message}`);
      return 2;
    }
    ctx.err(`voispeed: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}

/** The context of this process (what a command may read of it). */
export function processContext(): CliContext {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return {
    env: process.env,
    platform: process.platform,
    paths: resolvePaths({ env: process.env, platform: process.platform, homedir: homedir(), tmpdir: tmpdir(), uid }),
    homedir: homedir(),
    uid,
    bundleDir: __dirname,
    nodePath: process.execPath,
    singleExecutable: isSea(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

/** Runs the process's arguments against `list` and sets the exit code. */
export function runProcess(list: readonly CliCommand[]): void {
  const ctx = processContext();
  // `voispeed status | head` closes the pipe early; that is not a failure worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  runCommands(process.argv.slice(2), ctx, list).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`voispeed: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
