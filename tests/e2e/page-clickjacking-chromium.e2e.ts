import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecentPageCall } from '../../extension/lib/page-messages';
import type { CallRig } from '../support/call-rig';
import { repoRoot } from '../support/host-process';
import type { ContentWorld } from '../fixtures/numbers-harness';
import { ExtensionPage, expectDialed, hangUpAll, KamailioLog, sleep, startPageRig } from '../fixtures/numbers-e2e-helpers';
import { serveFixtures, type FixtureServer } from '../fixtures/serve-fixtures';

/**
 * Issue 13, part 1, end to end in Chromium (built extension, real host, sandbox PBX): a real click
 * (puppeteer's page.mouse: trusted input through the browser) must call only a number or link the
 * user could see, pressed and released on it. Each trick of tests/fixtures/numbers/clickjack.html
 * is clicked, then a visible control number: the control must be the only call that reaches the
 * host. The control's call is the event waited for: page calls are handled in order, so a call
 * from the trick would be there before it.
 */
describe('a click calls only what the user could see, in Chromium', { timeout: 120_000 }, () => {
  let rig: CallRig;
  let server: FixtureServer;
  /** The same fixtures on another port: another origin, for cross-origin frames. */
  let other: FixtureServer;
  let page: Page;
  let world: ContentWorld;
  let ext: ExtensionPage;
  let klog: KamailioLog;

  beforeAll(async () => {
    server = await serveFixtures({ '/': join(repoRoot, 'tests/fixtures/numbers') });
    other = await serveFixtures({ '/': join(repoRoot, 'tests/fixtures/numbers') });
    ({ rig, klog, ext, page, world } = await startPageRig('clickjack'));
  });
  afterAll(async () => {
    await rig?.close();
    await server?.close();
    await other?.close();
  });

  async function open(): Promise<void> {
    await page.goto(server.url('/clickjack.html'), { waitUntil: 'load' });
    await page.bringToFront();
    await world.idle();
    // Every number of the page is found (hidden ones too: detection does not judge visibility).
    const found = (await world.list()).map((n) => n.e164);
    for (const n of ['+390261616171', '+390261616172', '+390261616173', '+390261616174', '+390261616176', '+390261616177', '+390261616180']) {
      expect(found, n).toContain(n);
    }
  }

  /** The centre of an element's box, or of its text when `text` (scrolled into view first). */
  async function pointOf(selector: string, text = false): Promise<{ x: number; y: number }> {
    return page.$eval(
      selector,
      (el, text) => {
        el.scrollIntoView({ block: 'center' });
        let r = el.getBoundingClientRect();
        if (text) {
          const range = document.createRange();
          range.selectNodeContents(el);
          // The first line box of the text (a number may wrap).
          r = range.getClientRects()[0] ?? r;
        }
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      },
      text,
    );
  }

  /** Page calls the background handled since `before` entries. */
  async function callsSince(before: number): Promise<RecentPageCall[]> {
    return (await ext.recent()).slice(before);
  }

  /**
   * Clicks the trick at `point`, then a visible control number; waits for the control's call and
   * returns every page call the two clicks made (the control's alone when the trick did nothing).
   */
  // The control numbers, one per trick click: the same number twice within 3 s is refused as a double click.
  let nextControl = 0;
  const CONTROLS = ['0261616184', '0261616185', '0261616186', '0261616187', '0261616188', '0261616189', '0261616190'];

  async function trickThenControl(point: { x: number; y: number }): Promise<string[]> {
    const number = CONTROLS[nextControl++ % CONTROLS.length]!;
    await page.mouse.move(5, 5);
    const before = (await ext.recent()).length;
    await klog.mark();
    await page.mouse.click(point.x, point.y);
    const control = await pointOf(`[data-expect="${number}"]`, true);
    await page.mouse.click(control.x, control.y);
    // The background's record of the control click (whatever its outcome) is the event waited for.
    const deadline = Date.now() + 10_000;
    let calls: RecentPageCall[] = [];
    while (!(calls = await callsSince(before)).some((c) => c.request.startsWith(`dial ${number}`)) && Date.now() < deadline) await sleep(100);
    const requests = calls.map((c) => `${c.request} → ${c.ok ? 'ok' : c.text}`);
    // When the control alone was asked for, it really reached the PBX.
    if (calls.length === 1 && calls[0]!.request.startsWith(`dial ${number}`)) await expectDialed(klog, ext, number);
    await hangUpAll(rig.home);
    await sleep(800); // the per-tab rate limit (0.7 s)
    return requests;
  }

  /** The trick asked for nothing: the one call is the control's (a number ending 84–90). */
  const onlyControl = (calls: string[]) => {
    expect(calls.length, calls.join(' | ')).toBe(1);
    expect(calls[0]).toMatch(/^dial 02616161(8[4-9]|90)\b.* → ok$/);
  };

  it('the visible controls call: a number, a tel: link, a number under a clear layer, faded small print', async () => {
    await open();
    for (const [selector, number, text] of [
      ['#n-control', '0261616180', true],
      ['#l-control', '0261616181', true],
      ['#n-glass', '0261616182', true],
      ['#n-faded', '0261616183', true],
    ] as const) {
      await page.mouse.move(5, 5);
      await klog.mark();
      const p = await pointOf(selector, text);
      await page.mouse.click(p.x, p.y);
      await expectDialed(klog, ext, number).catch(async (err: Error) => {
        throw new Error(`${selector}: ${err.message}; judged unseen: ${await world.eval('__voispeedContent.unseen()')}`);
      });
      // A call link never sends the page to the OS handler.
      expect(page.url()).toMatch(/\/clickjack\.html$/);
      await hangUpAll(rig.home);
      await sleep(800);
    }
  });

  it('a number under an opaque overlay that lets clicks through (pointer-events: none) is not called', async () => {
    await open();
    const p = await pointOf('#n-video', true);
    onlyControl(await trickThenControl(p));
    const q = await pointOf('#n-video', true);
    // The checks left the page as it was: its overlay still lets clicks through, no sheet was left behind.
    await page.mouse.move(q.x, q.y);
    expect(await page.evaluate((x, y) => ({ under: document.elementFromPoint(x, y)?.id, sheets: document.adoptedStyleSheets.length }), q.x, q.y)).toEqual({ under: 'n-video', sheets: 0 });
  });

  it('numbers laid over a button with opacity 0, a transparent colour or a 1 px font are not called', async () => {
    await open();
    for (const id of ['#n-opacity', '#n-transparent', '#n-tiny']) {
      const calls = await trickThenControl(await pointOf(id, true));
      expect(calls, id).toHaveLength(1);
      onlyControl(calls);
    }
    // No phone badge appears over the button either (the hover box is for numbers one can read).
    const p = await pointOf('#n-opacity', true);
    await page.mouse.move(p.x, p.y);
    await world.eval('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    expect(await world.eval('__voispeedContent.hovered()')).toBe(null);
  });

  it('an invisible tel: link over a button calls nothing and the page stays', async () => {
    await open();
    onlyControl(await trickThenControl(await pointOf('#s-link')));
    expect(page.url()).toMatch(/\/clickjack\.html$/);
  });

  it('a number in a same-origin frame faded to opacity 0 over a button is not called', async () => {
    await open();
    const frame = (await (await page.$('#f-same'))!.contentFrame())!;
    await world.idle(frame);
    expect((await world.list(frame)).map((n) => n.e164)).toEqual(['+390261616192']);
    const inner = await frame.$eval('#n', (el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      const b = r.getClientRects()[0]!;
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    });
    const box = await page.$eval('#f-same', (el) => {
      el.scrollIntoView({ block: 'center' });
      const r = el.getBoundingClientRect();
      return { x: r.left + el.clientLeft, y: r.top + el.clientTop };
    });
    onlyControl(await trickThenControl({ x: box.x + inner.x, y: box.y + inner.y }));
  });

  it('bait and switch: a number revealed when the button under the pointer is pressed is not called', async () => {
    await open();
    // Pressed where the number lies under the button: the release lands on the number.
    onlyControl(await trickThenControl(await pointOf('#n-bait', true)));
    expect(await page.$eval('#bait-button', (b) => (b as HTMLElement).style.display)).toBe('none');
    // The page's own pointerdown listener, registered before any content script, changes nothing.
    onlyControl(await trickThenControl(await pointOf('#n-bait-early', true)));
    expect(await page.$eval('#bait-early-button', (b) => (b as HTMLElement).style.visibility)).toBe('hidden');
  });

  it('Alt+Shift+N skips the hidden numbers: the first one focused is the first one can read, and Enter calls it', async () => {
    await open();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click('h1');
    const focusedName = async () => {
      const find = (n: AxNode | null | undefined): AxNode | undefined =>
        !n ? undefined : n.focused && n.role !== 'RootWebArea' ? n : (n.children ?? []).map(find).find((x) => x);
      return find((await page.accessibility.snapshot({ interestingOnly: true })) as AxNode | null)?.name;
    };
    await page.keyboard.down('Alt');
    await page.keyboard.down('Shift');
    await page.keyboard.press('KeyN');
    await page.keyboard.up('Shift');
    await page.keyboard.up('Alt');
    await page.waitForFunction(() => document.activeElement?.localName === 'voispeed-ui', { timeout: 5000 });
    // In document order the video, opacity, transparent, tiny and the two bait numbers come first.
    expect(await focusedName()).toMatch(/^Call 02 6161 6180 with VOIspeed/);
    await klog.mark();
    await page.keyboard.press('Enter');
    await expectDialed(klog, ext, '0261616180');
    await hangUpAll(rig.home);
    await page.keyboard.press('Escape');
    await sleep(800); // the per-tab rate limit (0.7 s)
  });

  it('a number in a cross-origin frame the page fades to opacity 0 over a button is not called; a shown one is', async () => {
    await open();
    // What a hostile page does: frames of another origin it controls, one laid invisibly over a button.
    const frameUrl = (n: string) => `${other.url('/xframe.html')}#${encodeURIComponent(n)}`;
    await page.evaluate(
      (hidden: string, shown: string) => {
        const stage = document.createElement('div');
        stage.className = 'stage';
        stage.id = 's-xframe';
        stage.innerHTML = `<button>Gioca ancora</button><iframe id="f-hidden" src="${hidden}" style="position:absolute;inset:0;width:100%;height:100%;border:0;opacity:0;z-index:2"></iframe>`;
        const visible = document.createElement('iframe');
        visible.id = 'f-shown';
        visible.src = shown;
        visible.style.cssText = 'display:block;width:260px;height:48px;border:0';
        document.body.prepend(stage, visible);
      },
      frameUrl('02 6161 6179'),
      frameUrl('02 6161 6191'),
    );
    const frameOf = async (id: string) => {
      const handle = await page.waitForSelector(`#${id}`);
      // Chromium runs no animation frames in a cross-origin frame out of view (the detector waits for one).
      await handle!.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      const frame = (await handle!.contentFrame())!;
      await frame.waitForFunction(() => document.getElementById('n')?.textContent !== '');
      await world.idle(frame);
      return frame;
    };
    const pointIn = async (id: string) => {
      const frame = await frameOf(id);
      const inner = await frame.$eval('#n', (el) => {
        const r = document.createRange();
        r.selectNodeContents(el);
        const b = r.getClientRects()[0]!;
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      });
      const box = await page.$eval(`#${id}`, (el) => {
        el.scrollIntoView({ block: 'center' });
        const r = el.getBoundingClientRect();
        return { x: r.left + el.clientLeft, y: r.top + el.clientTop };
      });
      return { x: box.x + inner.x, y: box.y + inner.y };
    };
    expect((await world.list(await frameOf('f-hidden'))).map((n) => n.e164)).toEqual(['+390261616179']);
    const hiddenPoint = await pointIn('f-hidden');
    // Chromium drops input to a cross-origin frame for 500 ms after it moved (its own rule): past
    // that, the click reaches the frame, and only the extension's judgement can refuse it.
    await sleep(600);
    onlyControl(await trickThenControl(hiddenPoint));

    await page.mouse.move(5, 5);
    await klog.mark();
    const p = await pointIn('f-shown');
    const shown = (await (await page.$('#f-shown'))!.contentFrame())!;
    // As a person does: the pointer rests on the number, its badge shows, then the click. Chromium
    // knows a frame is shown (uncovered) only a moment after anything in it moved or appeared: the
    // event waited for is its IntersectionObserver v2 reporting the frame visible again.
    await page.mouse.move(p.x, p.y);
    await shown.waitForFunction(() => true);
    const deadline = Date.now() + 5000;
    while ((await world.eval('__voispeedContent.hovered()', shown)) !== '+390261616191' && Date.now() < deadline) await sleep(50);
    await world.eval(
      `new Promise((resolve) => { const io = new IntersectionObserver((es) => { if (es.some((e) => e.isVisible)) { io.disconnect(); resolve(true); } }, { trackVisibility: true, delay: 100 }); io.observe(document.documentElement); })`,
      shown,
    );
    // …and the extension's own observer, started by the pointer's arrival, has reported it too.
    while ((await world.eval('__voispeedContent.frameShown()', shown)) !== true && Date.now() < deadline) await sleep(50);
    // Chromium itself drops input to a cross-origin frame for 500 ms after the frame moved (its own
    // clickjacking rule; pointIn scrolled it into view): a fixed rule of the browser, not of load.
    await sleep(600);
    await page.mouse.click(p.x, p.y);
    await expectDialed(klog, ext, '0261616191').catch(async (err: Error) => {
      throw new Error(`${err.message}; judged unseen: ${await world.eval('__voispeedContent.unseen()', shown)}`);
    });
    await hangUpAll(rig.home);
    await sleep(800);
  });
});

interface AxNode {
  name?: string;
  role?: string;
  focused?: boolean;
  children?: AxNode[];
}
