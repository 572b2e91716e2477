import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '../../shared/extension-ids';
import { launchChromium } from '../support/chromium';
import { repoRoot } from '../support/host-process';
import { tempDir } from '../support/temp';
import { ContentWorld } from '../fixtures/numbers-harness';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';

const releaseChrome = join(repoRoot, 'dist/chrome');
const releaseFirefox = join(repoRoot, 'dist/firefox');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p).map((f) => `${name}/${f}`));
    else out.push(name);
  }
  return out;
}

/**
 * Issue 13, part 2: a web page must not be able to tell that the extension is installed by
 * fetching one of its files at a fixed URL (web_accessible_resources), and release builds ship no
 * source maps. Runs the release build (dist/chrome) in Chromium: the content script really runs on
 * the page (it finds the page's number), and every file of the extension is tried from the page.
 */
describe('what a page can fetch of the extension, in Chromium', { timeout: 90_000 }, () => {
  let browser: Browser;
  let server: FixtureServer;
  let page: Page;
  let profile: { path: string; remove(): void };

  beforeAll(async () => {
    server = await serveFixtures({ '/': join(repoRoot, 'tests/fixtures/numbers') });
    profile = tempDir('fp');
    browser = await launchChromium({ userDataDir: profile.path, extensionDir: releaseChrome });
    // No request interception here: it would stand between the page and the extension's files.
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
    profile?.remove();
  });

  it('release builds list no web-accessible file and ship no source map', () => {
    for (const dir of [releaseChrome, releaseFirefox]) {
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { web_accessible_resources?: unknown[] };
      expect(manifest.web_accessible_resources ?? [], dir).toEqual([]);
      expect(filesUnder(dir).filter((f) => f.endsWith('.map')), dir).toEqual([]);
    }
  });

  it('a page can fetch or load no file of the extension, while the content script runs on it', async () => {
    // The first-run setup tab would stay in front, and pages in the background are not scanned.
    await browser.waitForTarget((t) => t.url().includes('/setup/'), { timeout: 10_000 }).catch(() => undefined);
    for (const p of await browser.pages()) if (p.url().includes('/setup/')) await p.close();
    await page.goto(server.url('/page.html'), { waitUntil: 'load' });
    await page.bringToFront();
    const world = await ContentWorld.attach(page);
    await world.idle();
    // The content script runs here and has its phone-number metadata (the background sent it).
    expect(await world.count()).toBeGreaterThan(0);

    // Every file of the build, plus the names crxjs used to give the content script's chunks.
    const files = [...filesUnder(releaseChrome), 'manifest.json', 'service-worker-loader.js'];
    const base = `chrome-extension://${CHROMIUM_EXTENSION_ID}/`;
    const reachable = await page.evaluate(
      async (base: string, files: string[]) => {
        const load = (tag: 'img' | 'script' | 'link', url: string) =>
          new Promise<boolean>((resolve) => {
            const el = document.createElement(tag);
            el.onload = () => resolve(true);
            el.onerror = () => resolve(false);
            if (tag === 'link') Object.assign(el, { rel: 'stylesheet', href: url });
            else (el as HTMLImageElement | HTMLScriptElement).src = url;
            document.head.append(el);
            setTimeout(() => resolve(false), 3000);
          });
        const tries = files.map(async (f) => {
          const url = base + f;
          const fetched = await fetch(url).then(
            () => true,
            () => false,
          );
          const tag = f.endsWith('.css') ? 'link' : f.endsWith('.js') ? 'script' : 'img';
          return fetched || (await load(tag, url)) ? f : undefined;
        });
        return (await Promise.all(tries)).filter((f) => f !== undefined);
      },
      base,
      files,
    );
    expect(reachable).toEqual([]);

    // Nothing the content script loaded shows in the page's resource timing either.
    const seen = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => !n.startsWith('http://127.0.0.1')));
    expect(seen).toEqual([]);
  });
});
