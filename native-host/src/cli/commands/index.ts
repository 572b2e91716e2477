import type { CliCommand } from '../command';
import { accountCommand } from './account';
import { statusCommand } from './status';

/** Every CLI command, in the order `voispeed --help` lists them. One file per command. */
export const commands: readonly CliCommand[] = [
  statusCommand,
  accountCommand,
];
