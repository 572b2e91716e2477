import { uninstall } from '../../install/installer';
import type { CliCommand } from '../command';
import { asCliError, installerOptions, parseInstallFlags } from './install-options';

export const uninstallCommand: CliCommand = {
  name: 'uninstall',
  usage: 'uninstall [--browser B] [--user-data-dir DIR]',
  summary: 'remove what install wrote: everything, or one browser / user data dir; --dry-run',
  async run(args, ctx) {
    const flags = parseInstallFlags(args);
    await asCliError(() => uninstall(installerOptions(flags, ctx)));
    return 0;
  },
};
