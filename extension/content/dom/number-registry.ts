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
  /** The scan or batch that registered it: one registers its numbers in document order. */
  source?: object;
}

export const HIGHLIGHT_NAME = 'voispeed-number';

/** Told of every number added and removed: what is painted (highlight-window.ts) follows the registry. */
export interface NumberSink {
  added(entry: NumberEntry): void;
  removed(entry: NumberEntry): void;
  cleared(): void;
}

/**
 * The numbers found on the page: what clicks, hover, the keyboard and the popup's list read. They
 * are marked with the CSS Custom Highlight API (highlight-window.ts, only those near the viewport):
 * the page's DOM is never rewritten, so frameworks that re-render their nodes keep working and no
 * box moves. StaticRanges are used because the browser updates live Ranges on every DOM mutation;
 * ours are re-derived from the mutation pipeline instead.
 */
export class NumberRegistry {
  private readonly byNode = new Map<Text, NumberEntry[]>();
  private readonly entries = new Set<NumberEntry>();

  constructor(private readonly sink?: NumberSink) {}

  get size(): number {
    return this.entries.size;
  }

  add(entry: NumberEntry): void {
    this.entries.add(entry);
    for (const n of entry.nodes) {
      const list = this.byNode.get(n);
      if (list) list.push(entry);
      else this.byNode.set(n, [entry]);
    }
    this.sink?.added(entry);
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
    // The node's own list goes at once: removing its entries one by one from it was quadratic
    // (a <pre> of 10,000 numbers rescanned: 10⁸ steps).
    this.byNode.delete(node);
    for (const e of list) this.remove(e, node);
  }

  /** Removes `e`; `gone`: a node whose list the caller already dropped. */
  private remove(e: NumberEntry, gone?: Text): void {
    if (!this.entries.delete(e)) return;
    for (const n of e.nodes) {
      if (n === gone) continue;
      const list = this.byNode.get(n);
      if (!list) continue;
      const rest = list.filter((x) => x !== e);
      if (rest.length) this.byNode.set(n, rest);
      else this.byNode.delete(n);
    }
    this.sink?.removed(e);
  }

  /** Drops numbers whose text left the document (removed nodes are not reported one by one). */
  collectGarbage(): void {
    // By node, not by entry: a number with any node gone is in that node's list.
    const gone: Text[] = [];
    for (const n of this.byNode.keys()) if (!n.isConnected) gone.push(n);
    for (const n of gone) this.forgetNode(n);
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
    this.entries.clear();
    this.byNode.clear();
    this.sink?.cleared();
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
