import { mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePaths } from '../settings/paths';
import { isHotCommand } from './hot-commands';

/**
 * Entry point of dist/host/voispeed.cjs (what /usr/bin/voispeed and the `voispeed:` URL handler
 * run). The hot commands load voispeed-hot.cjs (themselves and the control-socket client); anything
 * else loads the full CLI, voispeed-cli.cjs. Both beside this file, and compiled through V8's code
 * cache where the Node in use has one (22.1+, the .deb's): compiling them was a fifth of the hot
 * path's time. The cache lives in the user's own state folder, never in a shared /tmp where another
 * user could plant one.
 */
function enableCompileCache(): void {
  const { enableCompileCache: enable } = require('node:module') as { enableCompileCache?: (dir: string) => unknown };
  if (!enable) return;
  try {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    const dir = join(resolvePaths({ env: process.env, platform: process.platform, homedir: homedir(), tmpdir: tmpdir(), uid }).stateDir, 'compile-cache');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    enable(dir);
  } catch {
    // No cache (a read-only home, say): the same CLI, compiled each time.
  }
}

enableCompileCache();
require(join(__dirname, isHotCommand(process.argv.slice(2)) ? 'voispeed-hot.cjs' : 'voispeed-cli.cjs'));
