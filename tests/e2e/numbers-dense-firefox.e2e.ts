import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFirefox } from '../support/firefox';
import { repoRoot } from '../support/host-process';
import { tempDir } from '../support/temp';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';
import { isLit, LIST, litTexts, written } from '../fixtures/dense-pages';

/**
 * Issue 19, dense pages, in Firefox ESR (release build): the highlight follows the viewport — a
 * number scrolled into view is lit, and leaves the highlight once scrolled far away — and never
 * holds more than 1,000 numbers. (Clicks in Firefox: numbers-firefox.e2e.ts; hit-testing reads
 * the registry, not the highlight.)
 */
describe('dense pages in Firefox ESR: the highlight follows the viewport', { timeout: 90_000 }, () => {
  let browser: Browser;
  let server: FixtureServer;
  let home: { path: string; remove(): void };
  let page: Page;

  beforeAll(async () => {
    server = await serveFixtures({}, { '/list.html': { type: 'text/html; charset=utf-8', body: LIST } });
    home = tempDir('ffdense');
    ({ browser } = await launchFirefox({ home: home.path, extensionDir: join(repoRoot, 'dist/firefox') }));
    // The first-run setup tab would come to the front, and pages in the background are not scanned.
    for (let i = 0; i < 100 && !(await browser.pages()).some((p) => p.url().includes('/setup/')); i++) await new Promise((r) => setTimeout(r, 100));
    for (const p of await browser.pages()) if (p.url().includes('/setup/')) await p.close();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
    home?.remove();
  });

  it('a list of 3,000: a number scrolled into view is lit; scrolled back to the top, it leaves the highlight', async () => {
    await page.goto(server.url('/list.html'), { waitUntil: 'load' });
    await page.bringToFront();
    await page.waitForFunction(isLit, { timeout: 30_000, polling: 100 }, written(0));
    const target = 2500;
    await page.$eval(`#n-${target}`, (el) => el.scrollIntoView({ block: 'center' }));
    await page.waitForFunction(isLit, { timeout: 30_000, polling: 100 }, written(target));
    expect((await page.evaluate(litTexts)).length).toBeLessThanOrEqual(1000);
    await page.evaluate(() => window.scrollTo(0, 0));
    // Back at the top: the first number lit, the one far below no longer (all of them would stay lit without the window).
    await page.waitForFunction((a: string, b: string) => {
      const h = CSS.highlights.get('voispeed-number') as Set<AbstractRange> | undefined;
      const texts = new Set(h ? [...h].map((r) => r.startContainer.textContent) : []);
      return texts.has(a) && !texts.has(b);
    }, { timeout: 30_000, polling: 100 }, written(0), written(target));
    const lit = await page.evaluate(litTexts);
    expect(lit.length).toBeGreaterThan(0);
    expect(lit.length).toBeLessThanOrEqual(1000);
  });
});
