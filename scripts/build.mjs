// Builds what `npm run build` promises (DESIGN section 10): dist/chrome, dist/firefox, dist/host,
// plus the test builds dist/chrome-test and dist/firefox-test.
// `node scripts/build.mjs host|extension` builds one part.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const what = process.argv[2] ?? 'all';

async function buildHost() {
  const outdir = join(root, 'dist/host');
  await rm(outdir, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    logLevel: 'warning',
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    // ws optionally speeds up with native addons it can live without.
    external: ['bufferutil', 'utf-8-validate'],
  };
  // host.cjs is what browsers start (the launcher, small); host-daemon.cjs is the host it starts.
  await esbuild({
    ...common,
    entryPoints: { host: join(root, 'native-host/src/main.ts'), 'host-daemon': join(root, 'native-host/src/host-main.ts') },
    outdir,
    outExtension: { '.js': '.cjs' },
  });
  // voispeed.cjs: the entry, which loads voispeed-hot.cjs for the hot commands (call, hangup,
  // voispeed: URLs) and voispeed-cli.cjs, the full CLI, for the others (native-host/src/cli/fast-bin.ts).
  // The hot part is minified: compiling its source was a third of its load time (the map keeps
  // stack traces readable).
  await esbuild({
    ...common,
    entryPoints: { voispeed: join(root, 'native-host/src/cli/fast-bin.ts') },
    outdir,
    outExtension: { '.js': '.cjs' },
    banner: { js: '#!/usr/bin/env node' },
  });
  await esbuild({
    ...common,
    entryPoints: { 'voispeed-hot': join(root, 'native-host/src/cli/hot-main.ts') },
    minify: true,
    outdir,
    outExtension: { '.js': '.cjs' },
  });
  await esbuild({
    ...common,
    entryPoints: { 'voispeed-cli': join(root, 'native-host/src/cli/bin.ts') },
    outdir,
    outExtension: { '.js': '.cjs' },
  });
  // Windows/macOS hotkeys: uiohook-napi is a native addon (prebuilds in its npm package), loaded
  // only by this helper child process, never by the host itself (native-host/src/hotkeys/uiohook/).
  await esbuild({
    ...common,
    entryPoints: { 'hotkeys-helper': join(root, 'native-host/src/hotkeys/uiohook/helper-main.ts') },
    outdir,
    outExtension: { '.js': '.cjs' },
    external: [...common.external, 'uiohook-napi'],
  });
  const { chmod } = await import('node:fs/promises');
  await chmod(join(outdir, 'voispeed.cjs'), 0o755);
  console.log('built dist/host (host.cjs, host-daemon.cjs, voispeed.cjs, voispeed-hot.cjs, voispeed-cli.cjs)');
}

// The test variants (mode 'test': __TEST_BUILD__ hooks the end-to-end tests use) go to
// dist/chrome-test and dist/firefox-test; the production ones never contain those hooks.
async function buildExtension() {
  for (const mode of ['production', 'test']) {
    for (const target of ['chrome', 'firefox']) {
      process.env.VOISPEED_TARGET = target;
      await viteBuild({ configFile: join(root, 'extension/vite.config.ts'), mode, logLevel: 'warn' });
      console.log(`built dist/${target}${mode === 'test' ? '-test' : ''}`);
    }
  }
}

if (what === 'all' || what === 'host') await buildHost();
if (what === 'all' || what === 'extension') await buildExtension();
