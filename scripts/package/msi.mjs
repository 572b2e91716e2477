// Builds voispeed-host-<version>-x64.msi on Linux: the host, the launcher and the CLI bundled into
// one script, made a Node single executable (SEA) of the Windows node.exe with postject, and
// packed with wixl from the WiX source in native-host/src/install/msi-layout.ts.
// The SEA blob is made by the Linux node of the same version: byte-identical to the one the
// Windows node makes (NOTES-WINDOWS.md), so no Wine is needed to build.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NODE_VERSION, nodeRuntime } from './node-runtime.mjs';

/** postject's fuse: the string node.exe is built with, which postject flips once injected. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error?.message}): ${(r.stderr || r.stdout || '').trim()}`);
  return r;
}

/**
 * uiohook-napi finds its addon with node-gyp-build beside its own files; in the single executable
 * there are none, and its require() knows built-in modules only. Its JS is bundled, and
 * node-gyp-build answers the addon installed beside the executable, loaded with a file-system
 * require (only the hotkeys helper role evaluates it: hotkeys/uiohook/helper-main.ts).
 */
function seaNativeAddon(addonName) {
  return {
    name: 'voispeed-sea-native-addon',
    setup(b) {
      b.onResolve({ filter: /^node-gyp-build$/ }, () => ({ path: 'node-gyp-build', namespace: 'voispeed-sea-addon' }));
      b.onLoad({ filter: /.*/, namespace: 'voispeed-sea-addon' }, () => ({
        loader: 'js',
        contents: `const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
module.exports = () => createRequire(process.execPath)(join(dirname(process.execPath), ${JSON.stringify(addonName)}));`,
      }));
    },
  };
}

export async function buildMsi({ root, release, version }) {
  const work = join(release, '.msi-work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  await build({
    entryPoints: [join(root, 'native-host/src/install/msi-layout.ts')],
    bundle: true, platform: 'node', format: 'esm', outfile: join(work, 'msi-layout.mjs'), logLevel: 'warning',
  });
  const layout = await import(pathToFileURL(join(work, 'msi-layout.mjs')).href);
  const msiVersion = layout.msiVersion(version);

  // One CommonJS script (SEA runs CommonJS) holding the launcher, the host and the CLI.
  await build({
    entryPoints: [join(root, 'native-host/src/sea-main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    outfile: join(work, 'voispeed-sea.cjs'),
    logLevel: 'warning',
    define: { __APP_VERSION__: JSON.stringify(version), __VOISPEED_SEA__: 'true' },
    external: ['bufferutil', 'utf-8-validate'],
    plugins: [seaNativeAddon(layout.MSI_HOTKEYS_ADDON)],
  });
  copyFileSync(join(root, 'node_modules/uiohook-napi/prebuilds/win32-x64/uiohook-napi.node'), join(work, layout.MSI_HOTKEYS_ADDON));
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify({
    main: 'voispeed-sea.cjs',
    output: 'voispeed.blob',
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
  }));
  const linuxNode = join(nodeRuntime(root, 'linux'), 'bin/node');
  run(linuxNode, ['--experimental-sea-config', 'sea-config.json'], { cwd: work });

  const exe = join(work, layout.MSI_EXE);
  copyFileSync(join(nodeRuntime(root, 'win'), 'bin/node.exe'), exe);
  run(process.execPath, [join(root, 'node_modules/postject/dist/cli.js'), exe, 'NODE_SEA_BLOB', join(work, 'voispeed.blob'), '--sentinel-fuse', SEA_FUSE, '--overwrite'], { cwd: work });

  for (const f of layout.msiTextFiles()) writeFileSync(join(work, f.name), f.content);
  writeFileSync(join(work, 'voispeed.wxs'), layout.msiWxs(version));
  const name = `voispeed-host-${msiVersion}-x64.msi`;
  // wixl ignores Platform in the source: the architecture is its -a.
  run('wixl', ['-a', 'x64', '-o', join(release, name), 'voispeed.wxs'], { cwd: work });
  if (!process.env.KEEP_MSI_WORK) rmSync(work, { recursive: true, force: true });
  return { name, nodeVersion: NODE_VERSION };
}
