import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as protocol from '../../shared/protocol';

/**
 * The tree's conventions (issue 14), checked on every run so that a newcomer's change that breaks
 * one fails here with the file named, instead of in review.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE_TREES = ['extension', 'native-host/src', 'shared'];
const SOURCE_EXT = /\.(ts|tsx|mts|mjs|js|cjs|css|html)$/;
const isTest = (file: string) => /\.test\.|(^|\/)testing\//.test(file);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(relative(root, path));
  }
  return out;
}

const files = SOURCE_TREES.flatMap((tree) => walk(join(root, tree))).filter((f) => SOURCE_EXT.test(f));
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('conventions', () => {
  it('sees the tree (a wrong root would make every check below pass)', () => {
    expect(files).toContain('native-host/src/sip/call-manager.ts');
    expect(files.length).toBeGreaterThan(150);
  });

  it('only native-host/src/sip/ imports jssip', () => {
    const importsJssip = /(\bfrom\s*|\bimport\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]jssip(\/[^'"]*)?['"]/;
    const outside = files.filter((f) => importsJssip.test(read(f)) && !f.startsWith('native-host/src/sip/'));
    expect(outside).toEqual([]);
  });

  it('only one module calls connectNative (the native port is opened in one place)', () => {
    const callers = files.filter((f) => !isTest(f) && /\bconnectNative\s*\(/.test(read(f)));
    expect(callers).toHaveLength(1);
  });

  it('every protocol method and event is documented in shared/protocol/README.md', () => {
    const readme = read('shared/protocol/README.md');
    const names = new Set<string>();
    for (const family of [protocol.account, protocol.call, protocol.directory, protocol.history, protocol.hotkeys, protocol.integra, protocol.media, protocol.session, protocol.settings]) {
      for (const spec of Object.values(family) as unknown[]) {
        if (typeof spec !== 'object' || spec === null) continue;
        const { method, event } = spec as { method?: unknown; event?: unknown };
        if (typeof method === 'string') names.add(method);
        if (typeof event === 'string') names.add(event);
      }
    }
    for (const table of [protocol.hostMethods, protocol.hostEvents, protocol.extensionMethods, protocol.extensionEvents]) {
      for (const name of Object.keys(table)) names.add(name);
    }
    expect(names.size).toBeGreaterThan(40);
    expect([...names].filter((n) => !readme.includes(`\`${n}\``))).toEqual([]);
  });

  it('no source file is over 400 lines (split by behaviour; tests are exempt)', () => {
    const long = files.filter((f) => !isTest(f)).map((f) => ({ f, lines: read(f).split('\n').length - 1 })).filter(({ lines }) => lines > 400);
    expect(long).toEqual([]);
  });

  // The build runs before the unit tests in `npm test` and CI; a unit run without a build has no dist/ to judge.
  it.skipIf(!existsSync(join(root, 'dist')))('no *.test.* file is in dist/', () => {
    const shipped = walk(join(root, 'dist')).filter((f) => /\.test\./.test(f));
    expect(shipped).toEqual([]);
  });
});
