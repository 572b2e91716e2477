import { crx } from '@crxjs/vite-plugin';
import { build as esbuild } from 'esbuild';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { buildManifest, CONTENT_SCRIPT_SOURCES, MANAGED_SCHEMA_FILE, MANAGED_SCHEMA_SOURCE, type BuildTarget } from './manifest.config.ts';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const target = (process.env.VOISPEED_TARGET ?? 'chrome') as BuildTarget;
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };

/**
 * crxjs does not copy `_locales` (the manifest's __MSG_*__ strings need them) nor the managed
 * storage schema the Chromium manifest names (generated from shared/settings/managed.ts).
 */
function copyLocales(outDir: string, t: BuildTarget): Plugin {
  return {
    name: 'voispeed-copy-locales',
    apply: 'build',
    async writeBundle() {
      // The catalogues only: not their unit test beside them.
      await cp(join(root, 'extension/_locales'), join(outDir, '_locales'), { recursive: true, filter: (src) => !src.endsWith('.ts') });
      if (t === 'chrome') await cp(join(root, MANAGED_SCHEMA_SOURCE), join(outDir, MANAGED_SCHEMA_FILE));
    },
  };
}

/**
 * The content scripts, each one self-contained classic script (esbuild, IIFE) listed in the
 * manifest as it is. crxjs would build them as ES modules behind a loader that imports them by
 * URL, which needs them web-accessible: a file any page can fetch at a fixed URL tells it the
 * extension is installed, and which version (issue 13). So crxjs never sees them; this plugin
 * builds them and puts `content_scripts` back into the manifest crxjs wrote, with no
 * `web_accessible_resources` at all. Source maps only in test builds (never shipped; they are not
 * web-accessible either).
 */
function contentScripts(outDir: string, scripts: unknown, define: Record<string, string>, sourcemap: boolean): Plugin {
  return {
    name: 'voispeed-content-scripts',
    apply: 'build',
    async writeBundle() {
      await esbuild({
        absWorkingDir: root,
        entryPoints: Object.entries(CONTENT_SCRIPT_SOURCES).map(([out, src]) => ({ in: join(root, src), out: out.replace(/\.js$/, '') })),
        outdir: outDir,
        bundle: true,
        format: 'iife',
        target: 'es2022',
        define,
        sourcemap: sourcemap ? 'linked' : false,
        logLevel: 'warning',
        legalComments: 'none',
        // Parsed in every frame of every page: release builds are minified.
        minify: !sourcemap,
      });
      await mkdir(join(outDir, 'content'), { recursive: true });
      await cp(join(root, 'extension/content/highlight.css'), join(outDir, 'content/highlight.css'));
      const file = join(outDir, 'manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      manifest.content_scripts = scripts;
      delete manifest.web_accessible_resources;
      await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
    },
  };
}

/**
 * Pages that no manifest field names, so crxjs does not build them by itself: the offscreen
 * document (Chrome only: Firefox runs the media engine in its background page), the setup page and
 * the voispeed:U confirmation page.
 */
function extraPages(t: BuildTarget): Record<string, string> {
  const pages: Record<string, string> = {
    setup: join(root, 'extension/setup/index.html'),
    // voispeed:U confirmation, opened by background/account-proposal.ts.
    confirm: join(root, 'extension/confirm/index.html'),
  };
  if (t === 'chrome') pages.offscreen = join(root, 'extension/offscreen/index.html');
  return pages;
}

export default defineConfig(({ mode }) => {
  // Test builds (mode 'test') go beside the real ones: dist/chrome-test, dist/firefox-test.
  const outDir = join(root, 'dist', mode === 'test' ? `${target}-test` : target);
  const test = mode === 'test';
  const define = { __APP_VERSION__: JSON.stringify(pkg.version), __TEST_BUILD__: JSON.stringify(test) };
  const { content_scripts: scripts, ...manifest } = buildManifest(target, pkg.version);
  return {
    root,
    publicDir: false,
    define,
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // Release builds ship no source maps (issue 13); test builds keep them for stack traces.
      sourcemap: test,
      minify: false,
      rolldownOptions: { input: extraPages(target) },
    },
    plugins: [crx({ manifest: manifest as never, browser: target }), copyLocales(outDir, target), contentScripts(outDir, scripts, define, test)],
  };
});
