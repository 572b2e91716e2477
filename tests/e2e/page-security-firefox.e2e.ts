import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFirefox } from '../support/firefox';
import { repoRoot } from '../support/host-process';
import { tempDir } from '../support/temp';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';

const releaseFirefox = join(repoRoot, 'dist/firefox');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)).map((f) => `${name}/${f}`) : [name]));
}

/**
 * Issue 13 in Firefox ESR, release build: the content scripts (built as plain scripts, the
 * phone-number metadata sent by the background page) run and mark the page's numbers, and a page
 * can fetch none of the extension's files, even knowing the per-install address (pinned here).
 */
describe('page security in Firefox ESR', { timeout: 90_000 }, () => {
  let browser: Browser;
  let base: string;
  let server: FixtureServer;
  let home: { path: string; remove(): void };

  beforeAll(async () => {
    server = await serveFixtures({ '/': join(repoRoot, 'tests/fixtures/numbers') });
    home = tempDir('ffsec');
    ({ browser, base } = await launchFirefox({ home: home.path, extensionDir: releaseFirefox }));
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
    home?.remove();
  });

  it('the content script marks the numbers of a page, and the page can fetch no file of the extension', async () => {
    // The first-run setup tab would come to the front, and pages in the background are not scanned.
    for (let i = 0; i < 100 && !(await browser.pages()).some((p) => p.url().includes('/setup/')); i++) await new Promise((r) => setTimeout(r, 100));
    for (const p of await browser.pages()) if (p.url().includes('/setup/')) await p.close();
    const page = await browser.newPage();
    await page.goto(server.url('/clickjack.html'), { waitUntil: 'load' });
    await page.bringToFront();
    // The highlight is what a page can see of the extension (README, security): here, proof it runs.
    await page.waitForFunction(() => (CSS.highlights.get('voispeed-number')?.size ?? 0) >= 10, { timeout: 30_000, polling: 200 });
    const files = filesUnder(releaseFirefox);
    const reachable = await page.evaluate(
      async (base: string, files: string[]) => {
        const tries = files.map((f) =>
          fetch(base + f).then(
            () => f,
            () => undefined,
          ),
        );
        return (await Promise.all(tries)).filter((f) => f !== undefined);
      },
      base,
      files,
    );
    expect(reachable).toEqual([]);
  });
});
