import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRig } from '../support/call-rig';
import { repoRoot } from '../support/host-process';
import type { ContentWorld } from '../fixtures/numbers-harness';
import { ExtensionPage, expectDialed, frameOffset, hangUpAll, KamailioLog, sleep, textPoint, startPageRig } from '../fixtures/numbers-e2e-helpers';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';

const fixtures = join(repoRoot, 'tests/fixtures/numbers');
const corpus = join(repoRoot, '..', 'shared', 'corpus', 'real-pages');

/**
 * Issue 4 end to end in Chromium: the built extension, the real host and the sandbox PBX. A click on
 * a number or a call link must end in an INVITE for that number at Kamailio; traps, form fields and
 * synthetic clicks must end in nothing.
 */
describe('numbers on pages, in Chromium', { timeout: 90_000 }, () => {
  let rig: CallRig;
  let server: FixtureServer;
  let page: Page;
  let world: ContentWorld;
  let ext: ExtensionPage;
  let klog: KamailioLog;

  beforeAll(async () => {
    const app = await build({
      entryPoints: [join(fixtures, 'preact-app.tsx')],
      bundle: true,
      write: false,
      format: 'iife',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      logLevel: 'warning',
    });
    server = await serveFixtures({ '/': fixtures, '/corpus/': corpus }, { '/preact-app.js': { type: 'text/javascript', body: app.outputFiles[0]!.text } });
    ({ rig, klog, ext, page, world } = await startPageRig('numbers'));
  });
  afterAll(async () => {
    await rig?.close();
    await server?.close();
  });

  async function open(path: string): Promise<void> {
    await page.goto(server.url(path), { waitUntil: 'load' });
    await page.bringToFront();
    await world.idle();
  }

  /** Clicks at a point with a real (trusted) mouse click, expects a call for `number`, hangs up. */
  async function clickCalls(point: { x: number; y: number }, number: string): Promise<string> {
    await klog.mark();
    const before = (await ext.recent()).length;
    await page.mouse.click(point.x, point.y);
    const deadline = Date.now() + 3000;
    while ((await ext.recent()).length === before && Date.now() < deadline) await sleep(100);
    if ((await ext.recent()).length === before) {
      // The hover box appearing between mousedown and mouseup once ate a click: say what was there.
      const hit = await world.eval(`__voispeedContent.hit(${point.x}, ${point.y})`).catch((e: Error) => e.message);
      const under = await page.evaluate((x, y) => document.elementFromPoint(x, y)?.outerHTML.slice(0, 80), point.x, point.y);
      throw new Error(`no page call after a click at ${JSON.stringify(point)} for ${number}: hit=${JSON.stringify(hit)} under=${under}`);
    }
    const how = await expectDialed(klog, ext, number);
    await hangUpAll(rig.home);
    await sleep(800); // the per-tab rate limit (0.7 s)
    return how;
  }

  const frameOf = (name: string): Frame => page.frames().find((f) => f.url().endsWith(name))!;

  it('finds the numbers in text, a table, a shadow root, an iframe and content added later; nothing else', async () => {
    await open('/page.html');
    await page.waitForSelector('#n-late');
    await world.idle();
    const top = (await world.list()).map((n) => n.e164).sort();
    expect(top).toEqual(['+390115551234', '+390261616161', '+390471123456', '+390612345678', '+393331234567', '+442079460958']);
    expect((await world.list(frameOf('frame.html'))).map((n) => n.e164)).toEqual(['+390552345678']);
    // Loading the phone-number metadata added nothing to the page (no <link rel=modulepreload>).
    expect(await page.evaluate(() => document.querySelectorAll('link[href^="chrome-extension:"], script[src^="chrome-extension:"]').length)).toBe(0);
    // The popup's source: the top frame answers numbers.list with normalised and display forms.
    const listed = await ext.numbersList('/page.html');
    expect(listed.numbers.find((n) => n.e164 === '+390261616161')).toMatchObject({ display: '02 6161 6161', text: '02 6161 6161' });
  });

  it('clicking each number calls it: an INVITE for the normalised number reaches the PBX', async () => {
    await open('/page.html');
    await page.waitForSelector('#n-late');
    await world.idle();
    const targets: { point: () => Promise<{ x: number; y: number }>; number: string }[] = [];
    for (const id of ['n-text', 'n-mobile', 'n-table-1', 'n-table-2', 'n-late']) {
      const number = await page.$eval(`#${id}`, (e) => e.getAttribute('data-expect')!);
      targets.push({ point: () => textPoint(page, `document.getElementById('${id}')`), number });
    }
    targets.push({ point: () => textPoint(page, `document.getElementById('shadow-host').shadowRoot.getElementById('n-shadow')`), number: '0612345678' });
    targets.push({
      point: async () => {
        await page.$eval('#frame', (e) => e.scrollIntoView({ block: 'center' }));
        const inner = await textPoint(frameOf('frame.html'), `document.getElementById('n-frame')`);
        const off = await frameOffset(page, '#frame');
        return { x: off.x + inner.x, y: off.y + inner.y };
      },
      number: '0552345678',
    });
    const proofs: string[] = [];
    for (const t of targets) {
      const point = await t.point();
      await sleep(100);
      proofs.push(`${t.number}: ${await clickCalls(point, t.number)}`);
    }
    console.log(`numbers clicked → ${proofs.join(', ')}`);
  });

  it('clicking traps, form fields, code, opted-out text and a plain link calls nothing', async () => {
    await open('/page.html');
    const before = (await ext.recent()).length;
    await klog.mark();
    const ids = ['t-vat', 't-iban', 't-date', 't-price', 't-isbn', 't-ip', 't-order', 't-card', 't-version', 't-optout', 'f-editable', 'f-code'];
    for (const id of ids) {
      const p = await textPoint(page, `document.getElementById('${id}')`);
      await sleep(50);
      await page.mouse.click(p.x, p.y);
      const c = await page.$eval(`#${id}`, (e) => {
        const r = e.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      });
      await page.mouse.click(c.x, c.y);
    }
    for (const id of ['f-input', 'f-textarea']) await page.click(`#${id}`);
    await sleep(1500);
    expect((await ext.recent()).length).toBe(before);
    expect(await klog.since()).not.toMatch(/REQ INVITE/);
  });

  it('inputs, textarea, contenteditable and select are byte-identical after the script ran', async () => {
    await open('/page.html');
    await sleep(1000);
    const fields = await page.evaluate(() => ({
      input: (document.getElementById('f-input') as HTMLInputElement).value,
      textarea: (document.getElementById('f-textarea') as HTMLTextAreaElement).value,
      editable: document.getElementById('f-editable')!.innerHTML,
      select: document.getElementById('f-select')!.innerHTML,
      code: document.getElementById('f-code')!.innerHTML,
      body: document.body.innerHTML.length,
    }));
    expect(fields.input).toBe('02 6161 6161');
    expect(fields.textarea).toBe('Tel 333 1234567\nfax 02 6161 6162');
    expect(fields.editable).toBe('Chiamami allo 06 1234 5678');
    expect(fields.select).toBe('<option>02 6161 6161</option>');
    expect(fields.code).toBe('<code>tel = "02 6161 6161"</code>');
  });

  it('tel:, sip:, callto: and voispeed: links call through the host; voispeed:U only asks for confirmation', async () => {
    await open('/page.html');
    const links: [string, string][] = [
      ['l-tel', '0261616164'],
      ['l-sip', '2001'],
      ['l-callto', '0261616165'],
      ['l-voispeed', '0261616166'],
      ['l-voispeed-c', '0261616167'],
    ];
    for (const [id, number] of links) {
      await klog.mark();
      await page.click(`#${id}`);
      const how = await expectDialed(klog, ext, number);
      if (id === 'l-voispeed' && how === 'invite') expect(await klog.since()).toMatch(/HDR X-VOIspeed-ExtID=CRM-42 in INVITE sip:0261616166@/);
      // The page did not navigate to the link (the OS handler was never asked).
      expect(page.url()).toMatch(/\/page\.html$/);
      await hangUpAll(rig.home);
      await sleep(800);
    }
    await klog.mark();
    await page.click('#l-configure');
    await sleep(500);
    const last = (await ext.recent()).at(-1)!;
    // The confirmation page (tests/e2e/commands-chromium.e2e.ts) opened; nothing else happened.
    expect(last.ok).toBe(true);
    expect(last.text).toMatch(/^Confirm the new account user@example\.com/);
    expect(await klog.since()).not.toMatch(/REQ (INVITE|REGISTER sip:example\.com)/);
    for (const p of await rig.browser.pages()) if (p.url().includes('/confirm/')) await p.close();
    await page.bringToFront();
  });

  it('per-site off is honoured at once and after a reload; the page opt-out meta tag is honoured', async () => {
    await open('/page.html');
    expect(await world.count()).toBeGreaterThan(0);
    await ext.setDetection({ defaultCountry: 'IT', disabledSites: ['127.0.0.1'] });
    await sleep(300);
    expect(await world.count()).toBe(0);
    await open('/page.html');
    expect(await world.eval('__voispeedContent.off()')).toBe('site');
    expect(await world.count()).toBe(0);
    await ext.setDetection({ defaultCountry: 'IT', disabledSites: [] });
    await sleep(300);
    await world.idle();
    expect(await world.count()).toBeGreaterThan(0);
    await open('/opt-out.html');
    expect(await world.eval('__voispeedContent.off()')).toBe('page');
    expect(await world.count()).toBe(0);
  });

  it('a preact app re-rendering every 100 ms keeps working, keeps its numbers and stays clickable', async () => {
    await open('/preact-app.html');
    const tick = () => page.$eval('#tick', (e) => Number(e.textContent!.replace('tick ', '')));
    const t0 = await tick();
    await sleep(1500);
    await world.idle();
    expect(await tick()).toBeGreaterThan(t0 + 8);
    expect((await world.list()).map((n) => n.e164).sort()).toEqual(['+390261616161', '+390612345678', '+393331234567']);
    // The app's own clicks still work (spaced: a double click is a different gesture).
    await page.click('#app-button');
    await sleep(400);
    await page.click('#app-button');
    await page.waitForFunction(() => document.getElementById('app-button')!.textContent === 'clicked 2', { timeout: 3000 }).catch(() => undefined);
    expect(await page.$eval('#app-button', (e) => e.textContent)).toBe('clicked 2');
    await clickCalls(await textPoint(page, `document.getElementById('p-3')`), '3331234567');
    expect(await tick()).toBeGreaterThan(t0 + 10);
  });

  it('no element moves on real pages (boxes before and after detection and hover)', async () => {
    // The two corpus pages where the benchmark finds numbers, and the first four others.
    const withNumbers = ['pixnet.html', 'youth.html'];
    const pages = [...withNumbers, ...readdirSync(corpus).filter((f) => f.endsWith('.html') && !withNumbers.includes(f)).slice(0, 4)];
    const boxes = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => e.localName !== 'voispeed-ui')
          .map((e) => {
            const r = e.getBoundingClientRect();
            return `${Math.round(r.x * 10)},${Math.round(r.y * 10)},${Math.round(r.width * 10)},${Math.round(r.height * 10)}`;
          }),
      );
    let found = 0;
    for (const name of pages) {
      await ext.setDetection({ defaultCountry: 'IT', disabledSites: ['127.0.0.1'] });
      await page.goto(server.url(`/corpus/${name}`), { waitUntil: 'load' });
      await page.bringToFront();
      await sleep(300);
      const before = await boxes();
      await ext.setDetection({ defaultCountry: 'IT', disabledSites: [] });
      await sleep(300);
      await world.idle();
      found += await world.count();
      await page.mouse.move(200, 200);
      await page.mouse.move(400, 300);
      await sleep(100);
      const after = await boxes();
      expect(after.length, name).toBe(before.length);
      const moved = after.filter((b, i) => b !== before[i]).length;
      expect(moved, `${name}: ${moved} boxes moved`).toBe(0);
    }
    console.log(`no box moved on ${pages.length} corpus pages (${found} numbers found on them)`);
    expect(found).toBeGreaterThan(0);
  });

  // The page's own click() on a tel:/voispeed: link makes Chromium try the OS handler, and its
  // "open xdg-open?" prompt then keeps trusted input from reaching pages: these two run last.
  it('synthetic clicks and dispatched events call nothing', async () => {
    await open('/page.html');
    const before = (await ext.recent()).length;
    await klog.mark();
    await page.evaluate(() => {
      document.getElementById('l-tel')!.click();
      document.getElementById('l-voispeed')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
      const n = document.getElementById('n-text')!;
      const r = n.getBoundingClientRect();
      n.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, clientX: r.right - 5, clientY: r.top + r.height / 2 }));
    });
    await sleep(1500);
    expect((await ext.recent()).length).toBe(before);
    expect(await klog.since()).not.toMatch(/REQ INVITE/);
  });

  it('location = "tel:…" set by a page calls nothing', async () => {
    await open('/page.html');
    const before = (await ext.recent()).length;
    await klog.mark();
    await page.evaluate(() => (location.href = 'tel:+390261616169')).catch(() => undefined);
    await sleep(1500);
    expect((await ext.recent()).length).toBe(before);
    expect(await klog.since()).not.toMatch(/REQ INVITE/);
  });
});
