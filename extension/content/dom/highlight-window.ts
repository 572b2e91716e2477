import { bandAround, meets, planChanges, spanInBand, type Band } from './highlight-plan';
import { runsOf, UnitIndex, type Unit } from './highlight-units';
import { HIGHLIGHT_NAME, liveRange, type NumberEntry, type NumberSink } from './number-registry';

/**
 * Units with more numbers than this are windowed number by number (a <pre> or a list of 10,000
 * numbers); smaller ones are highlighted whole while they are near the viewport.
 */
const SMALL_UNIT = 16;
/**
 * Viewport heights above and below the viewport whose numbers are highlighted too: a number
 * scrolled into view is usually lit already, and a page of a few screens is lit whole.
 */
const MARGIN = 2;
/**
 * Most ranges in the Highlight at once. After every change the browser walks each range of it
 * before painting (Chromium's pre-paint: 110–140 ms per frame with 10,000), so the set is kept to
 * about what the band of five viewports shows on a dense page; beyond it, the viewport alone.
 */
const MAX_LIT = 1000;
/** Most Highlight changes per frame: each costs ~10 µs from an isolated world. */
const MAX_CHANGES_PER_FRAME = 400;

type HighlightLike = Pick<Highlight, 'add' | 'delete' | 'clear'>;
interface HighlightsLike {
  set(name: string, h: HighlightLike): unknown;
  get(name: string): unknown;
  delete(name: string): boolean;
}

export interface HighlightWindowOptions {
  /** CSS.highlights and a Highlight maker, when the browser has the API (tests pass fakes). */
  highlights?: HighlightsLike;
  newHighlight?: () => HighlightLike;
  IntersectionObserver?: typeof IntersectionObserver;
  ResizeObserver?: typeof ResizeObserver;
  /** A number's box in the viewport (a live Range's by default). */
  boxOf?: (entry: NumberEntry) => Band | undefined;
}

const rangeBox = (entry: NumberEntry): Band | undefined => {
  const r = liveRange(entry)?.getBoundingClientRect();
  return r && (r.width || r.height) ? { top: r.top, bottom: r.bottom } : undefined;
};

/**
 * What the page's highlight holds: only the numbers in or near the viewport (issue 19, dense
 * pages). Every found number stays callable: clicks, hover and the keyboard read the registry,
 * never the highlight; this decides only what is painted.
 *
 * Blocks with numbers (or an element grouping many of them, highlight-units.ts) are watched by one
 * IntersectionObserver with a margin of two viewports above and below, so the browser tells which
 * come near as the page scrolls, in nested scrollers and through layout changes. A small unit
 * near the viewport has all its numbers lit; a big one (a <pre> of 10,000 lines, a long list) has
 * those in the band found by binary search over its numbers' boxes in document order, again on
 * every scroll while it is near. Changes are made in one animation-frame callback, at most
 * MAX_CHANGES_PER_FRAME of them, so the browser's pre-paint that follows runs once per frame over
 * at most MAX_LIT ranges, whatever the page (Dark Reader's rule: never jank a page).
 */
export class HighlightWindow implements NumberSink {
  private readonly win: Window;
  private readonly doc: Document;
  private readonly units: UnitIndex;
  private readonly near = new Set<Unit>();
  private readonly stale = new Set<Unit>();
  private readonly lit = new Set<NumberEntry>();
  private highlight: HighlightLike | undefined;
  private readonly observer: IntersectionObserver | undefined;
  private readonly resizes: ResizeObserver | undefined;
  private readonly boxOf: (entry: NumberEntry) => Band | undefined;
  private frame: number | undefined;
  /** Bumped when layout may have moved numbers inside their units: cached boxes are then stale. */
  private epoch = 0;
  /** Whether the last update read boxes (a big unit near, or the viewport alone): scrolling then changes what is lit. */
  private scrollSensitive = false;
  private disposed = false;
  /** The updates' own time (ms, the benchmark's per-stage trace). */
  readonly stats = { updates: 0, ms: 0, longestMs: 0 };

