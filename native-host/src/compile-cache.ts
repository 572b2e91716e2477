import { mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePaths } from './settings/paths';

/**
 * Turns on V8's code cache for the scripts required after this call, where the Node in use has one
 * (22.1+, the .deb's): a script's compiled code is then read back instead of compiled again at every
 * start. Called by the small entries (cli/fast-bin.ts, host-entry.ts) before they require their
 * bundle. The cache lives in the user's own state folder, never in a shared /tmp where another user
 * could plant one.
 */
export function enableCompileCache(): void {
  const { enableCompileCache: enable } = require('node:module') as { enableCompileCache?: (dir: string) => unknown };
  if (!enable) return;
  try {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    const dir = join(resolvePaths({ env: process.env, platform: process.platform, homedir: homedir(), tmpdir: tmpdir(), uid }).stateDir, 'compile-cache');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    enable(dir);
  } catch {
    // No cache (a read-only home, say): the same code, compiled each time.
  }
}
