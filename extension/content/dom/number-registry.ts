import type { FoundNumber } from '../../lib/page-messages';

/** One callable number on the page. */
export interface NumberEntry {
  range: StaticRange;
  /** Every text node the number covers, first to last. */
  nodes: Text[];
  e164: string;
  /** Formatted for reading (computed when first read). */
  readonly display: string;
  /** As written on the page. */
  text: string;
  /** The deferred parse that registered it, if one did (the pieces of one long text node share it). */
  batch?: object;
}

export const HIGHLIGHT_NAME = 'voispeed-number';

/**
 * The numbers found on the page, marked with the CSS Custom Highlight API: the page's DOM is never
 * rewritten, so frameworks that re-render their nodes keep working and no box moves. StaticRanges
 * are used because the browser updates live Ranges on every DOM mutation; ours are re-derived from
 * the mutation pipeline instead.
 */
export class NumberRegistry {
  private readonly byNode = new Map<Text, NumberEntry[]>();
  private readonly entries = new Set<NumberEntry>();
  /** Created on the first paint: registering a highlight costs the page a style pass. */
  private highlight: Highlight | undefined;
  private readonly canHighlight = typeof Highlight === 'function' && typeof CSS !== 'undefined' && !!CSS.highlights;
  /** Found but not yet in the Highlight: every change of it repaints, so they join in batches. */
  private unpainted: NumberEntry[] = [];


  get size(): number {
    return this.entries.size;
  }

  add(entry: NumberEntry): void {
    this.entries.add(entry);
    this.unpainted.push(entry);
    for (const n of entry.nodes) {
      const list = this.byNode.get(n);
      if (list) list.push(entry);
      else this.byNode.set(n, [entry]);
    }
  }

  /** Hands up to `max` numbers found since the last call to the Highlight (one repaint for all). */
  paint(max = Infinity): void {
    const t0 = performance.now();
    this.paintBatch(max);
    const took = performance.now() - t0;
    this.paintStats.ms += took;
    if (took > this.paintStats.longestMs) this.paintStats.longestMs = took;
  }

  /** Time spent handing ranges to the Highlight (the benchmark's per-stage trace). */
  readonly paintStats = { ms: 0, longestMs: 0 };

  private paintBatch(max: number): void {
    const batch = this.unpainted.length <= max ? this.unpainted : this.unpainted.slice(0, max);
    this.unpainted = this.unpainted.length <= max ? [] : this.unpainted.slice(max);
    if (!batch.length) return;
    if (!this.highlight && this.canHighlight) {
      this.highlight = new Highlight();
      CSS.highlights.set(HIGHLIGHT_NAME, this.highlight);
    }
    for (const e of batch) if (this.entries.has(e)) this.highlight?.add(e.range);
  }

  get unpaintedCount(): number {
    return this.unpainted.length;
  }

  hasNode(node: Text): boolean {
    return this.byNode.has(node);
  }

  /** Whether some number on `node` was registered by anything else than `batch`. */
  hasNodeFromOther(node: Text, batch: object): boolean {
    return !!this.byNode.get(node)?.some((e) => e.batch !== batch);
  }

  /** Forgets every number that touches `node` (before it is scanned again). */
  forgetNode(node: Text): void {
    if (!this.byNode.size) return;
    const list = this.byNode.get(node);
    if (!list) return;
    for (const e of list) this.remove(e);
  }

  private remove(e: NumberEntry): void {
    if (!this.entries.delete(e)) return;
    this.highlight?.delete(e.range);
    for (const n of e.nodes) {
      const list = this.byNode.get(n);
      if (!list) continue;
      const rest = list.filter((x) => x !== e);
      if (rest.length) this.byNode.set(n, rest);
      else this.byNode.delete(n);
    }
  }

  /** Drops numbers whose text left the document (removed nodes are not reported one by one). */
  collectGarbage(): void {
    for (const e of this.entries) if (!e.nodes.every((n) => n.isConnected)) this.remove(e);
  }

  /** The entry whose text spans `offset` of `node`, if any. */
  at(node: Node, offset: number): NumberEntry | undefined {
    const list = node.nodeType === 3 ? this.byNode.get(node as Text) : undefined;
    if (!list) return undefined;
    for (const e of list) {
      const r = e.range;
      const lo = node === r.startContainer ? r.startOffset : 0;
      const hi = node === r.endContainer ? r.endOffset : (node as Text).length;
      if (offset >= lo && offset <= hi) return e;
    }
    return undefined;
  }

  /** Entries whose first text node sits directly in `el` (hit-testing without a caret API). */
  *under(el: Element): Iterable<NumberEntry> {
    for (const child of el.childNodes) {
      if (child.nodeType === 3) yield* this.byNode.get(child as Text) ?? [];
    }
  }

  /** Every number, in the order of the document (keyboard navigation). */
  ordered(): NumberEntry[] {
    // Text inside a shadow tree sits where its host sits in the document.
    const inDocument = (n: Node): Node => {
      for (let root = n.getRootNode(); root.nodeType === 11 && (root as ShadowRoot).host; root = n.getRootNode()) n = (root as ShadowRoot).host;
      return n;
    };
    return [...this.entries].sort((a, b) => {
      let x: Node = a.range.startContainer;
      let y: Node = b.range.startContainer;
      if (x === y) return a.range.startOffset - b.range.startOffset;
      if (x.getRootNode() !== y.getRootNode()) {
        const hx = inDocument(x);
        const hy = inDocument(y);
        if (hx !== hy) {
          x = hx;
          y = hy;
        }
      }
      const pos = x.compareDocumentPosition(y);
      return pos & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : pos & Node.DOCUMENT_POSITION_PRECEDING ? 1 : 0;
    });
  }

  list(): FoundNumber[] {
    const out = new Map<string, FoundNumber>();
    for (const e of this.entries) {
      const seen = out.get(e.e164);
      if (seen) seen.count++;
      else out.set(e.e164, { e164: e.e164, display: e.display, text: e.text, count: 1 });
    }
    return [...out.values()];
  }

  clear(): void {
    this.highlight?.clear();
    this.unpainted = [];
    this.entries.clear();
    this.byNode.clear();
  }

  dispose(): void {
    this.clear();
    if (this.highlight && CSS.highlights.get(HIGHLIGHT_NAME) === this.highlight) CSS.highlights.delete(HIGHLIGHT_NAME);
  }
}

/** A live Range for the moments one is needed (geometry); StaticRange has no client rects. */
export function liveRange(entry: NumberEntry): Range | undefined {
  const r = entry.range;
  try {
    const range = r.startContainer.ownerDocument!.createRange();
    range.setStart(r.startContainer, r.startOffset);
    range.setEnd(r.endContainer, r.endOffset);
    return range;
  } catch {
    // Offsets beyond a text that has since shrunk: the next scan replaces this entry.
    return undefined;
  }
}