  constructor(
    doc: Document,
    private readonly o: HighlightWindowOptions = HighlightWindow.browserApi(),
  ) {
    this.doc = doc;
    this.win = doc.defaultView!;
    this.boxOf = o.boxOf ?? rangeBox;
    this.units = new UnitIndex(doc, {
      watch: (unit) => {
        this.observer!.observe(unit.el);
        this.resizes?.observe(unit.el);
      },
      unwatch: (unit) => {
        this.near.delete(unit);
        this.stale.delete(unit);
        this.observer?.unobserve(unit.el);
        this.resizes?.unobserve(unit.el);
        // What it had lit is dropped by the next update (a unit merged into a group: once the group is reported).
        this.schedule();
      },
    });
    const IO = o.IntersectionObserver;
    if (!IO || !o.highlights || !o.newHighlight) return;
    // scrollMargin: the same margin inside nested scrollers, where the browser has it.
    const init = { rootMargin: `${MARGIN * 100}% 0px`, scrollMargin: `${MARGIN * 100}% 0px` } as IntersectionObserverInit;
    const onRecords = (records: IntersectionObserverEntry[]) => this.onIntersections(records);
    // The frame's own viewport as the root (a Document root): with the implicit root, a
    // cross-origin frame's margin would be ignored.
    let observer: IntersectionObserver;
    try {
      observer = new IO(onRecords, { ...init, root: doc });
    } catch {
      observer = new IO(onRecords, init);
    }
    this.observer = observer;
    this.resizes = o.ResizeObserver ? new o.ResizeObserver(() => this.relayout()) : undefined;
    this.win.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    this.win.addEventListener('resize', this.onResize, { passive: true });
  }

  /** The browser's Highlight API and observers, where it has them. */
  static browserApi(): HighlightWindowOptions {
    const g = globalThis as {
      Highlight?: typeof Highlight;
      CSS?: { highlights?: HighlightsLike };
      IntersectionObserver?: typeof IntersectionObserver;
      ResizeObserver?: typeof ResizeObserver;
    };
    if (typeof g.Highlight !== 'function' || !g.CSS?.highlights || typeof g.IntersectionObserver !== 'function') return {};
    const H = g.Highlight;
    return {
      highlights: g.CSS.highlights,
      newHighlight: () => new H(),
      IntersectionObserver: g.IntersectionObserver,
      ...(typeof g.ResizeObserver === 'function' ? { ResizeObserver: g.ResizeObserver } : {}),
    };
  }

  /** How many ranges the highlight holds now. */
  get litCount(): number {
    return this.lit.size;
  }

  added(entry: NumberEntry): void {
    if (!this.observer) return;
    const unit = this.units.add(entry);
    if (unit && this.near.has(unit)) this.schedule();
  }

  removed(entry: NumberEntry): void {
    const unit = this.units.remove(entry);
    if (!unit) return;
    this.stale.add(unit);
    if (this.lit.delete(entry)) this.highlight?.delete(entry.range);
    this.schedule();
  }

  cleared(): void {
    this.highlight?.clear();
    this.lit.clear();
    this.units.clear();
    this.near.clear();
    this.stale.clear();
    this.observer?.disconnect();
    this.resizes?.disconnect();
  }

  dispose(): void {
    this.disposed = true;
    this.cleared();
    this.win.removeEventListener('scroll', this.onScroll, true);
    this.win.removeEventListener('resize', this.onResize);
    if (this.frame !== undefined) this.win.cancelAnimationFrame(this.frame);
    this.frame = undefined;
    if (this.highlight && this.o.highlights?.get(HIGHLIGHT_NAME) === this.highlight) this.o.highlights.delete(HIGHLIGHT_NAME);
  }

  private readonly onScroll = (e: Event) => {
    // A scrolled element moves the numbers inside it relative to their unit.
    if (e.target !== this.doc) this.epoch++;
    if (this.scrollSensitive) this.schedule();
  };

