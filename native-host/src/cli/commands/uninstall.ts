import { uninstall } from '../../install/installer';
import { CliError, type CliCommand } from '../command';
import { asCliError, installerOptions, MSI_OWNS_REGISTRATION, parseInstallFlags } from './install-options';

export const uninstallCommand: CliCommand = {
  name: 'uninstall',
  usage: 'uninstall [--browser B] [--user-data-dir DIR]',
  summary: 'remove what install wrote: everything, or one browser / user data dir; --dry-run',
  async run(args, ctx) {
    if (ctx.singleExecutable) throw new CliError(MSI_OWNS_REGISTRATION, 1);
    const flags = parseInstallFlags(args);
    await asCliError(() => uninstall(installerOptions(flags, ctx)));
    return 0;
  },
};
