import type { CliCommand } from '../command';
import { accountCommand } from './account';
import { installCommand } from './install';
import { sandboxCommand } from './sandbox';
import { statusCommand } from './status';
import { uninstallCommand } from './uninstall';

/** Every CLI command, in the order `voispeed --help` lists them. One file per command. */
export const commands: readonly CliCommand[] = [
  installCommand,
  uninstallCommand,
  statusCommand,
  accountCommand,
  sandboxCommand,
];
