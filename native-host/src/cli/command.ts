import type { HostPaths } from '../settings/paths';

/** What every CLI command gets; nothing reads process globals directly, so commands are testable. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  paths: HostPaths;
  homedir: string;
  uid: number;
  /** Folder holding the bundled host (dist/host); the installer points launchers at it. */
  bundleDir: string;
  /** Absolute path of the node binary running the CLI. */
  nodePath: string;
  /**
   * Set when the CLI runs inside the Windows single executable the MSI installed: the MSI owns the
   * browser registration there, and `install`/`uninstall` would point browsers at scripts that do
   * not exist.
   */
  singleExecutable?: boolean;
  out(line: string): void;
  err(line: string): void;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  /** Resolves to the exit code. Throw CliError for a one-line failure. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** A failure printed as one line `voispeed: <message>` with a non-zero exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
