import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InstallError } from '../../install/install-error';
import { BROWSER_IDS, isBrowserId, type BrowserId } from '../../install/browsers';
import type { BrowserChoice, InstallerOptions } from '../../install/installer';
import { CliError, type CliContext } from '../command';

/** The flags `install` and `uninstall` share, parsed once so both read them the same way. */
export interface ParsedInstallFlags {
  browsers: BrowserChoice | undefined;
  userDataDir: string | undefined;
  dryRun: boolean;
  /** install: leave the `voispeed:` URL handler alone. */
  noUrlHandler: boolean;
}

const CHOICES = `${BROWSER_IDS.join(', ')} or all`;

export function parseInstallFlags(args: string[]): ParsedInstallFlags {
  const { values } = parseArgs({
    args,
    options: {
      browser: { type: 'string', multiple: true },
      'user-data-dir': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'no-url-handler': { type: 'boolean', default: false },
    },
    allowPositionals: false,
    strict: true,
  });
  let browsers: BrowserChoice | undefined;
  const picked: BrowserId[] = [];
  for (const raw of values.browser ?? []) {
    // `--browser chrome,firefox` reads as naturally as repeating the flag.
    for (const name of raw.split(',').map((s) => s.trim().toLowerCase())) {
      if (name === 'all') browsers = 'all';
      else if (isBrowserId(name)) picked.push(name);
      else throw new CliError(`unknown browser "${name.slice(0, 40)}" (choose ${CHOICES})`, 2);
    }
  }
  if (browsers !== 'all' && picked.length > 0) browsers = [...new Set(picked)];
  const dir = values['user-data-dir'];
  if (dir !== undefined && dir.trim() === '') throw new CliError('--user-data-dir needs a folder', 2);
  return {
    browsers,
    userDataDir: dir !== undefined ? resolve(dir) : undefined,
    dryRun: values['dry-run'] === true,
    noUrlHandler: values['no-url-handler'] === true,
  };
}

export function installerOptions(flags: ParsedInstallFlags, ctx: CliContext): InstallerOptions {
  return {
    platform: ctx.platform,
    env: ctx.env,
    homedir: ctx.homedir,
    paths: ctx.paths,
    dryRun: flags.dryRun,
    log: (line) => ctx.out(line),
    ...(flags.browsers !== undefined ? { browsers: flags.browsers } : {}),
    ...(flags.userDataDir !== undefined ? { userDataDir: flags.userDataDir } : {}),
  };
}

/** Installer failures are already one user-facing line; give them the CLI's exit convention. */
export async function asCliError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof InstallError) throw new CliError(err.message);
    throw err;
  }
}

/** What `install` and `uninstall` say in the Windows single executable (CliContext.singleExecutable). */
export const MSI_OWNS_REGISTRATION = 'the MSI registered this host with every browser already: to repair it, run the MSI again; to remove it, uninstall "VOIspeed UI host" in Apps (or msiexec /x)';
