import type { Detector } from './detector';
import { liveRange, type NumberEntry } from './number-registry';

export interface Hit {
  entry: NumberEntry;
  /** The line box of the number under the point (a number may wrap over two lines). */
  rect: DOMRect;
}

type CaretDoc = Document & {
  caretPositionFromPoint?(x: number, y: number, options?: { shadowRoots?: ShadowRoot[] }): { offsetNode: Node; offset: number } | null;
  caretRangeFromPoint?(x: number, y: number): Range | null;
};

/** The text position nearest to viewport point (x, y), through whichever caret API the browser has. */
export function caretAt(doc: CaretDoc, x: number, y: number, shadowRoots: ShadowRoot[]): { node: Node; offset: number } | undefined {
  if (doc.caretPositionFromPoint) {
    const p = doc.caretPositionFromPoint(x, y, { shadowRoots });
    return p ? { node: p.offsetNode, offset: p.offset } : undefined;
  }
  const r = doc.caretRangeFromPoint?.(x, y);
  return r ? { node: r.startContainer, offset: r.startOffset } : undefined;
}

/** The caret is the nearest text position, even far right of a line: the number's boxes decide. */
function rectAt(entry: NumberEntry, x: number, y: number): DOMRect | undefined {
  const range = liveRange(entry);
  if (!range) return undefined;
  for (const rect of range.getClientRects()) {
    if (x >= rect.left - 1 && x <= rect.right + 1 && y >= rect.top - 1 && y <= rect.bottom + 1) return rect;
  }
  return undefined;
}

/** Most entries one element can hold before the slow path gives up (a 10,000-number <pre>). */
const MAX_SCAN_UNDER = 64;

/**
 * Which number is at viewport point (x, y): a caret position from the point, looked up in the
 * registry, then confirmed against the number's boxes. Inside shadow trees the caret APIs may stop
 * at the host, so the element under the point is searched instead.
 */
export function numberAt(doc: Document, detector: Detector, x: number, y: number): Hit | undefined {
  const caret = caretAt(doc as CaretDoc, x, y, detector.shadowRoots);
  const direct = caret && detector.registry.at(caret.node, caret.offset);
  if (direct) {
    const rect = rectAt(direct, x, y);
    return rect ? { entry: direct, rect } : undefined;
  }
  let el = doc.elementFromPoint(x, y);
  while (el?.shadowRoot) {
    const inner = el.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === el) break;
    el = inner;
  }
  if (!el) return undefined;
  let n = 0;
  for (const entry of detector.registry.under(el)) {
    if (++n > MAX_SCAN_UNDER) break;
    const rect = rectAt(entry, x, y);
    if (rect) return { entry, rect };
  }
  return undefined;
}
