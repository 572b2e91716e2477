import { install } from '../../install/installer';
import type { CliCommand } from '../command';
import { asCliError, installerOptions, parseInstallFlags } from './install-options';

export const installCommand: CliCommand = {
  name: 'install',
  usage: 'install [--browser B] [--user-data-dir DIR]',
  summary: 'register the host with browsers; B: chrome|chromium|edge|brave|firefox|all (default: those found); --dry-run',
  async run(args, ctx) {
    const flags = parseInstallFlags(args);
    await asCliError(() =>
      install({ ...installerOptions(flags, ctx), bundleDir: ctx.bundleDir, nodePath: ctx.nodePath }),
    );
    return 0;
  },
};
