import type { CliContext } from './command';
import { commands } from './commands';
import { runCommands, runProcess } from './run';

/** Every command (the full CLI). */
export function runCli(argv: string[], ctx: CliContext): Promise<number> {
  return runCommands(argv, ctx, commands);
}

/** Entry point of the full CLI (dist/host/voispeed-cli.cjs, and the Windows single executable). */
export function main(): void {
  runProcess(commands);
}
