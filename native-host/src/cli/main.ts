import { isSea } from 'node:sea';
import { homedir, tmpdir } from 'node:os';
import { ProtocolError } from '../../../shared/protocol';
import { resolvePaths } from '../settings/paths';
import { CliError, type CliCommand, type CliContext } from './command';
import { commands } from './commands';

function usage(list: readonly CliCommand[]): string {
  const lines = ['usage: voispeed <command> [options]', '', 'commands:'];
  for (const c of list) lines.push(`  ${c.usage.padEnd(44)} ${c.summary}`);
  return lines.join('\n');
}

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.out(usage(commands));
    return name ? 0 : 2;
  }
  // `voispeed voispeed:C123` — the OS URL handler passes the URL as the only argument.
  const command = /^voispeed:/i.test(name)
    ? commands.find((c) => c.name === 'url')
    : commands.find((c) => c.name === name);
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

/** Entry point of dist/host/voispeed.cjs. */
export function main(): void {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const ctx: CliContext = {
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
  // `voispeed status | head` closes the pipe early; that is not a failure worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  runCli(process.argv.slice(2), ctx).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`voispeed: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
