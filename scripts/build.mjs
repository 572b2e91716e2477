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
  // host.cjs is what browsers start (the launcher, small); host-daemon.cjs is the host it starts, a
  // small entry that turns V8's code cache on and requires the host itself, host-core.cjs.
  // All without comments and whitespace: V8 holds a script's whole source in memory for as long
  // as the process runs, and compiles all of it at start (6.0 → 4.0 MB for the host; identifiers
  // are kept, so stack traces and logged error types keep their names).
  const compact = { minifyWhitespace: true, minifySyntax: true };
  await esbuild({
    ...common,
    ...compact,
    entryPoints: {
      host: join(root, 'native-host/src/main.ts'),
      'host-daemon': join(root, 'native-host/src/host-entry.ts'),
      'host-core': join(root, 'native-host/src/host-main.ts'),
    },
    outdir,
    outExtension: { '.js': '.cjs' },
    plugins: [hostParts(), zodWithoutLocales()],
  });
  // The parts of the host a session may never use, each its own file (HOST_PARTS).
  for (const [file, modules] of Object.entries(HOST_PARTS)) {
    await esbuild({
      ...common,
      ...compact,
      stdin: { contents: modules.map((m) => `export * from ${JSON.stringify(`./${m}`)};`).join('\n'), resolveDir: root, loader: 'ts', sourcefile: file },
      outfile: join(outdir, file),
      plugins: [zodWithoutLocales()],
    });
  }
  for (const name of ['host.cjs', 'host-daemon.cjs', 'host-core.cjs', ...Object.keys(HOST_PARTS)]) await assertAscii(join(outdir, name));
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
  console.log(`built dist/host (host.cjs, host-daemon.cjs, host-core.cjs, ${Object.keys(HOST_PARTS).join(', ')}, voispeed.cjs, voispeed-hot.cjs, voispeed-cli.cjs)`);
}

/**
 * Parts of the host that a session may never use, each built to its own file in dist/host beside
 * host-core.cjs, and loaded by the first `import()` of one of its modules (the only way they are
 * imported): werift and its DTLS/X.509 code for the media gateway (a plain-SIP account's calls),
 * ldapts for an LDAP directory, the X11 client for hotkeys on X11. Out of host-core.cjs they cost
 * nothing at start: the host compiles all of its script when it starts and holds its source in
 * memory (these were 2.2 of its 4 MB). A part has its own copy of what it imports; their modules
 * import nothing with state the host also has. The Windows single executable keeps one script
 * (scripts/package/msi.mjs bundles these in, evaluated when first imported all the same).
 */
const HOST_PARTS = {
  'host-media.cjs': ['native-host/src/media-gateway/browser-leg.ts', 'native-host/src/media-gateway/sdes.ts'],
  'host-ldap.cjs': ['native-host/src/directory/ldap-directory.ts'],
  'host-x11.cjs': ['native-host/src/hotkeys/x11-backend.ts'],
};

/** Sends each HOST_PARTS module's `import()` to its file, at run time beside the bundle; refuses a static import. */
function hostParts() {
  const partOf = new Map(Object.entries(HOST_PARTS).flatMap(([file, modules]) => modules.map((m) => [join(root, m), file])));
  return {
    name: 'voispeed-host-parts',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        const file = partOf.get(join(args.resolveDir, `${args.path}.ts`));
        if (!file) return undefined;
        if (args.kind !== 'dynamic-import') return { errors: [{ text: `${args.path} is in ${file}, its own file: import it with import() (scripts/build.mjs HOST_PARTS)` }] };
        return { path: file, namespace: 'voispeed-host-part' };
      });
      // require() of the file beside the running bundle (__dirname is the bundle's folder).
      b.onLoad({ filter: /.*/, namespace: 'voispeed-host-part' }, (args) => ({
        contents: `module.exports = require(require('node:path').join(__dirname, ${JSON.stringify(args.path)}));`,
        loader: 'js',
      }));
    },
  };
}

/**
 * zod's namespace export carries its error messages in 40 languages (`z.locales`, 290 KB: a sixth
 * of the host's bundle, compiled at every start). The host never switches zod's language: its
 * messages stay English (zod configures English itself, from locales/en.js, which stays).
 */
function zodWithoutLocales() {
  return {
    name: 'voispeed-zod-without-locales',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        /[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir) ? { path: 'zod-locales', namespace: 'voispeed-zod-locales' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'voispeed-zod-locales' }, () => ({ contents: 'export {};', loader: 'js' }));
    },
  };
}

/** A script with one non-ASCII character is held by V8 as a two-byte string: twice its size in memory. */
async function assertAscii(file) {
  const text = await readFile(file, 'latin1');
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) throw new Error(`${file} is not ASCII at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))} (write the character as an escape in the source)`);
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
