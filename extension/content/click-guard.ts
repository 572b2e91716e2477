import { liveRange, type NumberEntry } from './dom/number-registry';
import { onTop } from './dom/on-top';
import { backgroundOf, effectiveOpacity, MIN_ALPHA, paintsAt, rendered, textUnseen, type Unseen } from './dom/painted';

/**
 * Is the number or link under a click really what the user saw there (issue 13)? A hostile page
 * can lay a number under an opaque picture that lets clicks through, fade it to opacity 0, paint it
 * transparent or 1 px small over a button, or hide a tel: link over one. These checks run for the
 * one target under a press, a release or the pointer, never per number on the page.
 */

export interface GuardDeps {
  /** Our own elements (the hover box is over the number on purpose). */
  ours(el: Element): boolean;
  /** Open shadow roots the detector watches. */
  shadowRoots: readonly ShadowRoot[];
  /**
   * Also look through layers that let clicks through (pointer-events: none): a style
   * recalculation of the whole page, so once per click (the press, or Enter), per key press of
   * the keyboard mode and per number the pointer enters; the release only checks the rest.
   */
  thorough?: boolean;
}

const textNodesOf = (entry: NumberEntry): Text[] => entry.nodes.slice(0, 16);

/** The part of `node` the range covers, as a live range. */
function partOf(range: Range, node: Text): Range {
  const r = node.ownerDocument.createRange();
  r.selectNodeContents(node);
  if (node === range.startContainer) r.setStart(node, range.startOffset);
  if (node === range.endContainer) r.setEnd(node, range.endOffset);
  return r;
}

const digitsIn = (s: string) => (s.match(/\d/g) ?? []).length;

/** The element whose style paints a text node (a slot for slotted text). */
const painterOf = (node: Text): Element | null => (node.assignedSlot as Element | null) ?? node.parentElement;

/**
 * Why the number under viewport point (x, y) of this frame does not count as seen, or undefined
 * when it does: on top at the point, and every one of its pieces of text painted readably.
 */
export function numberUnseen(doc: Document, entry: NumberEntry, x: number, y: number, d: GuardDeps): Unseen | undefined {
  const range = liveRange(entry);
  if (!range) return 'not-at-point';
  // The text node under the point: the piece whose boxes hold it.
  let under: Text | undefined;
  for (const node of textNodesOf(entry)) {
    for (const b of partOf(range, node).getClientRects()) {
      if (x >= b.left - 1 && x <= b.right + 1 && y >= b.top - 1 && y <= b.bottom + 1) under = node;
    }
  }
  const host = under && painterOf(under);
  if (!under || !host) return 'not-at-point';
  const top = onTop(doc, d.shadowRoots, x, y, host, d.ours);
  if (top.unseen) return top.unseen;
  const background = backgroundOf(top.below);
  for (const node of textNodesOf(entry)) {
    const painter = painterOf(node);
    if (!painter) return 'hidden';
    const part = partOf(range, node);
    const digits = digitsIn(part.toString());
    // A piece with no digit (a space, a dash in its own element) changes nothing that is dialled.
    if (!digits) continue;
    const why = textUnseen(painter, [...part.getClientRects()], digits, background);
    if (why) return why;
  }
  // The costly look last, once the cheap ones passed.
  if (d.thorough) {
    const deep = onTop(doc, d.shadowRoots, x, y, host, d.ours, true);
    if (deep.unseen) return deep.unseen;
  }
  return frameUnseen(doc, x, y, !!d.thorough);
}

/** Non-blank text nodes of a link (its label), at most `max`. */
function labelNodes(link: Element, max: number): Text[] {
  const out: Text[] = [];
  const walker = link.ownerDocument.createTreeWalker(link, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n && out.length < max; n = walker.nextNode()) if (n.nodeValue?.trim()) out.push(n as Text);
  return out;
}

/**
 * Why the call link at viewport point (x, y) does not count as seen, or undefined when it does: on
 * top at the point, rendered, not faded out, and painting something one can see there (a readable
 * label, an image, or a background of its own).
 */
export function linkUnseen(doc: Document, link: Element, x: number, y: number, d: GuardDeps): Unseen | undefined {
  if (!rendered(link)) return 'hidden';
  const top = onTop(doc, d.shadowRoots, x, y, link, d.ours);
  if (top.unseen) return top.unseen;
  const hit = top.below[0] ?? link;
  if (effectiveOpacity(hit) < MIN_ALPHA) return 'faint';
  const label = labelNodes(link, 16);
  if (label.length) {
    const background = backgroundOf(top.below);
    let why: Unseen | undefined = 'paints-nothing';
    for (const node of label) {
      const painter = painterOf(node);
      if (!painter) continue;
      const r = node.ownerDocument.createRange();
      r.selectNodeContents(node);
      why = textUnseen(painter, [...r.getClientRects()], 0, background);
      if (!why) break;
    }
    if (why) return why;
  } else {
    // An icon link: something between the hit element and the link must paint.
    let painted = false;
    for (let el: Element | null = hit; el && !painted; el = el === link ? null : el.parentElement) painted = paintsAt(el, x, y);
    if (!painted) return 'paints-nothing';
  }
  if (d.thorough) {
    const deep = onTop(doc, d.shadowRoots, x, y, link, d.ours, true);
    if (deep.unseen) return deep.unseen;
  }
  return frameUnseen(doc, x, y, !!d.thorough);
}

/** A link activated from the keyboard (no pointer): judged at the centre of its first box. */
export function focusedLinkUnseen(doc: Document, link: Element, d: GuardDeps): Unseen | undefined {
  const win = doc.defaultView;
  const box = link.getClientRects()[0];
  if (!win || !box) return 'hidden';
  const x = box.left + box.width / 2;
  const y = box.top + box.height / 2;
  if (x < 0 || y < 0 || x > win.innerWidth || y > win.innerHeight) return 'not-at-point';
  return linkUnseen(doc, link, x, y, d);
}

/**
 * A frame's own checks say nothing of how the page around it shows the frame: an opacity-0 iframe
 * over a button is the classic clickjacking. For same-origin parents, the frame element is checked
 * at the same point in each parent up to the top. A cross-origin parent cannot be read from here.
 */
function frameUnseen(doc: Document, x: number, y: number, thorough: boolean): Unseen | undefined {
  let win = doc.defaultView;
  for (let depth = 0; win && win !== win.parent && depth < 16; depth++) {
    let frame: Element | null = null;
    try {
      frame = win.frameElement;
    } catch {
      frame = null;
    }
    if (!frame) return undefined;
    const outer = frame.ownerDocument;
    const box = frame.getBoundingClientRect();
    const cs = outer.defaultView!.getComputedStyle(frame);
    x += box.left + frame.clientLeft + (Number.parseFloat(cs.paddingLeft) || 0);
    y += box.top + frame.clientTop + (Number.parseFloat(cs.paddingTop) || 0);
    if (!rendered(frame) || effectiveOpacity(frame) < MIN_ALPHA) return 'frame';
    if (onTop(outer, [], x, y, frame, (el) => el.localName === 'voispeed-ui', thorough).unseen) return 'frame';
    win = outer.defaultView;
  }
  return undefined;
}
