import type { CountryCode } from 'libphonenumber-js/core';
import type { PhoneFinder } from '../detect/find-phone-numbers';
import { hasEnoughDigits } from '../detect/prefilter';
import { isExcludedElement, isInlineElement } from './exclusions';
import type { NumberRegistry } from './number-registry';
import { cutPoint, locate, SegmentBuilder, type Piece } from './segments';
import type { Job } from './scheduler';

/** Segments longer than this are cut, so one libphonenumber-js call stays a few milliseconds. */
const MAX_SEGMENT = 2000;
const NON_SPACE = /\S/;
/** How many nodes between two looks at the clock. */
const CLOCK_EVERY = 64;
/**
 * A segment parsed by libphonenumber-js counts as a whole clock period: the clock is read right
 * after each parse. A segment of 2,000 characters dense with numbers takes 5–15 ms on a loaded
 * machine, and four of them between two looks at the clock made a 52 ms step (bench/linkify,
 * dense page of inline elements).
 */
const PARSE_COST = CLOCK_EVERY;

export interface ScanContext {
  registry: NumberRegistry;
  country: CountryCode;
  /** The finder, once libphonenumber-js's metadata has been loaded. */
  finder(): PhoneFinder | undefined;
  /** Text worth parsing was met before the metadata was there: load it. */
  needFinder(): void;
  /** Segments met before the metadata was there, for the detector to parse once it is. */
  deferred(segments: Segment[]): void;
  /** Each open shadow root met while walking; the detector watches and scans it. */
  onShadowRoot(root: ShadowRoot): void;
  /** A custom element without a shadow root yet (many attach theirs after insertion). */
  onCustomElement(el: Element): void;
}

export interface Segment {
  text: string;
  pieces: Piece[];
}

/**
 * Parses one segment and registers its numbers. `batch`: the segment was read earlier (before the
 * metadata arrived) and is parsed by that deferred batch: skipped if its text changed or a later
 * scan already registered its nodes. A long text node is several segments of one batch: numbers
 * the batch itself registered on the node do not count as a later scan's. `source`: the scan or
 * batch registering, which finds numbers in document order (highlight-window.ts relies on it).
 */
export function registerSegment(ctx: ScanContext, seg: Segment, find: PhoneFinder, batch?: object, source: object | undefined = batch): void {
  if (batch) {
    for (const p of seg.pieces) {
      if (!p.node.isConnected || ctx.registry.hasNodeFromOther(p.node, batch)) return;
      if (p.node.data.slice(p.nodeStart, p.nodeStart + p.length) !== seg.text.slice(p.segStart, p.segStart + p.length)) return;
    }
  }
  for (const m of find(seg.text, { defaultCountry: ctx.country, prefiltered: true })) {
    const a = locate(seg.pieces, m.start, false);
    const b = locate(seg.pieces, m.end, true);
    if (!a || !b) continue;
    const nodes: Text[] = [];
    let inside = false;
    for (const p of seg.pieces) {
      if (p.node === a.node) inside = true;
      if (inside && nodes[nodes.length - 1] !== p.node) nodes.push(p.node);
      if (p.node === b.node) break;
    }
    ctx.registry.add({
      range: new StaticRange({ startContainer: a.node, startOffset: a.offset, endContainer: b.node, endOffset: b.offset }),
      nodes,
      e164: m.e164,
      get display() {
        return m.display;
      },
      text: seg.text.slice(m.start, m.end),
      ...(batch ? { batch } : {}),
      ...(source ? { source } : {}),
    });
  }
}

/** The nearest ancestor that is not an inline element: the line of prose a text node belongs to. */
function blockOf(node: Node, stop: Node): Node {
  let n = node.parentNode;
  while (n && n !== stop && n.nodeType === 1 && isInlineElement(n as Element)) n = n.parentNode;
  return n ?? stop;
}

/**
 * Walks one subtree (an element, a document or a shadow root), groups its text into segments,
 * finds the numbers and registers them. Resumable: the scheduler runs it in slices.
 */
export class ScanJob implements Job {
  private readonly walker: TreeWalker;
  private readonly elements: TreeWalker;
  private readonly exclusion = new Map<Node, boolean>();
  private textDone = false;
  private rootChecked = false;
  private readonly deferred: Segment[] = [];
  /** Set when a segment went through libphonenumber-js: that costs like many nodes, look at the clock sooner. */
  private parsed = 0;
  private readonly seg = new SegmentBuilder();
  private block: Node | undefined;
  private lastParent: Node | null = null;
  private lastBlock: Node | undefined;
  private lastExcluded = false;
  /** A long text node being cut into pieces: where the next piece starts. */
  private partial: { node: Text; from: number } | undefined;
  private done = false;
  /** The stage the last step ended in (the scheduler's trace of its longest step). */
  label = 'scan: walk';

  constructor(
    private readonly root: Node,
    private readonly ctx: ScanContext,
  ) {
    // No NodeFilter: a JS filter is called for every node and made the walk ~40× slower than the
    // browser's own traversal (11.5 ms vs 0.3 ms on wikipedia.html). Exclusions are decided per
    // parent element instead, cached, and shadow hosts are found in a second, element-only pass.
    const doc = root.nodeType === 9 ? (root as Document) : root.ownerDocument!;
    this.walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    this.elements = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  }

