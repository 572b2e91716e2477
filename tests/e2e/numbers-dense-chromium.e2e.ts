import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRig } from '../support/call-rig';
import type { ContentWorld } from '../fixtures/numbers-harness';
import { ExtensionPage, expectDialed, hangUpAll, KamailioLog, sleep, startPageRig } from '../fixtures/numbers-e2e-helpers';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';
import { dialled, isLit, LIST, LIST_N, litTexts, TINY, TINY_COLS, TINY_ROWS, written } from '../fixtures/dense-pages';

/**
 * Issue 19, dense pages, end to end in Chromium: only the numbers near the viewport are
 * highlighted (at most 1,000 ranges), yet every number of the page is callable — one in view that
 * the bounded highlight left out included — and a number scrolled into view gets its highlight.
 */
describe('dense pages in Chromium: a bounded highlight, every number callable', { timeout: 120_000 }, () => {
  let rig: CallRig;
  let server: FixtureServer;
  let page: Page;
  let world: ContentWorld;
  let ext: ExtensionPage;
  let klog: KamailioLog;

  beforeAll(async () => {
    server = await serveFixtures({}, { '/list.html': { type: 'text/html; charset=utf-8', body: LIST }, '/tiny.html': { type: 'text/html; charset=utf-8', body: TINY } });
    ({ rig, klog, ext, page, world } = await startPageRig('dense'));
  });
  afterAll(async () => {
    await rig?.close();
    await server?.close();
  });

  /** Opens a page and waits until all its `n` numbers are registered (callable). */
  async function open(path: string, n: number): Promise<void> {
    await page.goto(server.url(path), { waitUntil: 'load' });
    await page.bringToFront();
    for (let i = 0; i < 600 && (await world.count()) < n; i++) await sleep(50);
    await world.idle();
    expect(await world.count()).toBe(n);
  }

  async function clickCalls(point: { x: number; y: number }, number: string): Promise<void> {
    await klog.mark();
    const before = (await ext.recent()).length;
    await page.mouse.click(point.x, point.y);
    for (let i = 0; i < 30 && (await ext.recent()).length === before; i++) await sleep(100);
    expect((await ext.recent()).length, `a page call after the click on ${number}`).toBeGreaterThan(before);
    await expectDialed(klog, ext, number);
    await hangUpAll(rig.home);
    await sleep(800); // the per-tab rate limit (0.7 s)
  }

  it('a list of 3,000: the numbers far below are not highlighted; scrolled into view, one is, promptly, and a click calls it', async () => {
    await page.setViewport({ width: 800, height: 600 });
    await open('/list.html', LIST_N);
    const target = 2500;
    const lit = await page.evaluate(litTexts);
    expect(lit.length).toBeGreaterThan(0);
    expect(lit.length).toBeLessThanOrEqual(1000);
    expect(lit).toContain(written(0));
    expect(lit).not.toContain(written(target));

    await page.$eval(`#n-${target}`, (el) => el.scrollIntoView({ block: 'center' }));
    // Lit within a few frames of the scroll (the IntersectionObserver's report, then one frame).
    await page.waitForFunction(isLit, { timeout: 10_000, polling: 'raf' }, written(target));
    const after = await page.evaluate(litTexts);
    expect(after.length).toBeLessThanOrEqual(1000);
    expect(after).not.toContain(written(0));

    const point = await page.$eval(`#n-${target}`, (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.right - 5, y: r.top + r.height / 2 };
    });
    await clickCalls(point, dialled(target));
  });

  it('small print with more numbers in view than the highlight holds: one left out of it is still callable', async () => {
    await page.setViewport({ width: 1200, height: 900 });
    await open('/tiny.html', TINY_ROWS * TINY_COLS);
    const lit = new Set(await page.evaluate(litTexts));
    expect(lit.size).toBeGreaterThan(0);
    expect(lit.size).toBeLessThanOrEqual(1000);
    // A number wholly in view that the highlight does not hold.
    const unlit = await page.evaluate((litList: string[]) => {
      const held = new Set(litList);
      const cells = [...document.querySelectorAll('td')].filter((td) => {
        const r = td.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && !held.has(td.textContent ?? '');
      });
      const td = cells[Math.floor(cells.length / 2)];
      if (!td) return undefined;
      const range = document.createRange();
      range.selectNodeContents(td);
      const r = range.getBoundingClientRect();
      return { text: td.textContent!, x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, [...lit]);
    expect(unlit, 'a number in view outside the highlight').toBeDefined();
    expect(await page.evaluate(litTexts)).not.toContain(unlit!.text);
    const i = Number(unlit!.text.replace(/\D/g, '').slice(-4));
    expect(written(i)).toBe(unlit!.text);
    await clickCalls({ x: unlit!.x, y: unlit!.y }, dialled(i));
  });
});
