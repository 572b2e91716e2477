// The Node.js runtime the packages carry, from the npm registry (node-<os>-x64, the official
// binaries). Pinned: a package build must not change with the day it runs. Node 22 because the
// Windows host must also run under Wine 8 in CI, where Node 24 does not start (NOTES-WINDOWS.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const NODE_VERSION = '22.23.3';

/**
 * Returns the folder of the unpacked npm package node-<platform>-x64@NODE_VERSION (its bin/ holds
 * the binary), fetched once into <root>/.cache/node/ with `npm pack` (npm checks the registry's
 * integrity hash).
 */
export function nodeRuntime(root, platform) {
  const name = `node-${platform}-x64`;
  const cache = join(root, '.cache/node');
  const dir = join(cache, `${name}-${NODE_VERSION}`);
  if (existsSync(join(dir, 'package/bin'))) return join(dir, 'package');
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', '--silent', `${name}@${NODE_VERSION}`, '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack ${name}@${NODE_VERSION} failed: ${pack.stderr.trim()}`);
  const tgz = join(dir, pack.stdout.trim().split('\n').pop());
  const untar = spawnSync('tar', ['-xzf', tgz, '-C', dir], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`could not unpack ${tgz}: ${untar.stderr.trim()}`);
  return join(dir, 'package');
}
