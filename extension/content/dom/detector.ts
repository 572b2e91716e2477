import type { CountryCode } from 'libphonenumber-js/core';
import type { PhoneFinder } from '../detect/find-phone-numbers';
import { loadFinder } from '../detect/metadata-loader';
import { HighlightWindow } from './highlight-window';
import { NumberRegistry } from './number-registry';
import { RootWatcher, type RootChanges } from './root-watcher';
import { registerSegment, ScanJob, type ScanContext, type Segment } from './scan-job';
import { Scheduler } from './scheduler';

export interface Detector {
  readonly registry: NumberRegistry;
  /** The open shadow roots being watched (hit-testing needs them). */
  readonly shadowRoots: ShadowRoot[];
  /** Resolves when every queued scan has run (tests and the benchmark wait on it). */
  whenIdle(): Promise<void>;
  stats(): DetectorStats;
  stop(): void;
}

export interface DetectorStats {
  slices: number;
  busyMs: number;
  longestMs: number;
  /** Which job (and stage) ran the longest single step, with its duration: the per-stage trace. */
  longestJob: string;
  /** The highlight window's frame updates (highlight-window.ts): total and longest (ms), and how many ranges it lights now. */
  highlightMs: number;
  highlightLongestMs: number;
  lit: number;
  errors: number;
  idleAt: number;
  queued: number;
  roots: number;
  /** From the first candidate to libphonenumber-js's metadata being ready (ms), once loaded. */
  metadataMs?: number;
}

/** Custom elements often attach their shadow root after insertion: look again once, a bit later. */
const LATE_SHADOW_CHECK_MS = 500;
const LATE_SHADOW_MAX = 500;
const WARM_UP = 'Tel. 02 6161 6161';

/**
 * The detection pipeline of one document: a watcher per root (the document and each open shadow
 * root), one scheduler, one registry of numbers, one highlight window (what is painted).
 */
export function startDetector(doc: Document, country: CountryCode): Detector {
  const highlights = new HighlightWindow(doc);
  const registry = new NumberRegistry(highlights);
  const scheduler = new Scheduler(doc);
  const watchers = new Map<Node, RootWatcher>();
  let stopped = false;

  let finder: PhoneFinder | undefined;
  let loading: Promise<void> | undefined;
  let metadataMs: number | undefined;
  let loadFailed = false;

  const ctx: ScanContext = { registry, country, onShadowRoot: (sr) => watch(sr), onCustomElement, finder: () => finder, needFinder, deferred };

  /** Segments the scans met before the metadata was in: parsed in slices once it is. */
  let waiting: Segment[] = [];
  function deferred(segments: Segment[]): void {
    // Not push(...segments): a page with a few hundred thousand lines would overflow the stack.
    for (const s of segments) waiting.push(s);
    if (finder) parseDeferred();
  }
  function parseDeferred(): void {
    const list = waiting;
    waiting = [];
    let i = 0;
    if (!list.length || !finder) return;
    const f = finder;
    const batch = {};
    scheduler.add({
      label: 'deferred parse',
      step(deadline) {
        while (i < list.length) {
          registerSegment(ctx, list[i++]!, f, batch);
          if (performance.now() >= deadline) break;
        }
        return i >= list.length;
      },
    });
  }

  /** Loads the metadata once; what the scans kept meanwhile is parsed then. */
  function needFinder(): void {
    if (loading) return;
    const t0 = performance.now();
    loading = loadFinder().then(
      (f) => {
        finder = f;
        metadataMs = performance.now() - t0;
        if (stopped) return;
        // libphonenumber-js's first call compiles its patterns (~10–25 ms): in a slice of its own,
        // not on top of a slice of scanning.
        scheduler.add({ label: 'warm-up', step: () => (f(WARM_UP, { defaultCountry: country }), true) });
        parseDeferred();
      },
      (err: unknown) => {
        loadFailed = true;
        scheduler.stats.errors++;
        console.error('VOIspeed: phone number metadata could not be loaded', err);
      },
    );
  }

  function watch(root: Document | ShadowRoot): void {
    if (stopped || watchers.has(root)) return;
    watchers.set(root, new RootWatcher(root, onChanges));
    scan(root);
  }

  function scan(node: Node): void {
    scheduler.add(new ScanJob(node, ctx));
  }

  function onChanges(root: Node, changes: RootChanges): void {
    for (const t of changes.changedText) registry.forgetNode(t);
    if (changes.removed) registry.collectGarbage();
    if (changes.dirty === 'all') {
      scan(root);
      return;
    }
    for (const node of changes.dirty) {
      scan(node);
    }
  }

  /** Custom elements met by the scans without a shadow root: looked at again once, a bit later. */
  let lateCheck: Set<Element> | undefined;
  function onCustomElement(el: Element): void {
    if (!lateCheck) {
      lateCheck = new Set();
      setTimeout(() => {
        const pending = lateCheck!;
        lateCheck = undefined;
        for (const e of pending) if (e.shadowRoot && e.isConnected) watch(e.shadowRoot);
      }, LATE_SHADOW_CHECK_MS);
    }
    if (lateCheck.size < LATE_SHADOW_MAX) lateCheck.add(el);
  }

  watch(doc);

  return {
    registry,
    get shadowRoots() {
      return [...watchers.keys()].filter((r): r is ShadowRoot => r.nodeType === 11);
    },
    async whenIdle() {
      for (;;) {
        await scheduler.whenIdle();
        if (stopped) return;
        // A scan that met the first candidate waits for the metadata, then everything is rescanned.
        if (loading && !finder && !loadFailed) await loading;
        else if (scheduler.idle) return;
      }
    },
    stats: () => ({
      ...scheduler.stats,
      highlightMs: highlights.stats.ms,
      highlightLongestMs: highlights.stats.longestMs,
      lit: highlights.litCount,
      queued: scheduler.queued, roots: watchers.size,
      ...(metadataMs !== undefined ? { metadataMs } : {}),
    }),
    stop() {
      stopped = true;
      for (const w of watchers.values()) w.disconnect();
      watchers.clear();
      scheduler.stop();
      registry.clear();
      highlights.dispose();
    },
  };
}
