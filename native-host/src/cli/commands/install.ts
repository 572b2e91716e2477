import { install } from '../../install/installer';
import { CliError, type CliCommand } from '../command';
import { asCliError, installerOptions, MSI_OWNS_REGISTRATION, parseInstallFlags } from './install-options';

export const installCommand: CliCommand = {
  name: 'install',
  usage: 'install [--browser B] [--user-data-dir DIR] [--no-url-handler]',
  summary: 'register the host with browsers and the voispeed: URL handler; B: chrome|chromium|edge|brave|firefox|all (default: those found); --dry-run',
  async run(args, ctx) {
    if (ctx.singleExecutable) throw new CliError(MSI_OWNS_REGISTRATION, 1);
    const flags = parseInstallFlags(args);
    await asCliError(() =>
      install({
        ...installerOptions(flags, ctx),
        bundleDir: ctx.bundleDir,
        nodePath: ctx.nodePath,
        // A --user-data-dir install is for one (test or demo) profile: the desktop's handler is not its to take.
        urlHandler: !flags.noUrlHandler && flags.userDataDir === undefined,
      }),
    );
    return 0;
  },
};
