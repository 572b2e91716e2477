// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HighlightWindow, type HighlightWindowOptions } from './highlight-window';
import { HIGHLIGHT_NAME, type NumberEntry } from './number-registry';

/**
 * The highlight window with the browser's parts replaced by a model: a page scrolled by `scrollY`,
 * numbers and elements at fixed page positions, an IntersectionObserver the test drives like the
 * browser would (a unit is near when its box meets the viewport ± two viewports), animation frames
 * run by hand, and a Highlight that is a Set.
 */
const H = 600;
let scrollY = 0;
const pageTop = new Map<Element, { top: number; height: number }>();
const entryTop = new Map<NumberEntry, number>();
const frames: FrameRequestCallback[] = [];
const observers: FakeIO[] = [];

class FakeIO {
  readonly targets = new Set<Element>();
  constructor(readonly callback: IntersectionObserverCallback) {
    observers.push(this);
  }
  observe(el: Element) {
    this.targets.add(el);
  }
  unobserve(el: Element) {
    this.targets.delete(el);
  }
  disconnect() {
    this.targets.clear();
  }
  /** What the browser would report after layout: every target, near or not. */
  report() {
    const records = [...this.targets].map((target) => {
      const p = pageTop.get(target) ?? { top: 0, height: 0 };
      const top = p.top - scrollY;
      return { target, isIntersecting: top + p.height >= -2 * H && top <= 3 * H } as IntersectionObserverEntry;
    });
    this.callback(records, this as unknown as IntersectionObserver);
  }
}

const highlight = new Set<StaticRange>();
const registry = new Map<string, unknown>();
const api = (): HighlightWindowOptions => ({
  highlights: { set: (n, h) => registry.set(n, h), get: (n) => registry.get(n), delete: (n) => registry.delete(n) },
  newHighlight: () => highlight as unknown as Highlight,
  IntersectionObserver: FakeIO as unknown as typeof IntersectionObserver,
  boxOf: (e) => {
    const y = entryTop.get(e);
    return y === undefined ? undefined : { top: y - scrollY, bottom: y - scrollY + 16 };
  },
});

/** The IntersectionObserver's report, then one animation frame. */
function frame(): void {
  for (const o of observers) o.report();
  const run = frames.splice(0);
  for (const f of run) f(performance.now());
}

function place(el: Element, top: number, height: number): Element {
  pageTop.set(el, { top, height });
  (el as { getBoundingClientRect: () => DOMRect }).getBoundingClientRect = () => ({ top: top - scrollY, bottom: top - scrollY + height }) as DOMRect;
  return el;
}

let source: object = {};
/** A number on `text` at offset `at`, at page position `y`. */
function entry(text: Text, at: number, y: number): NumberEntry {
  const e: NumberEntry = {
    range: { startContainer: text, startOffset: at, endContainer: text, endOffset: at + 10 } as unknown as StaticRange,
    nodes: [text],
    e164: `+39026161${String(at).padStart(4, '0')}`,
    display: '02 6161 6161',
    text: '02 6161 6161',
    source,
  };
  entryTop.set(e, y);
  return e;
}

const lit = (entries: NumberEntry[]) => entries.filter((e) => highlight.has(e.range));

beforeEach(() => {
  scrollY = 0;
  source = {};
  document.body.innerHTML = '';
  Object.defineProperty(window, 'innerHeight', { value: H, configurable: true });
  vi.spyOn(window, 'requestAnimationFrame').mockImplementation((f) => frames.push(f));
  vi.spyOn(window, 'cancelAnimationFrame').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  frames.length = 0;
  observers.length = 0;
  highlight.clear();
  registry.clear();
  pageTop.clear();
  entryTop.clear();
});

/** A <pre> of `n` lines (one text node), 20 px a line, from page position 0. */
function pre(n: number): { entries: NumberEntry[] } {
  const el = place(document.body.appendChild(document.createElement('pre')), 0, n * 20);
  const text = el.appendChild(document.createTextNode('x'.repeat(n * 40))) as Text;
  return { entries: Array.from({ length: n }, (_, i) => entry(text, i * 40, i * 20)) };
}