  /** Whether text under `parent` is excluded; decided once per element and cached for the job. */
  private excluded(parent: Node | null): boolean {
    const chain: Element[] = [];
    let result = false;
    for (let n = parent; n && n !== this.root && n.nodeType === 1; n = n.parentNode) {
      const cached = this.exclusion.get(n);
      if (cached !== undefined) {
        result = cached;
        break;
      }
      chain.push(n as Element);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const el = chain[i]!;
      result = result || isExcludedElement(el);
      this.exclusion.set(el, result);
    }
    return result;
  }

  /** Second pass: open shadow roots (their text is not reachable from this tree). */
  private findShadowRoots(deadline: number): boolean {
    let count = 0;
    if (!this.rootChecked) {
      this.rootChecked = true;
      const el = this.root as Element;
      if (el.nodeType === 1 && !el.shadowRoot && el.localName.includes('-')) this.ctx.onCustomElement(el);
    }
    for (let el = this.elements.nextNode() as Element | null; el; el = this.elements.nextNode() as Element | null) {
      if (el.shadowRoot) this.ctx.onShadowRoot(el.shadowRoot);
      else if (el.localName.includes('-')) this.ctx.onCustomElement(el);
      if (++count % CLOCK_EVERY === 0 && performance.now() >= deadline) return false;
    }
    return true;
  }

  step(deadline: number): boolean {
    if (this.done) return true;
    let count = 0;
    for (;;) {
      if (this.partial) {
        this.continuePartial();
      } else {
        const node = this.walker.nextNode() as Text | null;
        if (!node) {
          if (!this.textDone) {
            this.textDone = true;
            this.flush();
            if (this.deferred.length) this.ctx.deferred(this.deferred.splice(0));
          }
          this.label = 'scan: shadow roots';
          if (!this.findShadowRoots(deadline)) return false;
          this.done = true;
          return true;
        }
        this.take(node);
      }
      count += 1 + this.parsed;
      this.parsed = 0;
      if ((count >= CLOCK_EVERY || this.partial) && performance.now() >= deadline) return false;
      if (count >= CLOCK_EVERY) count = 0;
    }
  }

  private take(node: Text): void {
    const data = node.data;
    // Whitespace between elements, with no run of text open: nothing to join or separate (most
    // text nodes of a page; a number never lies in whitespace alone, so none is forgotten).
    if (!this.seg.count && !NON_SPACE.test(data)) return;
    this.ctx.registry.forgetNode(node);
    // Neighbouring text nodes usually share a parent: one ancestor walk for all of them.
    const parent = node.parentNode;
    if (parent !== this.lastParent) {
      this.lastParent = parent;
      this.lastExcluded = this.excluded(parent);
      this.lastBlock = this.lastExcluded ? undefined : blockOf(node, this.root);
    }
    if (this.lastExcluded) return;
    const block = this.lastBlock!;
    const blank = !NON_SPACE.test(data);
    let joined = false;
    if (block !== this.block) {
      this.flush();
      if (blank) return;
      this.block = block;
    } else {
      joined = this.seg.count > 0;
    }
    if (blank) {
      // Whitespace between inline elements separates words ("…6161</span> <small>online").
      if (joined) this.seg.add(node, 0, data, true);
      return;
    }
    if (data.length > MAX_SEGMENT) {
      this.flush();
      this.partial = { node, from: 0 };
      this.continuePartial();
      return;
    }
    this.seg.add(node, 0, data, joined);
    if (this.seg.length >= MAX_SEGMENT) this.flush();
  }

  /** Whether something that is not joined text sits right before `node` in the same block. */
  private breaksBefore(node: Text): boolean {
    let prev = node.previousSibling;
    // Inline wrappers: the text before is the end of the previous inline element's content.
    if (!prev) return false;
    if (prev.nodeType !== 1) return false;
    const el = prev as Element;
    return el.localName === 'br' || isExcludedElement(el) || !isInlineElement(el);
  }

  private continuePartial(): void {
    const { node, from } = this.partial!;
    const data = node.data;
    const to = cutPoint(data, from, MAX_SEGMENT);
    this.seg.add(node, from, data.slice(from, to));
    this.flush();
    this.partial = to >= data.length ? undefined : { node, from: to };
  }

  private flush(): void {
    const built = this.seg;
    // A <br>, a link or another skipped element between two nodes: no number may span it.
    const text = built.hasDigit ? built.text : '';
    const seg = text && hasEnoughDigits(text) ? built.withGaps((n) => this.breaksBefore(n)) : undefined;
    const candidate = seg && seg.text !== text ? hasEnoughDigits(seg.text) : !!seg;
    if (candidate) {
      const find = this.ctx.finder();
      this.parsed += PARSE_COST;
      if (find) registerSegment(this.ctx, seg!, find, undefined, this);
      else {
        // Before the metadata is in (it loads on the first candidate): kept, parsed when it is.
        this.ctx.needFinder();
        this.deferred.push(seg!);
      }
    }
    built.reset();
    this.block = undefined;
  }
}
