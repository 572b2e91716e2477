import type { CountryCode } from 'libphonenumber-js/max';
import { findPhoneNumbers } from '../detect/find-phone-numbers';
import { MIN_DIGITS } from '../detect/prefilter';
import { isExcludedElement, isInlineElement } from './exclusions';
import type { NumberRegistry } from './number-registry';
import { cutPoint, locate, SegmentBuilder } from './segments';
import type { Job } from './scheduler';

/** Segments longer than this are cut, so one libphonenumber-js call stays a few milliseconds. */
const MAX_SEGMENT = 2000;
/** How many nodes between two looks at the clock. */
const CLOCK_EVERY = 64;

export interface ScanContext {
  registry: NumberRegistry;
  country: CountryCode;
  /** Each open shadow root met while walking; the detector watches and scans it. */
  onShadowRoot(root: ShadowRoot): void;
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
  private readonly seg = new SegmentBuilder();
  private block: Node | undefined;
  private pendingGap = false;
  /** A long text node being cut into pieces: where the next piece starts. */
  private partial: { node: Text; from: number } | undefined;
  private done = false;

  constructor(
    private readonly root: Node,
    private readonly ctx: ScanContext,
  ) {
    const doc = root.nodeType === 9 ? (root as Document) : root.ownerDocument!;
    this.walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => {
        if (n.nodeType === 3) return NodeFilter.FILTER_ACCEPT;
        const el = n as Element;
        if (isExcludedElement(el)) {
          this.pendingGap = true;
          return NodeFilter.FILTER_REJECT;
        }
        if (el.shadowRoot) this.ctx.onShadowRoot(el.shadowRoot);
        if (el.localName === 'br') this.pendingGap = true;
        return NodeFilter.FILTER_SKIP;
      },
    });
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
          this.flush();
          this.done = true;
          return true;
        }
        this.take(node);
      }
      if (++count % CLOCK_EVERY === 0 && performance.now() >= deadline) return false;
      if (this.partial && performance.now() >= deadline) return false;
    }
  }

  private take(node: Text): void {
    this.ctx.registry.forgetNode(node);
    const data = node.data;
    const block = blockOf(node, this.root);
    if (!data.trim()) {
      // Whitespace between inline elements separates words ("…6161</span> <small>online"); between
      // blocks it is only indentation.
      if (block === this.block && this.seg.text) this.seg.add(node, 0, data);
      if (this.pendingGap) this.seg.gap();
      this.pendingGap = false;
      return;
    }
    if (block !== this.block) {
      this.flush();
      this.block = block;
    } else if (this.pendingGap) {
      this.seg.gap();
    }
    this.pendingGap = false;
    if (data.length > MAX_SEGMENT) {
      this.flush();
      this.partial = { node, from: 0 };
      this.continuePartial();
      return;
    }
    this.seg.add(node, 0, data);
    if (this.seg.text.length >= MAX_SEGMENT) this.flush();
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
    const seg = this.seg;
    if (seg.digits >= MIN_DIGITS) {
      for (const m of findPhoneNumbers(seg.text, { defaultCountry: this.ctx.country })) {
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
        this.ctx.registry.add({
          range: new StaticRange({ startContainer: a.node, startOffset: a.offset, endContainer: b.node, endOffset: b.offset }),
          nodes,
          e164: m.e164,
          display: m.display,
          text: seg.text.slice(m.start, m.end),
        });
      }
    }
    seg.reset();
    this.block = undefined;
  }
}
