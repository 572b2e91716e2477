import { crx } from '@crxjs/vite-plugin';
import { cp, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { buildManifest, type BuildTarget } from './manifest.config.ts';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const target = (process.env.VOISPEED_TARGET ?? 'chrome') as BuildTarget;
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };

/** crxjs does not copy `_locales`; the manifest's __MSG_*__ strings need them. */
function copyLocales(outDir: string): Plugin {
  return {
    name: 'voispeed-copy-locales',
    apply: 'build',
    async writeBundle() {
      // The catalogues only: not their unit test beside them.
      await cp(join(root, 'extension/_locales'), join(outDir, '_locales'), { recursive: true, filter: (src) => !src.endsWith('.ts') });
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
  return {
    root,
    publicDir: false,
    define: {
      __APP_VERSION__: JSON.stringify(pkg.version),
      __TEST_BUILD__: JSON.stringify(mode === 'test'),
    },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      minify: false,
      rolldownOptions: { input: extraPages(target) },
      // Vite preloads a dynamic import's chunks with <link rel=modulepreload> in `document`: for the
      // content script (its lazily loaded phone-number metadata) that document is the web page's,
      // which must never be changed. Extension pages keep their preloads.
      modulePreload: { resolveDependencies: (_file, deps, { hostId }) => (hostId.includes('content') ? [] : deps) },
    },
    plugins: [crx({ manifest: buildManifest(target, pkg.version) as never, browser: target }), copyLocales(outDir)],
  };
});