  private readonly onResize = () => this.relayout();

  private relayout(): void {
    this.epoch++;
    if (this.near.size) this.schedule();
  }

  private onIntersections(records: IntersectionObserverEntry[]): void {
    let changed = false;
    for (const r of records) {
      const unit = this.units.units.get(r.target);
      if (!unit) continue;
      if (r.isIntersecting) {
        if (!this.near.has(unit)) (this.near.add(unit), (changed = true));
      } else if (this.near.delete(unit)) changed = true;
    }
    if (changed) this.schedule();
  }

  private schedule(): void {
    if (this.frame !== undefined || this.disposed || !this.observer) return;
    this.frame = this.win.requestAnimationFrame(() => this.update());
  }

  /** One frame's work: what should be lit now, and at most MAX_CHANGES_PER_FRAME steps toward it. */
  private update(): void {
    this.frame = undefined;
    if (this.disposed) return;
    const t0 = performance.now();
    for (const unit of [...this.stale]) this.units.compact(unit);
    this.stale.clear();
    const height = this.win.innerHeight;
    let wanted = this.collect(bandAround(height, MARGIN), false);
    // Too many near the viewport (tiny text, a huge screen): the viewport alone, and a bound.
    if (wanted.length > MAX_LIT) wanted = this.collect(bandAround(height, 0), true).slice(0, MAX_LIT);
    const { add, remove, more } = planChanges(this.lit, wanted, MAX_CHANGES_PER_FRAME);
    if (add.length && !this.highlight) {
      // Created on first need: registering a highlight costs the page a style pass.
      this.highlight = this.o.newHighlight!();
      this.o.highlights!.set(HIGHLIGHT_NAME, this.highlight);
    }
    for (const e of remove) {
      this.lit.delete(e);
      this.highlight?.delete(e.range);
    }
    for (const e of add) {
      this.lit.add(e);
      this.highlight!.add(e.range);
    }
    if (more) this.schedule();
    const took = performance.now() - t0;
    this.stats.updates++;
    this.stats.ms += took;
    if (took > this.stats.longestMs) this.stats.longestMs = took;
  }

  /**
   * The numbers to light for `band`: every number of a small unit the observer reports near (in
   * `strict` mode only if the unit meets the band now), the span in the band of a big one.
   */
  private collect(band: Band, strict: boolean): NumberEntry[] {
    const out: NumberEntry[] = [];
    let readBoxes = strict;
    for (const unit of this.near) {
      if (unit.size <= SMALL_UNIT) {
        if (strict) {
          const r = unit.el.getBoundingClientRect();
          if (!meets({ top: r.top, bottom: r.bottom }, band)) continue;
        }
        for (const run of unit.runs) for (const e of run) out.push(e);
        continue;
      }
      readBoxes = true;
      const box = this.boxReader(unit);
      for (const run of runsOf(unit)) {
        const [lo, hi] = spanInBand(run.length, (i) => box(run[i]!), band);
        for (let i = lo; i < hi; i++) out.push(run[i]!);
      }
    }
    this.scrollSensitive = readBoxes;
    return out;
  }

  /**
   * Boxes of a unit's numbers in the viewport, from boxes cached relative to the unit's top: a
   * scroll of the page moves the unit, not its numbers within it, so one element box per update
   * is read instead of a range's (0.2 ms each in a 10,000-line text node).
   */
  private boxReader(unit: Unit): (e: NumberEntry) => Band | undefined {
    if (unit.epoch !== this.epoch) {
      unit.boxes.clear();
      unit.epoch = this.epoch;
    }
    const top = unit.el.getBoundingClientRect().top;
    return (e) => {
      let rel = unit.boxes.get(e);
      if (!rel) {
        const box = this.boxOf(e);
        if (!box) return undefined;
        rel = { top: box.top - top, bottom: box.bottom - top };
        unit.boxes.set(e, rel);
      }
      return { top: rel.top + top, bottom: rel.bottom + top };
    };
  }
}