describe('HighlightWindow', () => {
  it('a <pre> of 10,000 numbers: only those within two viewports of the viewport are lit, and scrolling moves them', () => {
    const w = new HighlightWindow(document, api());
    const { entries } = pre(10_000);
    for (const e of entries) w.added(e);
    frame();
    // Viewport [0, 600] with two viewports' margin: page positions up to 1800 → numbers 0…90.
    expect(lit(entries)).toEqual(entries.slice(0, 91));
    expect(registry.get(HIGHLIGHT_NAME)).toBe(highlight);

    // Scrolled to the middle: the numbers there are lit in the next frame, those at the top are not.
    scrollY = 100_000;
    window.dispatchEvent(new Event('scroll'));
    frame();
    const inView = entries.slice(5000, 5030);
    expect(lit(inView)).toEqual(inView);
    expect(lit(entries.slice(0, 91))).toEqual([]);
    // Page positions 98,800…101,800: numbers 4940…5090.
    expect(lit(entries)).toEqual(entries.slice(4940, 5091));
    w.dispose();
    expect(registry.has(HIGHLIGHT_NAME)).toBe(false);
  });

  it('small blocks are lit whole while near the viewport, and dropped when they leave it', () => {
    const w = new HighlightWindow(document, api());
    const near = place(document.body.appendChild(document.createElement('p')), 100, 20);
    const far = place(document.body.appendChild(document.createElement('p')), 5000, 20);
    const a = entry(near.appendChild(document.createTextNode('Tel. 02 6161 6161')) as Text, 5, 100);
    const b = entry(far.appendChild(document.createTextNode('Tel. 02 6161 6162')) as Text, 5, 5000);
    w.added(a);
    w.added(b);
    frame();
    expect(lit([a, b])).toEqual([a]);
    scrollY = 4500;
    window.dispatchEvent(new Event('scroll'));
    frame();
    expect(lit([a, b])).toEqual([b]);
    w.dispose();
  });

  it('a list of 10,000 items is watched as one element, not 10,000', () => {
    const w = new HighlightWindow(document, api());
    const ul = place(document.body.appendChild(document.createElement('ul')), 0, 10_000 * 20);
    const entries: NumberEntry[] = [];
    for (let i = 0; i < 10_000; i++) {
      const li = place(ul.appendChild(document.createElement('li')), i * 20, 20);
      entries.push(entry(li.appendChild(document.createTextNode(`Contatto ${i}: 02 6161 6161`)) as Text, 12, i * 20));
    }
    for (const e of entries) w.added(e);
    expect([...observers[0]!.targets]).toEqual([ul]);
    frame();
    expect(lit(entries)).toEqual(entries.slice(0, 91));
    w.dispose();
  });

  it('never holds more than 1,000 ranges nor makes more than 400 changes in a frame, numbers in view first', () => {
    const w = new HighlightWindow(document, api());
    // 4,000 numbers packed 0.45 px apart: all within the band, 1,334 in the viewport itself.
    const el = place(document.body.appendChild(document.createElement('pre')), 0, 1800);
    const text = el.appendChild(document.createTextNode('x'.repeat(40_000))) as Text;
    const entries = Array.from({ length: 4000 }, (_, i) => entry(text, i * 10, i * 0.45 - 600));
    for (const e of entries) w.added(e);
    frame();
    expect(highlight.size).toBe(400);
    for (let i = 0; i < 5; i++) frame();
    expect(highlight.size).toBe(1000);
    // All of them in the viewport itself (page positions 0…600).
    expect(lit(entries).every((e) => entryTop.get(e)! >= -16 && entryTop.get(e)! <= H)).toBe(true);
    w.dispose();
  });

  it('a number removed leaves the highlight at once; a unit left without numbers is no longer watched', () => {
    const w = new HighlightWindow(document, api());
    const p = place(document.body.appendChild(document.createElement('p')), 100, 20);
    const a = entry(p.appendChild(document.createTextNode('Tel. 02 6161 6161')) as Text, 5, 100);
    w.added(a);
    frame();
    expect(highlight.has(a.range)).toBe(true);
    w.removed(a);
    expect(highlight.has(a.range)).toBe(false);
    frame();
    expect(observers[0]!.targets.size).toBe(0);
    w.dispose();
  });

  it('numbers added out of document order by a second scan are searched as their own run', () => {
    const w = new HighlightWindow(document, api());
    const { entries } = pre(200);
    // A first scan found the second half; a later one the first half.
    const rescan = {};
    for (const e of entries.slice(0, 100)) e.source = rescan;
    for (const e of entries.slice(100)) w.added(e);
    for (const e of entries.slice(0, 100)) w.added(e);
    frame();
    expect(lit(entries)).toEqual(entries.slice(0, 91));
    w.dispose();
  });

  it('many rescans of one unit (runs in reverse document order) are sorted into one run', () => {
    const w = new HighlightWindow(document, api());
    const { entries } = pre(400);
    for (let r = 19; r >= 0; r--) {
      const scan = {};
      const run = entries.slice(r * 20, r * 20 + 20);
      for (const e of run) e.source = scan;
      for (const e of run) w.added(e);
    }
    frame();
    expect(lit(entries)).toEqual(entries.slice(0, 91));
    scrollY = 4000;
    window.dispatchEvent(new Event('scroll'));
    frame();
    // Viewport [4000, 4600] ± 1200: page positions 2800…5800, numbers 140…290.
    expect(lit(entries)).toEqual(entries.slice(140, 291));
    w.dispose();
  });

  it('a re-rendered list keeps one watched unit and forgets the items it replaced', () => {
    const w = new HighlightWindow(document, api());
    const ul = place(document.body.appendChild(document.createElement('ul')), 0, 40 * 20);
    const render = () => {
      ul.textContent = '';
      return Array.from({ length: 40 }, (_, i) => {
        const li = place(ul.appendChild(document.createElement('li')), i * 20, 20);
        return entry(li.appendChild(document.createTextNode(`Contatto ${i}: 02 6161 6161`)) as Text, 12, i * 20);
      });
    };
    const first = render();
    for (const e of first) w.added(e);
    frame();
    expect(lit(first)).toEqual(first);
    const second = render();
    for (const e of first) w.removed(e);
    for (const e of second) w.added(e);
    frame();
    expect(highlight.size).toBe(40);
    expect(lit(second)).toEqual(second);
    expect([...observers[0]!.targets]).toEqual([ul]);
    const units = (w as unknown as { units: { units: Map<Element, { blocks: Element[] }> } }).units.units;
    expect(units.get(ul)!.blocks.every((b) => b.isConnected)).toBe(true);
    w.dispose();
  });

  it('does nothing where the browser has no Highlight API (numbers stay callable through the registry)', () => {
    const w = new HighlightWindow(document, {});
    const { entries } = pre(10);
    for (const e of entries) w.added(e);
    frame();
    expect(frames.length).toBe(0);
    expect(w.litCount).toBe(0);
    w.dispose();
  });
});
